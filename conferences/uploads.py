"""Uploaded files, in one place: what is accepted, how it is cleaned, where it is stored.

Every file the portal keeps — citizens' petition attachments, petitions recorded by officials,
answer evidence, conference minutes and attachments, and the same fields in the admin — goes
through `clean_upload` (or the form field `CheckedFileField`, which calls it). It lives here, in
the lowest app that has upload fields, so that petitions and the citizens' portal use it too.

- The type is proven by the content (magic bytes), never by the file name or the browser's
  Content-Type: only JPEG, PNG, WebP pictures and PDF documents are accepted. An SVG, an HTML page
  or a program renamed `.png` or `.pdf` is refused.
- Each use has its size limit (`UploadPolicy.max_bytes`).
- Pictures are decoded and re-encoded without EXIF, XMP or text chunks (a phone photo's EXIF
  carries the GPS position of the citizen's home). Decoding is bounded: a picture declaring more
  than MAX_PICTURE_PIXELS is refused from its header, before any pixel is decoded, so one
  picture cannot take more than about 100 MB of a worker's memory. Pillow's own cap
  (`Image.MAX_IMAGE_PIXELS`) is lowered to the same figure for every other Pillow user.
- PDFs are parsed (pypdf) and refused when they carry JavaScript, launch actions, embedded files
  or other active content, are encrypted (cannot be inspected), or are not a complete PDF.
- Stored names are random (`private_upload_to`); downloads are always sent as attachments with
  `X-Content-Type-Options: nosniff` (`download_response`).
"""

import dataclasses
import io
import pathlib
import unicodedata
import uuid
import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image

MB = 1024 * 1024
# Decoded, a picture takes 4 bytes a pixel (RGBA), and re-encoding an EXIF-rotated one holds two copies:
# 12.5 million pixels (a 12-megapixel phone photo fits) stay under ~100 MB.
MAX_PICTURE_PIXELS = 12_500_000
Image.MAX_IMAGE_PIXELS = MAX_PICTURE_PIXELS  # Pillow warns above it and refuses twice as many
PDF_TAIL_BYTES = 1024  # "%%EOF" must be in the last kilobyte (PDF 1.7, 7.5.5: trailing bytes are tolerated)
PDF_MAX_OBJECTS = 200_000  # walking more objects than a 10 MB document holds is a trap, not a document
# PDF names that run code, open other programs or carry other files (ISO 32000 12.6.4, 7.11.4, 12.5.6.18).
PDF_ACTIVE_NAMES = {
    "/JavaScript": "javascript",
    "/JS": "javascript",
    "/Launch": "launch",
    "/EmbeddedFiles": "embedded",
    "/EmbeddedFile": "embedded",
    "/GoToE": "embedded",
    "/RichMedia": "active",
    "/XFA": "active",
    "/ImportData": "active",
    "/SubmitForm": "active",
}

PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# content type → file extension used when the file is stored
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}
PICTURE_TYPES = frozenset(PILLOW_FORMATS)
DOCUMENT_TYPES = frozenset({"application/pdf"})


@dataclasses.dataclass(frozen=True)
class UploadPolicy:
    """What one upload field accepts: content types and a size limit."""

    max_bytes: int
    content_types: frozenset = PICTURE_TYPES | DOCUMENT_TYPES

    @property
    def accept(self) -> str:
        """Return the value for the file input's `accept` attribute (a hint to the browser, not a check)."""
        return ",".join(sorted(self.content_types))


CITIZEN_ATTACHMENT = UploadPolicy(max_bytes=5 * MB)  # citizens on phones: photos and scanned letters
# evidence, minutes, attachments, petitions from the desk (the forms say "PDF, JPEG or PNG")
OFFICIAL_DOCUMENT = UploadPolicy(
    max_bytes=10 * MB, content_types=frozenset({"application/pdf", "image/jpeg", "image/png"})
)


@dataclasses.dataclass(frozen=True)
class CleanUpload:
    """A checked upload: the file to keep (re-encoded for pictures), its proven type and a safe display name."""

    file: File
    content_type: str
    safe_name: str

    @property
    def size(self) -> int:
        return self.file.size


def private_upload_to(instance, filename: str) -> str:
    """Return `<app>/<model>/<year>/<random>.<ext>` for an uploaded file (the extension is kept, lower-cased)."""
    suffix = pathlib.Path(filename).suffix.lower()[:10]
    meta = instance._meta
    return f"{meta.app_label}/{meta.model_name}/{timezone.localdate():%Y}/{uuid.uuid4().hex}{suffix}"


def sniff_content_type(head: bytes) -> str | None:
    """Return the content type that the file's first bytes prove, or None when they prove none we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


TYPE_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "application/pdf": "PDF"}


def _type_names(content_types) -> str:
    return ", ".join(TYPE_NAMES[t] for t in TYPE_NAMES if t in content_types)


def damaged_picture_error(name: str) -> ValidationError:
    return ValidationError(_("The picture “%(name)s” is damaged or unreadable."), code="damaged", params={"name": name})


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


# --- PDF -------------------------------------------------------------------------------------------


def _pdf_active_content(data: bytes) -> str | None:
    """Return why the PDF `data` is unsafe ("javascript", "launch", "embedded", "active", "encrypted",
    "damaged"), or None. Every object reachable from the trailer is walked, including those inside
    compressed object streams, with names decoded (`/J#61vaScript` is `/JavaScript`)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return "encrypted"
        stack = [reader.trailer]
        seen: set[tuple[int, int]] = set()
        walked = 0
        while stack:
            node = stack.pop()
            walked += 1
            if walked > PDF_MAX_OBJECTS:
                return "damaged"
            if isinstance(node, IndirectObject):
                key = (node.idnum, node.generation)
                if key in seen:
                    continue
                seen.add(key)
                stack.append(node.get_object())
            elif isinstance(node, DictionaryObject):
                for name, value in node.items():
                    if name in PDF_ACTIVE_NAMES:
                        return PDF_ACTIVE_NAMES[name]
                    stack.append(value)
            elif isinstance(node, ArrayObject):
                stack.extend(node)
            elif isinstance(node, NameObject) and node in PDF_ACTIVE_NAMES:
                return PDF_ACTIVE_NAMES[node]
        if "/Root" not in reader.trailer:
            return "damaged"
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors for broken or hostile files
        return "damaged"
    return None


PDF_ERRORS = {
    "javascript": _("The document “%(name)s” contains JavaScript and cannot be accepted. Print it to a new PDF first."),
    "launch": _(
        "The document “%(name)s” contains an action that opens another program and cannot be accepted. "
        "Print it to a new PDF first."
    ),
    "embedded": _("The document “%(name)s” contains embedded files and cannot be accepted. Send each file separately."),
    "active": _("The document “%(name)s” contains active content (forms or media) and cannot be accepted."),
    "encrypted": _("The document “%(name)s” is password-protected. Send it without the password."),
    "damaged": _("The document “%(name)s” is not a complete PDF file."),
}


def _check_pdf(upload, name: str) -> None:
    data = _read_all(upload)
    if b"%%EOF" not in data[-PDF_TAIL_BYTES:]:
        problem = "damaged"
    else:
        problem = _pdf_active_content(data)
    if problem:
        code = "damaged" if problem == "damaged" else f"pdf_{problem}"
        raise ValidationError(PDF_ERRORS[problem], code=code, params={"name": name})


# --- Pictures --------------------------------------------------------------------------------------


def _too_many_pixels_error(name: str) -> ValidationError:
    return ValidationError(
        _("The picture “%(name)s” has too many pixels. Send a picture of at most %(megapixels)s megapixels."),
        code="too_many_pixels",
        params={"name": name, "megapixels": MAX_PICTURE_PIXELS // 1_000_000},
    )


def _reencode_picture(upload, content_type: str, name: str) -> ContentFile:
    """Return the picture re-encoded without EXIF, XMP or text chunks, turned upright as its EXIF orientation
    said. The pixel count is read from the header and checked before anything is decoded."""
    from PIL import ImageOps

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the pixel count is checked below
            original = Image.open(upload)
        with original:
            if original.width * original.height > MAX_PICTURE_PIXELS:
                raise _too_many_pixels_error(name)
            if PILLOW_FORMATS.get(content_type) != original.format:
                raise damaged_picture_error(name)
            icc_profile = original.info.get("icc_profile")
            transparency = original.info.get("transparency")
            clean = ImageOps.exif_transpose(original)  # decodes the first frame into an upright copy
        clean.info = {}  # nothing of the original's metadata goes through
        options: dict = {"exif": b""}
        if transparency is not None and content_type == "image/png":
            options["transparency"] = transparency
        if icc_profile:
            options["icc_profile"] = icc_profile  # colours only, nothing personal
        if content_type == "image/jpeg":
            options.update(quality=90, optimize=True)
            if clean.mode not in ("RGB", "L", "CMYK"):
                clean = clean.convert("RGB")
        elif content_type == "image/webp":
            options.update(quality=90)
        buffer = io.BytesIO()
        clean.save(buffer, PILLOW_FORMATS[content_type], **options)
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own cap, raised from the header
        raise _too_many_pixels_error(name) from exc
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds of errors for broken or hostile files
        raise damaged_picture_error(name) from exc
    finally:
        upload.seek(0)
    return ContentFile(buffer.getvalue(), name=_stored_name(name, content_type))


# --- The one entry point ---------------------------------------------------------------------------


def safe_file_name(name: str, content_type: str) -> str:
    """Return a short, NFC, path-free version of the sender's file name ending in the extension its content proves."""
    base = unicodedata.normalize("NFC", name or "").replace("\x00", "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in " -_()").strip()[:80] or "tep"
    return f"{stem}.{EXTENSIONS[content_type]}"


def _stored_name(name: str, content_type: str) -> str:
    return f"upload.{EXTENSIONS[content_type]}" if not name else safe_file_name(name, content_type)


def clean_upload(upload, *, policy: UploadPolicy = OFFICIAL_DOCUMENT) -> CleanUpload:
    """Check `upload` against `policy` and return what to keep; raise ValidationError (Vietnamese message
    naming the file) otherwise. Pictures come back re-encoded; PDFs come back as sent."""
    name = getattr(upload, "name", "") or ""
    name = pathlib.PurePath(name.replace("\\", "/")).name
    if not upload.size:
        raise ValidationError(_("The file “%(name)s” is empty."), code="empty", params={"name": name})
    if upload.size > policy.max_bytes:
        raise ValidationError(
            _("The file “%(name)s” is too large (%(size)s). Each file may be at most %(max)s."),
            code="too_large",
            params={"name": name, "size": filesizeformat(upload.size), "max": filesizeformat(policy.max_bytes)},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type not in policy.content_types:
        raise ValidationError(
            _(
                "The file “%(name)s” is not one of the accepted kinds (%(kinds)s). Its content was checked, not its name."
            ),
            code="wrong_type",
            params={"name": name, "kinds": _type_names(policy.content_types)},
        )
    if content_type == "application/pdf":
        _check_pdf(upload, name)
        kept = upload
    else:
        kept = _reencode_picture(upload, content_type, name)
    return CleanUpload(file=kept, content_type=content_type, safe_name=safe_file_name(name, content_type))


class CheckedFileField(forms.FileField):
    """A file field that runs `clean_upload`; `cleaned_data` holds the file to keep (a picture re-encoded).
    The proven content type is on the returned file as `.checked_content_type`."""

    def __init__(self, *args, policy: UploadPolicy = OFFICIAL_DOCUMENT, **kwargs):
        self.policy = policy
        kwargs.pop("max_length", None)  # the stored name is random and short
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", policy.accept)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not value or value is initial or getattr(value, "_committed", False):
            return value  # nothing new sent (kept or cleared)
        checked = clean_upload(value, policy=self.policy)
        checked.file.checked_content_type = checked.content_type
        checked.file.safe_name = checked.safe_name
        return checked.file


# For ModelAdmin.formfield_overrides: every file field in the admin checked like the portal's.
ADMIN_FILE_OVERRIDES = {"form_class": CheckedFileField}


def download_response(file, *, filename: str, content_type: str | None = None) -> FileResponse:
    """Return `file` as a download: never shown inline, never type-sniffed by the browser, never cached."""
    response = FileResponse(file, as_attachment=True, filename=filename)
    if content_type:
        response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
