"""Checks on what citizens send: text normalised to NFC, attachments typed by their content.

The browser's file name and Content-Type header are the sender's claims; the first bytes of
the file are the evidence. Only JPEG, PNG, WebP images and PDF documents are accepted, each at
most MAX_ATTACHMENT_BYTES, at most MAX_ATTACHMENTS per petition. A PDF must also end like one
(`%%EOF` in its last kilobyte), and pictures are re-encoded without their metadata before they are
kept (`strip_metadata`): a phone photo's EXIF carries the GPS position of the citizen's home.
"""

import io
import unicodedata

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# A picture is decoded to be re-encoded: refuse more pixels than any phone camera takes (memory bound).
MAX_PICTURE_PIXELS = 60_000_000
PDF_TAIL_BYTES = 1024  # "%%EOF" must be in the last kilobyte (PDF 1.7, 7.5.5: trailing bytes are tolerated)
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}

# content type → file extension used when the file is stored
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}


def normalise_text(value: str) -> str:
    """Return `value` in Unicode NFC with Unix line ends (Vietnamese typed on some phones arrives as NFD)."""
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))


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


def _pdf_is_whole(upload) -> bool:
    upload.seek(max(0, upload.size - PDF_TAIL_BYTES))
    tail = upload.read(PDF_TAIL_BYTES)
    upload.seek(0)
    return b"%%EOF" in tail


def damaged_picture_error(name: str) -> ValidationError:
    return ValidationError(_("The picture “%(name)s” is damaged or unreadable."), code="damaged", params={"name": name})


def _image_is_whole(upload) -> bool:
    from PIL import Image

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PICTURE_PIXELS:
                return False
            image.verify()
        return True
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors for broken or hostile files
        return False
    finally:
        upload.seek(0)


def check_attachment(upload) -> str:
    """Return the content type of an uploaded file proven by its content; raise ValidationError otherwise."""
    name = getattr(upload, "name", "") or ""
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file “%(name)s” is empty."), code="empty", params={"name": name})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The file “%(name)s” is too large (%(size)s). Each file may be at most %(max)s."),
            code="too_large",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(MAX_ATTACHMENT_BYTES),
            },
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(
            _("The file “%(name)s” is not a JPEG, PNG or WebP picture or a PDF document."),
            code="wrong_type",
            params={"name": name},
        )
    if content_type == "application/pdf" and not _pdf_is_whole(upload):
        raise ValidationError(
            _("The document “%(name)s” is not a complete PDF file."), code="damaged", params={"name": name}
        )
    if content_type.startswith("image/") and not _image_is_whole(upload):
        raise damaged_picture_error(name)
    return content_type


def strip_metadata(upload, content_type: str):
    """Return the file to keep: a picture re-encoded without EXIF, XMP or text chunks (turned upright as its
    EXIF orientation said), or the upload itself for a PDF. Raises Pillow's errors on undecodable pictures."""
    if content_type not in PILLOW_FORMATS:
        return upload
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as original:
        icc_profile = original.info.get("icc_profile")
        transparency = original.info.get("transparency")
        clean = ImageOps.exif_transpose(original)  # decodes the first frame into an upright copy
    clean.info = {}  # nothing of the original's metadata goes through
    options = {"exif": b""}
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
    upload.seek(0)
    return ContentFile(buffer.getvalue(), name=getattr(upload, "name", "") or "picture")


def safe_file_name(name: str, content_type: str) -> str:
    """Return a short, NFC, path-free version of the sender's file name ending in the extension its content proves."""
    base = normalise_text(name or "").replace("\x00", "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in " -_()").strip()[:80] or "tep"
    return f"{stem}.{EXTENSIONS[content_type]}"
