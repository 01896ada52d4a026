"""Project-wide middleware: Vietnamese by default, and idle sessions ended."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation


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
    """Sign out a user whose session has been idle longer than SESSION_IDLE_TIMEOUT seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen")
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
            else:
                # Write at most once a minute so every request does not rewrite the session.
                if last_seen is None or now - last_seen > 60:
                    request.session["last_seen"] = now
        return self.get_response(request)
