"""Rate limits of the public forms (django-ratelimit counters in the shared cache).

Over a limit, the view answers HTTP 429 with `rate_limited`'s plain Vietnamese page (also
django-ratelimit's RATELIMIT_VIEW); the views import this module, never the other way round.
Counting is done here rather than with `@ratelimit(block=True)` because a blocked request raises
PermissionDenied, which becomes a 403 unless RatelimitMiddleware is installed.

Two ways of counting:
- `over_limit` / `rate_limit`: every request counts (sending per address, the form, my data per address);
- `exhausted` + `count`: only failures count, but once a budget is used up every request under that key
  is refused until the window ends. Tracking look-ups count only unknown codes (people behind one carrier
  address, CGNAT, may all follow their own petitions), and once an address has guessed too many codes even a
  right one gets 429, so the answer never tells a guesser which code exists. Sending counts only petitions
  actually sent per phone number, so failed CAPTCHAs typed by someone else cannot lock a citizen's number.
"""

import functools
import logging

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage, is_ratelimited

from audit.services import client_ip
from citizens.drafts import load_draft

logger = logging.getLogger(__name__)


def rate_limited(request, exception=None):
    """Answer a request over its rate limit with HTTP 429 and a plain Vietnamese message."""
    response = render(request, "citizens/rate_limited.html", status=429)
    response["Retry-After"] = "600"
    return response


def _rate(name: str, default: str) -> str:
    return getattr(settings, f"CITIZENS_RATE_{name}", default)


def ip_key(group, request) -> str:
    return client_ip(request) or "unknown"


def draft_phone_key(group, request) -> str:
    """Key the sending of a petition by the phone number in the draft being sent (else the address)."""
    draft = load_draft(request) or {}
    return draft.get("petitioner_phone") or f"ip:{ip_key(group, request)}"


def contact_key(group, request) -> str:
    """Key the my-data look-ups by the contact proven (set by the view once the form is valid)."""
    return getattr(request, "citizens_contact", None) or f"ip:{ip_key(group, request)}"


# (group, key, setting name, default rate)
SEND = [("citizens:send:ip", ip_key, "SEND_PER_IP", "20/h")]  # every attempt
SENT_PER_PHONE = [("citizens:sent:phone", draft_phone_key, "SEND_PER_PHONE", "5/h")]  # petitions sent
FORM = [("citizens:form:ip", ip_key, "FORM_PER_IP", "60/h")]
TRACK = [("citizens:track:ip", ip_key, "TRACK_PER_IP", "30/h")]  # unknown codes only
MY_DATA = [("citizens:my_data:ip", ip_key, "MY_DATA_PER_IP", "10/h")]
MY_DATA_CONTACT = [("citizens:my_data:contact", contact_key, "MY_DATA_PER_CONTACT", "10/h")]  # failures only


def over_limit(request, rules) -> bool:
    """Count this request against every rule; return True if any limit is exceeded.

    Fails open: when the shared cache (Redis) is down, a citizen's petition must still be saved,
    so the request is let through (the CAPTCHA still stands) and the outage is logged.
    """
    results = []
    for group, key, name, default in rules:
        try:
            results.append(is_ratelimited(request, group=group, key=key, rate=_rate(name, default), increment=True))
        except Exception:  # noqa: BLE001 - redis.ConnectionError, TimeoutError…: any cache failure
            logger.warning("Rate limit %s not checked: the cache is unavailable", group, exc_info=True)
    return any(results)


def _usage(request, rule, *, increment: bool):
    group, key, name, default = rule
    try:
        usage = get_usage(request, group=group, key=key, rate=_rate(name, default), increment=increment)
    except Exception:  # noqa: BLE001 - any cache failure: fail open, as `over_limit`
        logger.warning("Rate limit %s not checked: the cache is unavailable", group, exc_info=True)
        return None
    if usage is None or usage["limit"] == 0:  # disabled, or the cache answered nothing: fail open
        return None
    return usage


def exhausted(request, rules) -> bool:
    """Return True if the budget of any of `rules` is used up, without counting this request."""
    for rule in rules:
        usage = _usage(request, rule, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
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
