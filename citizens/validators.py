"""Checks on what citizens send: text normalised to NFC, at most MAX_ATTACHMENTS files a petition.

The files themselves are checked by `conferences.uploads.clean_upload` with the
CITIZEN_ATTACHMENT policy (type by content, size, pictures re-encoded without EXIF, PDFs
without active content), like every other upload of the portal.
"""

import unicodedata

MAX_ATTACHMENTS = 5


def normalise_text(value: str) -> str:
    """Return `value` in Unicode NFC with Unix line ends (Vietnamese typed on some phones arrives as NFD)."""
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
