"""Response headers that keep personal data out of caches and the page away from powerful features.

- `Cache-Control: no-store, private` on every page of a signed-in user and on every page that read
  the session (a petition draft with the citizen's name and phone, "My data", tracking proofs): a
  shared computer's browser history or a proxy must not keep them. A response that already says
  `no-store` (downloads, `never_cache`) is left alone; public pages that touch no session stay cacheable.
- `Permissions-Policy` turns off the browser features the portal never uses.
- `Cross-Origin-Opener-Policy: same-origin` comes from Django's SecurityMiddleware
  (`SECURE_CROSS_ORIGIN_OPENER_POLICY`, default "same-origin").
"""

from django.utils.cache import add_never_cache_headers, patch_vary_headers

PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), interest-cohort=()"
)


def _is_personal(request) -> bool:
    session = getattr(request, "session", None)
    if session is None or session.is_empty():  # no session cookie: nobody signed in, no draft (nothing loaded)
        return False
    if session.accessed:  # the page read the session: a draft, "My data", or the signed-in user
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PrivacyHeadersMiddleware:
    """Add `Permissions-Policy`, and `Cache-Control: no-store` to personal pages (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "no-store" not in response.get("Cache-Control", "") and _is_personal(request):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
            patch_vary_headers(response, ("Cookie",))
        return response
