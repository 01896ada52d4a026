"""Sending a petition: form → preview → CAPTCHA → tracking code."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from citizens import drafts
from petitions.models import Petition, PetitionAttachment
from tests import factories as f
from tests.citizens.conftest import EMAIL, NAME, PDF_BYTES, jpeg_bytes, png_bytes, upload, webp_bytes

NEW = reverse("citizens:petition_new")
PREVIEW = reverse("citizens:petition_preview")
SENT = reverse("citizens:petition_sent")


def test_form_lists_todays_wards_only_and_explains_each_kind(client, world):
    old = f.UnitFactory(name="Liên Mạc", valid_from=datetime.date(2008, 8, 1), valid_to=datetime.date(2025, 6, 30))
    from units.models import UnitSuccession

    UnitSuccession.objects.create(predecessor=old, successor=world.ward_a, effective_on=datetime.date(2025, 7, 1))
    response = client.get(NEW)
    assert response.status_code == 200
    form = response.context["form"]
    wards = list(form.fields["unit"].queryset)
    assert world.ward_a in wards and old not in wards
    body = response.content.decode()
    assert "Liên Mạc" in body  # the old-names help maps it to today's ward
    assert "khiếu nại" in body and "tố cáo" in body
    assert 'name="consent"' in body and "checked" not in body.split('name="consent"')[1].split(">")[0]


def test_petition_goes_through_preview_and_gets_a_code(client, world, form_data, captcha_passes):
    response = client.post(NEW, form_data())
    assert response.status_code == 302 and response.url == PREVIEW
    assert not Petition.objects.exists()  # nothing is filed before the preview is confirmed

    preview = client.get(PREVIEW)
    assert preview.status_code == 200
    assert "Đèn chiếu sáng ngõ 12 bị hỏng" in preview.content.decode()

    response = client.post(PREVIEW, {"captcha_0": "x", "captcha_1": "PASSED"}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302 and response.url == SENT
    petition = Petition.objects.get()
    assert petition.unit == world.ward_a
    assert petition.petitioner_phone.as_e164 == "+84912345678"
    assert petition.show_name_publicly is False
    assert petition.consent_given_at is not None
    event = AuditEvent.objects.for_object(petition).get(action="submitted")
    assert event.ip_address == "198.51.100.7"

    sent = client.get(SENT)
    body = sent.content.decode()
    assert petition.display_code in body
    assert " ".join(petition.tracking_code[:5]) in body  # spaced groups to read aloud
    assert "A receipt with this code is being sent" in body


def test_wrong_captcha_files_nothing(client, world, form_data):
    client.post(NEW, form_data())
    response = client.post(PREVIEW, {"captcha_0": "nokey", "captcha_1": "WRONG"})
    assert response.status_code == 200
    assert response.context["form"].errors["captcha"]
    assert not Petition.objects.exists()


def test_attachments_are_typed_by_content_and_kept_through_the_preview(client, world, send, settings):
    petition = send(
        files=[
            upload("anh.jpg", jpeg_bytes(), "image/jpeg"),
            upload("so-do.png", png_bytes(), "image/png"),
            upload("anh-gui.webp", webp_bytes(), "image/webp"),
            upload("van-ban.pdf", PDF_BYTES, "application/pdf"),
            upload("photo-without-extension", jpeg_bytes(), "text/plain"),  # the content, not the name or header
        ]
    )
    types = sorted(PetitionAttachment.objects.filter(petition=petition).values_list("content_type", flat=True))
    assert types == ["application/pdf", "image/jpeg", "image/jpeg", "image/png", "image/webp"]
    assert {a.original_name for a in petition.attachments.all()} >= {"anh.jpg", "photo-without-extension.jpg"}
    # The draft's temporary folder is gone once sent.
    assert not any(drafts.drafts_root().glob("*/*")) if drafts.drafts_root().exists() else True


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("script.jpg", b"<script>alert(1)</script>", "wrong_type"),
        ("virus.pdf", b"MZ\x90\x00\x03", "wrong_type"),
        ("empty.png", b"", "empty"),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "damaged"),
    ],
)
def test_wrong_content_is_refused_with_a_clear_message(client, world, form_data, name, content, code):
    response = client.post(NEW, {**form_data(), "attachments": [upload(name, content, "image/jpeg")]})
    assert response.status_code == 200
    (error,) = response.context["form"].errors.as_data()["attachments"]
    assert error.code == code
    if code != "empty":  # Django's own check of empty files comes first and names no file
        assert error.params["name"] == name
    assert not drafts.drafts_root().exists() or not any(drafts.drafts_root().iterdir())


def test_file_over_5_mb_is_refused(client, world, form_data):
    big = jpeg_bytes() + b"\x00" * (5 * 1024 * 1024)
    response = client.post(NEW, {**form_data(), "attachments": [upload("big.jpg", big, "image/jpeg")]})
    assert response.status_code == 200
    (error,) = response.context["form"].errors.as_data()["attachments"]
    assert error.code == "too_large" and error.params["name"] == "big.jpg"


def test_more_than_five_files_are_refused(client, world, form_data):
    files = [upload(f"a{n}.jpg", jpeg_bytes(), "image/jpeg") for n in range(6)]
    response = client.post(NEW, {**form_data(), "attachments": files})
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"]


def test_more_files_than_the_form_takes_get_the_forms_own_message_and_keep_the_text(client, world, form_data):
    """Up to DATA_UPLOAD_MAX_NUMBER_FILES (20) the form answers itself, with what was typed kept."""
    files = [upload(f"a{n}.jpg", b"x", "image/jpeg") for n in range(11)]
    response = client.post(NEW, {**form_data(), "attachments": files})
    assert response.status_code == 200
    (error,) = response.context["form"].errors.as_data()["attachments"]
    assert error.code == "too_many"
    assert "Đèn chiếu sáng ngõ 12 bị hỏng" in response.content.decode()


def test_too_many_files_for_the_server_is_the_sites_400_page_not_a_500(client, world, form_data, settings):
    files = [upload(f"a{n}.jpg", b"x", "image/jpeg") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = client.post(NEW, {**form_data(), "attachments": files})
    assert response.status_code == 400
    assert "400.html" in [t.name for t in response.templates]
    assert "too many files" in response.content.decode()


def test_editing_after_the_preview_keeps_the_files_unless_replaced(client, world, form_data, captcha_passes):
    client.post(NEW, {**form_data(), "attachments": [upload("anh.jpg", jpeg_bytes(), "image/jpeg")]})
    page = client.get(NEW)
    assert "anh.jpg" in page.content.decode()
    assert page.context["form"].initial["title"] == "Đèn chiếu sáng ngõ 12 bị hỏng"
    client.post(NEW, form_data(title="Tiêu đề đã sửa"))  # no new file: the old one stays
    client.post(PREVIEW, {"captcha_0": "x", "captcha_1": "PASSED"})
    petition = Petition.objects.get()
    assert petition.title == "Tiêu đề đã sửa"
    assert petition.attachments.count() == 1


def test_choosing_a_complaint_keeps_what_was_typed_for_another_kind(client, world, form_data, captcha_passes):
    response = client.post(NEW, form_data(kind="khieu_nai", show_name_publicly="on"))
    assert "citizens/petition_routed_out.html" in [t.name for t in response.templates]
    page = client.get(NEW)
    form = page.context["form"]
    assert form.initial["title"] == "Đèn chiếu sáng ngõ 12 bị hỏng"
    assert form.initial["petitioner_name"] == NAME and form.initial["unit"] == str(world.ward_a.pk)
    assert form.initial["show_name_publicly"] is True
    assert "kind" not in form.initial  # they choose the kind again
    body = page.content.decode()
    assert "Đèn chiếu sáng ngõ 12 hỏng hơn một tháng" in body and EMAIL in body
    # Shown once: a later visit to the form starts afresh.
    assert "title" not in client.get(NEW).context["form"].initial
    # Choosing another kind sends it as usual.
    assert client.post(NEW, form_data(kind="kien_nghi")).status_code == 302
    client.post(PREVIEW, {"captcha_0": "x", "captcha_1": "PASSED"})
    assert Petition.objects.get().kind == "kien_nghi"


@pytest.mark.parametrize("kind", ["khieu_nai", "to_cao"])
def test_complaint_or_denunciation_shows_the_other_procedure_and_files_nothing(client, world, form_data, kind):
    response = client.post(NEW, form_data(kind=kind))
    assert response.status_code == 200
    assert "citizens/petition_routed_out.html" in [t.name for t in response.templates]
    assert client.get(PREVIEW).status_code == 302  # no draft was kept
    assert not Petition.objects.exists()


def test_consent_is_required(client, world, form_data):
    response = client.post(NEW, form_data(consent=None))
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors


def test_conference_must_be_one_of_the_chosen_ward(client, world, form_data):
    other = f.ConferenceFactory(unit=world.ward_b, status="announced")
    response = client.post(NEW, form_data(requested_conference=other.pk))
    assert response.status_code == 200
    assert "requested_conference" in response.context["form"].errors


def test_petition_can_be_raised_at_an_upcoming_conference(client, world, send, upcoming_conference):
    page = client.get(NEW + f"?ward={world.ward_a.pk}")
    assert upcoming_conference.title in page.content.decode()
    petition = send(requested_conference=upcoming_conference.pk)
    assert petition.requested_conference == upcoming_conference


def test_honeypot_filled_files_nothing(client, world, form_data):
    response = client.post(NEW, form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert response.context["form"].errors["website"]
    assert not Petition.objects.exists()


def test_vietnamese_phone_formats_are_accepted_and_stored_alike(world, send):
    from tests.citizens.conftest import PHONE_FORMS

    for number, form in enumerate(PHONE_FORMS[:4]):
        petition = send(petitioner_phone=form, remote_addr=f"203.0.113.{number + 10}")
        assert petition.petitioner_phone.as_e164 == "+84912345678", form


PHONE_MESSAGE = "Enter a valid phone number, e.g. 0912 345 678."


@pytest.mark.parametrize(
    "number",
    ["12345", "+1 202 555 0143", "+12025550143", "+44 20 7946 0958", "0912 345 678 ext. 12", "+84 912 345 678;ext=5"],
)
def test_invalid_foreign_or_extended_phone_is_refused_with_the_portals_message(client, world, form_data, number):
    response = client.post(NEW, form_data(petitioner_phone=number))
    assert response.status_code == 200
    (error,) = response.context["form"].errors.as_data()["petitioner_phone"]
    assert error.code == "invalid"
    assert PHONE_MESSAGE in response.content.decode()


def test_phone_error_is_the_portals_message_in_vietnamese(vi_client, world, form_data):
    from django.utils import translation

    response = vi_client.post(NEW, form_data(petitioner_phone="+1 202 555 0143"))
    assert response.status_code == 200
    with translation.override("vi"):
        expected = translation.gettext(PHONE_MESSAGE)
    body = response.content.decode()
    assert expected in body and expected != PHONE_MESSAGE  # the catalogue has it: "Nhập số điện thoại hợp lệ…"
    assert "international call prefix" not in body and "Enter a valid phone number" not in body


def test_sent_page_without_a_sending_goes_back_to_the_form(client, db):
    assert client.get(SENT).status_code == 302


def test_preview_with_nothing_to_preview_goes_back_to_the_form(client, db):
    assert client.get(PREVIEW)["Location"] == NEW


def test_stale_draft_folders_are_purged(client, world, form_data):
    client.post(NEW, {**form_data(), "attachments": [upload("anh.jpg", jpeg_bytes(), "image/jpeg")]})
    folders = list(drafts.drafts_root().iterdir())
    assert len(folders) == 1
    assert drafts.purge_stale_drafts() == 0
    later = timezone.now() + datetime.timedelta(days=2)
    assert drafts.purge_stale_drafts(now=later.replace(tzinfo=None)) == 1
    assert not Path(folders[0]).exists()


def test_email_receipt_note_only_when_an_address_was_given(client, world, send):
    send(petitioner_email="")
    assert "A receipt with this code is being sent" not in client.get(SENT).content.decode()
    send(petitioner_email=EMAIL, remote_addr="203.0.113.99")
    body = client.get(SENT).content.decode()
    assert "A receipt with this code is being sent" in body
    assert NAME not in body and EMAIL not in body


def test_purge_command_runs(db, capsys):
    from django.core.management import call_command

    call_command("purge_citizen_drafts")
    assert "Removed 0" in capsys.readouterr().out


def test_truncated_pdf_is_refused(client, world, form_data):
    cut = PDF_BYTES.replace(b"%%EOF", b"") + b"x" * 2000
    response = client.post(NEW, {**form_data(), "attachments": [upload("cut.pdf", cut, "application/pdf")]})
    (error,) = response.context["form"].errors.as_data()["attachments"]
    assert error.code == "damaged" and error.params["name"] == "cut.pdf"
    # %%EOF followed by a few bytes (a newline, padding) is still a PDF.
    padded = upload("ok.pdf", PDF_BYTES + b"\r\n   \n", "application/pdf")
    assert client.post(NEW, {**form_data(), "attachments": [padded]}).status_code == 302


def _photo_with_gps(fmt: str) -> bytes:
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # make
    exif[0x0112] = 6  # orientation: rotate 90°
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (21.0, 4.0, 12.5), "E", (105.0, 46.0, 3.2)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 80, 40)).save(buffer, fmt, exif=exif.tobytes())
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_pictures_are_kept_without_exif_or_gps(client, world, send, fmt, content_type):
    import io

    from PIL import Image

    original = _photo_with_gps(fmt)
    assert b"SecretCam" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    petition = send(files=[upload(f"photo.{fmt.lower()}", original, content_type)])
    attachment = petition.attachments.get()
    with attachment.file.open("rb") as stored:
        kept = stored.read()
    assert b"SecretCam" not in kept
    image = Image.open(io.BytesIO(kept))
    assert image.format == fmt and not dict(image.getexif())
    assert image.size == (30, 40)  # turned upright as the EXIF orientation said
    assert attachment.size == len(kept) and attachment.content_type == content_type


def test_personal_fields_are_hidden_from_error_reports(client, world, form_data, captcha_passes, monkeypatch):
    """A crash while sending must not put the petitioner's name, phone or e-mail in the error e-mail."""
    from django.core.signals import got_request_exception
    from django.views.debug import ExceptionReporter

    reports = []

    def report(sender, request, **kwargs):
        import sys

        reports.append(ExceptionReporter(request, *sys.exc_info()).get_traceback_text())

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    got_request_exception.connect(report)
    client.raise_request_exception = False
    try:
        real_save_draft = drafts.save_draft
        monkeypatch.setattr(drafts, "save_draft", crash)
        assert client.post(NEW, form_data()).status_code == 500
        monkeypatch.setattr(drafts, "save_draft", real_save_draft)
        assert client.post(NEW, form_data()).status_code == 302
        monkeypatch.setattr("citizens.views.client_ip", crash)  # fails after the draft is read and checked
        assert client.post(PREVIEW, {"captcha_0": "x", "captcha_1": "PASSED"}).status_code == 500
    finally:
        got_request_exception.disconnect(report)
    assert len(reports) == 2
    for text in reports:
        assert "RuntimeError" in text
        for personal in (NAME, EMAIL, "0912 345 678", "+84912345678", "912345678"):
            assert personal not in text, personal


def test_captcha_has_a_no_js_new_picture_link_and_a_non_visual_alternative(client, world, form_data):
    import re

    client.post(NEW, form_data())
    first = client.get(PREVIEW)
    body = first.content.decode()
    assert f'href="{PREVIEW}" id="captcha-refresh"' in body
    assert "call the ward’s People’s Committee office or come in person" in body.replace("&#x27;", "’").replace(
        "'", "’"
    )
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', body).group(1)
    again = client.get(PREVIEW).content.decode()  # following the link: a new picture, the draft kept
    assert re.search(r'name="captcha_0" value="([0-9a-f]+)"', again).group(1) != key
    assert "Đèn chiếu sáng ngõ 12 bị hỏng" in again
