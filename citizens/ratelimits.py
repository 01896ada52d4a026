"""Rate limits of the public forms (django-ratelimit counters in the shared cache).

Over a limit, the view answers HTTP 429 with `rate_limited`'s plain Vietnamese page (also
django-ratelimit's RATELIMIT_VIEW); the views import this module, never the other way round.
Counting is done here rather than with `@ratelimit(block=True)` because a blocked request raises
PermissionDenied, which becomes a 403 unless RatelimitMiddleware is installed.

Two ways of counting:
- `over_limit` / `rate_limit`: every request counts (the form, my data per address);
- `exhausted` + `count`: only failures (or successes) count, but once a budget is used up every request
  under that key is refused until the window ends. Tracking look-ups count only unknown codes (people behind
  one carrier address, CGNAT, may all follow their own petitions), and once an address has guessed too many
  codes even a right one gets 429, so the answer never tells a guesser which code exists. Sending counts
  only petitions actually sent, per phone number and per address, so wrong CAPTCHAs (a conference hall's
  Wi-Fi shares one address) never use up the sending allowance; they have their own, larger budget.

Every rate is a setting read from the environment (`CITIZENS_RATE_*`, `.env.example`), and
`RATELIMIT_ENABLE=false` switches all of them off for a load test. The 429 answer's `Retry-After` and page
say when the window that refused the request ends.
"""

import functools
import logging
import math
import time

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

from audit.services import client_ip
from citizens.drafts import load_draft

logger = logging.getLogger(__name__)


RETRY_AFTER_ATTRIBUTE = "citizens_retry_after"


def rate_limited(request, exception=None):
    """Answer a request over its rate limit with HTTP 429, saying when to try again.

    The wait is the time left in the window of the limit that refused the request (noted on the
    request by `over_limit` / `exhausted`); an hour if none was noted (django-ratelimit's own view).
    """
    retry_after = max(1, int(getattr(request, RETRY_AFTER_ATTRIBUTE, None) or 3600))
    context = {"retry_minutes": math.ceil(retry_after / 60)}
    response = render(request, "citizens/rate_limited.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _rate(name: str, default: str) -> str:
    return getattr(settings, f"CITIZENS_RATE_{name}", default)


def _note_refusal(request, usage: dict) -> None:
    """Remember the longest wait among the limits that refuse this request (for `rate_limited`)."""
    waited = getattr(request, RETRY_AFTER_ATTRIBUTE, 0) or 0
    setattr(request, RETRY_AFTER_ATTRIBUTE, max(waited, int(usage.get("time_left") or 0)))


def ip_key(group, request) -> str:
    return client_ip(request) or "unknown"


def draft_phone_key(group, request) -> str:
    """Key the sending of a petition by the phone number in the draft being sent (else the address)."""
    draft = load_draft(request) or {}
    return draft.get("petitioner_phone") or f"ip:{ip_key(group, request)}"


def contact_key(group, request) -> str:
    """Key the my-data look-ups by the contact proven (set by the view once the form is valid)."""
    return getattr(request, "citizens_contact", None) or f"ip:{ip_key(group, request)}"


def alert_email_key(group, request) -> str:
    """Key the alert subscriptions by the address typed, so no one is flooded with confirmation e-mails."""
    return (request.POST.get("email") or "").strip().lower() or f"ip:{ip_key(group, request)}"


def email_key(group, request) -> str:
    """Key the password-reset requests by the e-mail address typed (any address counts, known or not)."""
    return (request.POST.get("email") or "").strip().lower() or f"ip:{ip_key(group, request)}"


# (group, key, setting name, default rate)
SEND = [("citizens:send:ip", ip_key, "SEND_PER_IP", "20/h")]  # petitions sent
CAPTCHA = [("citizens:captcha:ip", ip_key, "CAPTCHA_FAILURES_PER_IP", "60/h")]  # wrong CAPTCHAs only
SENT_PER_PHONE = [("citizens:sent:phone", draft_phone_key, "SEND_PER_PHONE", "5/h")]  # petitions sent
FORM = [("citizens:form:ip", ip_key, "FORM_PER_IP", "60/h")]
TRACK = [("citizens:track:ip", ip_key, "TRACK_PER_IP", "30/h")]  # unknown codes only
MY_DATA = [("citizens:my_data:ip", ip_key, "MY_DATA_PER_IP", "10/h")]
PASSWORD_RESET = [
    ("accounts:reset:ip", ip_key, "PASSWORD_RESET_PER_IP", "10/h"),
    ("accounts:reset:email", email_key, "PASSWORD_RESET_PER_ACCOUNT", "3/h"),
]
ALERTS = [
    ("citizens:alerts:ip", ip_key, "ALERTS_PER_IP", "10/h"),
    ("citizens:alerts:email", alert_email_key, "ALERTS_PER_EMAIL", "3/h"),
]  # subscriptions asked (each sends a confirmation e-mail)
MY_DATA_CONTACT = [("citizens:my_data:contact", contact_key, "MY_DATA_PER_CONTACT", "10/h")]  # failures only


def over_limit(request, rules) -> bool:
    """Count this request against every rule; return True if any limit is exceeded.

    Fails open: when the shared cache (Redis) is down or hung, a citizen's petition must still be
    saved, so the request is let through (the CAPTCHA still stands) and the outage is logged once
    per window (`_Outage`).
    """
    refused = False
    for rule in rules:
        usage = _usage(request, rule, increment=True)
        if usage is not None and usage["should_limit"]:
            _note_refusal(request, usage)
            refused = True
    return refused


class _Outage:
    """The shared cache's outage as this process saw it: until when the limits are not checked.

    A hung or stopped Redis costs the first request of a window one timeout (REDIS_TIMEOUT) and one
    warning line; the requests after it skip the cache until CACHE_OUTAGE_SECONDS have passed, then
    one request tries again.
    """

    until = 0.0

    @classmethod
    def ongoing(cls) -> bool:
        return time.monotonic() < cls.until

    @classmethod
    def begin(cls, exc: Exception) -> None:
        window = int(getattr(settings, "CACHE_OUTAGE_SECONDS", 60))
        cls.until = time.monotonic() + window
        logger.warning(
            "Rate limits not checked for %s s: the cache is unavailable (%s: %s)", window, type(exc).__name__, exc
        )


def _usage(request, rule, *, increment: bool):
    group, key, name, default = rule
    if _Outage.ongoing():
        return None
    try:
        usage = get_usage(request, group=group, key=key, rate=_rate(name, default), increment=increment)
    except Exception as exc:  # noqa: BLE001 - redis.ConnectionError, TimeoutError…: fail open, and say so once
        _Outage.begin(exc)
        return None
    if usage is None or usage["limit"] == 0:  # disabled, or the cache answered nothing: fail open
        return None
    return usage


def exhausted(request, rules) -> bool:
    """Return True if the budget of any of `rules` is used up, without counting this request."""
    for rule in rules:
        usage = _usage(request, rule, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            _note_refusal(request, usage)
            return True
    return False


def count(request, rules) -> None:
    """Count this request (a failure, or a petition sent) against `rules`."""
    for rule in rules:
        _usage(request, rule, increment=True)


def rate_limit(rules, methods=("POST",)):
    """Answer 429 (the `rate_limited` view) to requests of `methods` over any of `rules`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and over_limit(request, rules):
                return rate_limited(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
