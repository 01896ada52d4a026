"""Logging filters: a refused or missing page is an ordinary answer, not an error to trace."""

import logging

ORDINARY_STATUSES = frozenset({400, 403, 404, 405, 410, 429})


class OrdinaryRefusalsWithoutTraceback(logging.Filter):
    """Keep django.request's one-line "Forbidden: /path" or "Not Found: /path", without the traceback.

    Django attaches the PermissionDenied or Http404 exception to the record, so every 403 and 404
    wrote a traceback; a 500 keeps its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in ORDINARY_STATUSES:
            record.exc_info = None
            record.exc_text = None
        return True
