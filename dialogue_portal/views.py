"""Project-wide pages that belong to no app: the CSRF failure page, the password-reset request."""

import logging
import math

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.views.decorators.cache import never_cache

from citizens.ratelimits import PASSWORD_RESET, over_limit, rate_limited
from dialogue_portal.tasks import send_password_reset

logger = logging.getLogger(__name__)


def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for by name: the portal's icon (an SVG)."""
    return HttpResponseRedirect(static("img/favicon.svg"))


def locked_out(request, original_response=None, credentials=None):
    """Answer a locked-out sign-in (django-axes' AXES_LOCKOUT_CALLABLE) with 429 and the real cool-off.

    The page and `Retry-After` say how long the lock lasts (AXES_COOLOFF_HOURS), counted from this attempt.
    """
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    context = {"cooloff_minutes": math.ceil(seconds / 60)}
    response = render(request, "registration/locked_out.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


@never_cache
def csrf_failure(request, reason=""):
    """Answer a form refused by the CSRF check with HTTP 403 and a plain Vietnamese explanation.

    Django's own page speaks English to developers; a citizen whose form sat open too long (or
    whose browser refuses cookies) needs to know what to do. `reason` is logged by Django, not shown.
    """
    return render(request, "403_csrf.html", status=403)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password-reset request, rate-limited and answering the same whether the account exists.

    Every request counts against the address and the e-mail address typed (PASSWORD_RESET). A valid
    form only queues `send_password_reset`; looking up the account and sending happen in the worker,
    so neither the answer nor its timing tells whether an account has that address.
    """

    def post(self, request, *args, **kwargs):
        if over_limit(request, PASSWORD_RESET):
            return rate_limited(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        arguments = {
            "email": form.cleaned_data["email"],
            "domain": self.request.get_host(),
            "use_https": self.request.is_secure(),
            "language": translation.get_language() or "vi",
        }
        transaction.on_commit(lambda: _queue_password_reset(arguments))
        return HttpResponseRedirect(self.get_success_url())


def _queue_password_reset(arguments: dict) -> None:
    try:
        send_password_reset.delay(**arguments)
    except Exception as exc:  # noqa: BLE001 - kombu OperationalError, a refused connection, a timeout …
        # The person may ask again; the page must not fail because the broker is away.
        logger.warning("Password reset not queued (broker unavailable?): %s", type(exc).__name__)
