"""Project-wide middleware: Vietnamese by default, and idle sessions ended."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation

from dialogue_portal.sessions import LAST_SEEN, SIGNED_IN_AT, WRITE_INTERVAL


class VietnameseFirstLocaleMiddleware:
    """Activate Vietnamese unless the visitor chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; the portal
    must be Vietnamese whatever the browser says, so only the language cookie (set by the
    `set_language` view) can change it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
        return response


class SessionTimeoutMiddleware:
    """Sign out a user idle longer than SESSION_IDLE_TIMEOUT, or signed in longer than SESSION_COOKIE_AGE.

    The database row expires at the same moments (dialogue_portal/sessions.py); this check also covers
    a session engine that does not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last_seen = session.get(LAST_SEEN)
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)  # a session from before the stamp existed
            idle = last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT
            if idle or now - signed_in_at > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif last_seen is None or now - last_seen > WRITE_INTERVAL:
                # Write at most once a minute so every request does not rewrite the session.
                session[LAST_SEEN] = now
        return self.get_response(request)
