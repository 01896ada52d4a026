"""Sessions that end 12 hours after sign-in whatever the activity, and 30 minutes after the last request.

Django's database sessions slide: every save sets the expiry to SESSION_COOKIE_AGE from now, and the
idle-timeout middleware saves once a minute, so an active session never ended. This engine
(SESSION_ENGINE) keeps the database row's expiry at the earliest of
- the sign-in time (stored at sign-in) plus SESSION_COOKIE_AGE: never extended by activity;
- the last save plus SESSION_IDLE_TIMEOUT (and the minute the middleware waits between writes);
- Django's own sliding expiry (for anonymous sessions: a citizen's petition draft).
An expired row is not loaded (the visitor is signed out server-side, whatever the cookie says), and
`clearsessions` (beat: `dialogue_portal.tasks.clear_expired_sessions`) deletes it.
"""

import datetime
import time

from django.conf import settings
from django.contrib.sessions.backends import db
from django.utils import timezone

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# SessionTimeoutMiddleware writes LAST_SEEN at most once a minute.
WRITE_INTERVAL = 60


class SessionStore(db.SessionStore):
    def get_expiry_date(self, **kwargs) -> datetime.datetime:
        """Return the earliest of the sliding, the idle and the absolute expiry (see the module)."""
        expiry = super().get_expiry_date(**kwargs)
        signed_in_at = self.get(SIGNED_IN_AT)
        if signed_in_at is None:
            return expiry
        modification = kwargs.get("modification") or timezone.now()
        idle_end = modification + datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + WRITE_INTERVAL)
        absolute_end = datetime.datetime.fromtimestamp(signed_in_at + settings.SESSION_COOKIE_AGE, tz=datetime.UTC)
        return min(expiry, idle_end, absolute_end)

    def get_expiry_age(self, **kwargs) -> int:
        modification = kwargs.get("modification") or timezone.now()
        return max(0, int((self.get_expiry_date(**kwargs) - modification).total_seconds()))


def stamp_sign_in(sender, request, user, **kwargs) -> None:
    """Receiver of `user_logged_in`: remember when the session began (Django has just rotated its key)."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
