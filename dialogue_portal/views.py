"""Project-wide pages that belong to no app: the CSRF failure page."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def csrf_failure(request, reason=""):
    """Answer a form refused by the CSRF check with HTTP 403 and a plain Vietnamese explanation.

    Django's own page speaks English to developers; a citizen whose form sat open too long (or
    whose browser refuses cookies) needs to know what to do. `reason` is logged by Django, not shown.
    """
    return render(request, "403_csrf.html", status=403)
