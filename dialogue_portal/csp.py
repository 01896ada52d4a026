"""Content-Security-Policy violation reports: browsers POST them here; each is logged as one warning.

The policy itself is `CONTENT_SECURITY_POLICY` in settings (django-csp): scripts only from the
portal's own static files (no inline script, no eval), no plugins, no framing, forms posted only to
the portal. A report is untrusted input from anyone: it is read up to MAX_REPORT_BYTES, only a few
known fields are logged (never the whole body), and the answer is always an empty 204.
"""

import json
import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("dialogue_portal.csp")
MAX_REPORT_BYTES = 8 * 1024
LOGGED_FIELDS = (
    "document-uri",
    "violated-directive",
    "effective-directive",
    "blocked-uri",
    "source-file",
    "line-number",
)


def _fields(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        return {}
    if isinstance(data, list) and data:  # the Reporting API sends a list of {"type", "body"}
        data = data[0].get("body", {}) if isinstance(data[0], dict) else {}
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        data = data["csp-report"]
    if not isinstance(data, dict):
        return {}
    return {key: str(data.get(key, ""))[:300] for key in LOGGED_FIELDS if data.get(key) not in (None, "")}


@csrf_exempt  # browsers send reports without a CSRF token; the view changes nothing
@require_POST
def csp_report(request):
    """Log one violation report (a warning with its main fields); answer 204."""
    body = request.read(MAX_REPORT_BYTES)
    logger.warning("CSP violation: %s", json.dumps(_fields(body), ensure_ascii=False, sort_keys=True))
    return HttpResponse(status=204)
