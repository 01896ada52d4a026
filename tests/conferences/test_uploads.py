"""Every hostile file kind is refused (or cleaned) by the one upload check, `conferences.uploads`."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from conferences.uploads import (
    CITIZEN_ATTACHMENT,
    MAX_PICTURE_PIXELS,
    OFFICIAL_DOCUMENT,
    CheckedFileField,
    clean_upload,
    download_response,
)

GPS_TAG = 0x8825


def pdf_bytes(*, open_action=None, attachment=False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if open_action is not None:
        writer._root_object[NameObject("/OpenAction")] = open_action
    if attachment:
        writer.add_attachment("ho-so.exe", b"MZ\x90\x00")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_TAG] = {1: "N", 2: (21.0, 2.0, 3.0), 3: "E", 4: (105.0, 47.0, 1.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A ~100-byte PNG that declares `width` × `height` pixels (a decompression bomb's header)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refused(file, policy=OFFICIAL_DOCUMENT) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        clean_upload(file, policy=policy)
    return info.value


def test_a_clean_pdf_is_kept_as_sent():
    data = pdf_bytes()
    clean = clean_upload(upload("bien-ban.pdf", data))
    assert clean.content_type == "application/pdf" and clean.safe_name == "bien-ban.pdf"
    assert clean.file.read() == data


def test_html_with_a_pdf_extension_and_type_is_refused():
    error = refused(upload("bien-ban.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"))
    assert error.code == "wrong_type"


def test_svg_disguised_as_png_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    assert refused(upload("anh.png", svg, "image/png")).code == "wrong_type"


def test_webp_is_refused_where_only_pdf_jpeg_png_are_accepted_but_not_for_citizens():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "WEBP")
    assert refused(upload("a.webp", buffer.getvalue())).code == "wrong_type"
    assert clean_upload(upload("a.webp", buffer.getvalue()), policy=CITIZEN_ATTACHMENT).content_type == "image/webp"


def test_each_kind_has_its_size_limit():
    data = pdf_bytes()
    big = data + b"%" * (CITIZEN_ATTACHMENT.max_bytes + 1)
    assert refused(upload("lon.pdf", big), policy=CITIZEN_ATTACHMENT).code == "too_large"
    too_big = data + b"%" * (OFFICIAL_DOCUMENT.max_bytes + 1)
    assert refused(upload("lon.pdf", too_big)).code == "too_large"


def test_empty_file_is_refused():
    assert refused(upload("rong.pdf", b"")).code == "empty"


def test_gps_and_camera_exif_are_stripped_from_pictures():
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get(GPS_TAG) is not None  # the fixture really has a GPS position
    clean = clean_upload(upload("anh.jpg", original, "image/jpeg"))
    kept = clean.file.read()
    with Image.open(io.BytesIO(kept)) as image:
        assert dict(image.getexif()) == {}
    assert b"PhoneMaker" not in kept


def test_pixel_bomb_is_refused_from_its_header_before_decoding(monkeypatch):
    bomb = png_header_only(20_000, 20_000)  # 400 million pixels in ~100 bytes
    assert len(bomb) < 200

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("the bomb was decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", no_decoding)
    started = time.monotonic()
    error = refused(upload("bom.png", bomb, "image/png"))
    assert error.code == "too_many_pixels"
    assert time.monotonic() - started < 1


def test_pixel_cap_keeps_one_picture_under_about_100_mb():
    # RGBA, two copies (the original and its upright re-encoded copy).
    assert MAX_PICTURE_PIXELS * 4 * 2 <= 100 * 1024 * 1024
    assert Image.MAX_IMAGE_PIXELS == MAX_PICTURE_PIXELS


def test_picture_just_over_the_pixel_cap_is_refused():
    width = 4000
    height = MAX_PICTURE_PIXELS // width + 1
    assert refused(upload("rong.png", png_header_only(width, height))).code == "too_many_pixels"


def test_picture_with_a_good_header_and_broken_body_is_refused():
    assert refused(upload("hong.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)).code == "damaged"


def test_pdf_with_javascript_is_refused():
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    assert refused(upload("don.pdf", pdf_bytes(open_action=action))).code == "pdf_javascript"


def test_pdf_with_hex_escaped_javascript_name_is_refused():
    data = pdf_bytes(
        open_action=DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("x")})
    )
    data = data.replace(b"/URI", b"/J#61vaScript", 1)  # the same name, written with an escape
    assert refused(upload("don.pdf", data)).code in {"pdf_javascript", "damaged"}


def test_pdf_with_launch_action_is_refused():
    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})
    assert refused(upload("don.pdf", pdf_bytes(open_action=action))).code == "pdf_launch"


def test_pdf_with_embedded_files_is_refused():
    assert refused(upload("don.pdf", pdf_bytes(attachment=True))).code == "pdf_embedded"


def test_truncated_pdf_is_refused():
    assert refused(upload("don.pdf", pdf_bytes()[:-200])).code == "damaged"


def test_refusals_are_in_vietnamese():
    from django.utils import translation

    with translation.override("vi"):
        error = refused(upload("anh.png", b"<svg/>"))
        message = error.messages[0]
    assert "anh.png" in message and "not one of" not in message


def test_form_field_returns_the_cleaned_picture_with_its_type():
    field = CheckedFileField()
    kept = field.clean(upload("anh.jpg", jpeg_with_gps(), "image/jpeg"))
    assert kept.checked_content_type == "image/jpeg" and kept.safe_name == "anh.jpg"
    with Image.open(kept) as image:
        assert dict(image.getexif()) == {}


def test_downloads_are_attachments_never_sniffed_nor_cached():
    response = download_response(io.BytesIO(b"%PDF-"), filename="bien-ban.pdf", content_type="application/pdf")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
