"""Where uploaded files are stored: under a random name, never the uploader's own file name.

Files of petitions, answers, minutes and attachments are served only through views that check
scope; their stored names must not be guessable nor leak what a citizen called their file.
"""

import pathlib
import uuid

from django.utils import timezone


def private_upload_to(instance, filename: str) -> str:
    """Return `<app>/<model>/<year>/<random>.<ext>` for an uploaded file (the extension is kept, lower-cased)."""
    suffix = pathlib.Path(filename).suffix.lower()[:10]
    meta = instance._meta
    return f"{meta.app_label}/{meta.model_name}/{timezone.localdate():%Y}/{uuid.uuid4().hex}{suffix}"
