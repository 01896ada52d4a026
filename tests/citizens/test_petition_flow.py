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


def test_too_many_files_for_the_server_is_a_400_not_a_500(client, world, form_data):
    files = [upload(f"a{n}.jpg", b"x", "image/jpeg") for n in range(11)]
    response = client.post(NEW, {**form_data(), "attachments": files})
    assert response.status_code == 400


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


def test_invalid_phone_is_refused(client, world, form_data):
    response = client.post(NEW, form_data(petitioner_phone="12345"))
    assert "petitioner_phone" in response.context["form"].errors


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
