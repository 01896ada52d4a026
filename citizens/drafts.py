"""A petition between its form and its preview: kept in the citizen's session, files on disk.

Why not re-post hidden fields: browsers cannot re-send files, and asking for them again after
the preview loses them on a phone. So the checked files are written at once under a random,
unguessable folder of the drafts storage (`<MEDIA_ROOT>/citizen-drafts/<token>/`), the session keeps
the text fields and the files' metadata, and the final step hands the files to
`petitions.services.submit_petition`. Sending, discarding or replacing a draft deletes its folder;
`purge_stale_drafts` (management command `purge_citizen_drafts`) removes folders older than a day
left by people who never sent.
"""

import datetime
import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage

from conferences.uploads import EXTENSIONS

SESSION_KEY = "citizens_petition_draft"
SENT_KEY = "citizens_sent_code"
MAX_DRAFT_AGE = datetime.timedelta(days=1)


def drafts_root() -> Path:
    return Path(getattr(settings, "CITIZENS_DRAFTS_ROOT", None) or Path(settings.MEDIA_ROOT) / "citizen-drafts")


def _storage() -> FileSystemStorage:
    return FileSystemStorage(location=drafts_root())


def load_draft(request) -> dict | None:
    """Return the draft kept in the session, or None."""
    return request.session.get(SESSION_KEY)


def _delete_files(draft: dict | None) -> None:
    if draft and draft.get("token"):
        shutil.rmtree(drafts_root() / draft["token"], ignore_errors=True)


def save_draft(request, *, fields: dict, uploads=(), keep_files: bool = False) -> dict:
    """Keep `fields` (JSON-serialisable) and the checked `uploads` [(file, content_type, safe_name)] in the session.

    With `keep_files`, the previous draft's files are kept when no new ones were chosen.
    """
    previous = load_draft(request)
    if keep_files and previous and not uploads:
        token, files = previous.get("token"), previous.get("files", [])
    else:
        _delete_files(previous)
        token, files = secrets.token_hex(16), []
        storage = _storage()
        for number, (upload, content_type, safe_name) in enumerate(uploads, start=1):
            upload.seek(0)
            path = storage.save(f"{token}/{number}.{EXTENSIONS[content_type]}", upload)
            files.append({"path": path, "name": safe_name, "content_type": content_type, "size": upload.size})
    draft = {**fields, "token": token, "files": files}
    request.session[SESSION_KEY] = draft
    return draft


def open_files(draft: dict) -> list[tuple[File, str]]:
    """Return the draft's files as (File, content_type) pairs for `submit_petition`; the caller closes them."""
    storage = _storage()
    opened = []
    for meta in draft.get("files", []):
        if storage.exists(meta["path"]):
            opened.append((File(storage.open(meta["path"], "rb"), name=meta["name"]), meta["content_type"]))
    return opened


def discard_draft(request) -> None:
    """Forget the session's draft and delete its files."""
    _delete_files(request.session.pop(SESSION_KEY, None))


def purge_stale_drafts(*, now: datetime.datetime | None = None) -> int:
    """Delete draft folders older than MAX_DRAFT_AGE. Return how many were deleted. Safe to run twice."""
    root = drafts_root()
    if not root.exists():
        return 0
    limit = (now or datetime.datetime.now()).timestamp() - MAX_DRAFT_AGE.total_seconds()
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
