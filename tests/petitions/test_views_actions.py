"""Petition actions in the portal: confirmation, 404 outside scope, 403 without the right, services, input kept."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from petitions import services
from petitions.models import AnswerTemplate, Channel, Petition, PetitionKind, PetitionStatus, RejectionReason
from tests.petitions.conftest import PDF_BYTES, PNG_BYTES, accepted, answered, pdf_upload, submit

pytestmark = pytest.mark.django_db
IP = "198.51.100.4"
ACTIONS = ["accept", "reject", "assign", "extend", "answer", "resolve", "reopen"]


def url(action, petition):
    return reverse(f"petitions:petition_{action}", args=[petition.pk])


def post(client, user, action, petition, data=None, **extra):
    client.force_login(user)
    return client.post(url(action, petition), data or {}, REMOTE_ADDR=IP, **extra)


def status_of(petition):
    return Petition.objects.get(pk=petition.pk).status


def last_event(petition):
    return AuditEvent.objects.for_object(petition).last()


# --- Scope and rights -----------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", ["bob", "stranger"])
def test_outside_scope_every_action_is_404(client, world, petition_a, action, persona):
    client.force_login(getattr(world, persona))
    assert client.get(url(action, petition_a)).status_code == 404
    assert client.post(url(action, petition_a), {"reason": "x"}).status_code == 404
    assert status_of(petition_a) == PetitionStatus.SUBMITTED


@pytest.mark.parametrize("action", ["accept", "reject", "assign", "extend", "resolve", "reopen"])
@pytest.mark.parametrize("persona", ["hana", "sam", "fiona"])
def test_in_scope_without_the_right_is_403(client, world, petition_a, action, persona):
    client.force_login(getattr(world, persona))
    assert client.get(url(action, petition_a)).status_code == 403
    assert client.post(url(action, petition_a), {"reason": "x"}).status_code == 403
    assert status_of(petition_a) == PetitionStatus.SUBMITTED


@pytest.mark.parametrize("persona", ["sam", "fiona"])
def test_readers_above_the_ward_cannot_answer(client, world, assigned_a, persona):
    assert post(client, getattr(world, persona), "answer", assigned_a).status_code == 403


def test_handling_officer_cannot_answer_what_is_not_assigned_to_her_office(client, world):
    petition = accepted(world, world.ward_a, world.alice)
    assert post(client, world.hana, "answer", petition).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, petition_a):
    response = client.post(url("accept", petition_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert status_of(petition_a) == PetitionStatus.SUBMITTED


def test_detail_offers_only_the_allowed_actions(client, world, assigned_a):
    client.force_login(world.hana)
    actions = client.get(reverse("petitions:petition_detail", args=[assigned_a.pk])).context["actions"]
    assert {k for k, v in actions.items() if v} == {"answer"}
    client.force_login(world.alice)
    actions = client.get(reverse("petitions:petition_detail", args=[assigned_a.pk])).context["actions"]
    assert {k for k, v in actions.items() if v} == {"reject", "assign", "extend", "answer", "redact"}


# --- Accept ---------------------------------------------------------------------------------


def test_get_shows_a_confirmation_and_changes_nothing(client, world, petition_a):
    client.force_login(world.alice)
    response = client.get(url("accept", petition_a))
    assert response.status_code == 200
    assert f'action="{url("accept", petition_a)}"' in response.content.decode()
    assert status_of(petition_a) == PetitionStatus.SUBMITTED


def test_alice_accepts_with_her_address_on_the_audit_row(client, world, petition_a):
    response = post(client, world.alice, "accept", petition_a)
    assert response.status_code == 302
    assert status_of(petition_a) == PetitionStatus.ACCEPTED
    event = last_event(petition_a)
    assert (event.action, event.actor, event.ip_address) == ("accepted", world.alice, IP)


def test_chair_accepts(client, world, petition_a):
    post(client, world.chris, "accept", petition_a)
    assert status_of(petition_a) == PetitionStatus.ACCEPTED


def test_forbidden_transition_is_a_message_not_an_error(client, world, petition_a):
    post(client, world.alice, "accept", petition_a)
    client.get(reverse("petitions:petition_detail", args=[petition_a.pk]))  # shows the success message
    response = post(client, world.alice, "accept", petition_a)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert AuditEvent.objects.for_object(petition_a).filter(action="accepted").count() == 1


# --- Reject ---------------------------------------------------------------------------------


def test_reject_form_shows_routing_guidance_for_a_complaint(client, world):
    complaint = submit(world, world.ward_a, kind=PetitionKind.COMPLAINT, channel=Channel.RECEPTION)
    client.force_login(world.alice)
    response = client.get(url("reject", complaint))
    assert response.context["form"].initial == {"reason": RejectionReason.COMPLAINT}
    with translation.override(response.wsgi_request.LANGUAGE_CODE):  # the page's language
        guidance = str(services.ROUTING_GUIDANCE[RejectionReason.COMPLAINT])
    assert guidance in response.content.decode()
    post(client, world.alice, "reject", complaint, {"reason": RejectionReason.COMPLAINT})
    complaint.refresh_from_db()
    assert complaint.status == PetitionStatus.REJECTED
    assert complaint.rejection_note == guidance


def test_reject_as_not_competent_needs_an_explanation_and_keeps_input(client, world, petition_a):
    response = post(client, world.alice, "reject", petition_a, {"reason": RejectionReason.NOT_COMPETENT, "note": ""})
    assert response.status_code == 200 and response.context["form"].errors["note"]
    assert response.context["form"]["reason"].value() == RejectionReason.NOT_COMPETENT
    assert status_of(petition_a) == PetitionStatus.SUBMITTED


def test_duplicate_is_merged_into_the_petition_named_by_its_code(client, world, petition_a):
    original = submit(world, world.ward_a, title="Bản gốc")
    data = {"reason": RejectionReason.DUPLICATE, "duplicate_code": original.display_code.lower()}
    assert post(client, world.alice, "reject", petition_a, data).status_code == 302
    petition_a.refresh_from_db()
    assert petition_a.duplicate_of == original and petition_a.status == PetitionStatus.REJECTED
    assert last_event(petition_a).ip_address == IP


def test_duplicate_cannot_point_to_another_wards_petition(client, world, petition_a, petition_b):
    data = {"reason": RejectionReason.DUPLICATE, "duplicate_code": petition_b.tracking_code}
    response = post(client, world.alice, "reject", petition_a, data)
    assert response.status_code == 200 and response.context["form"].errors["duplicate_code"]
    assert response.context["form"]["duplicate_code"].value() == petition_b.tracking_code
    assert status_of(petition_a) == PetitionStatus.SUBMITTED


# --- Assign / transfer ------------------------------------------------------------------------


def test_assign_shows_the_due_date_from_the_rule_and_assigns(client, world):
    petition = accepted(world, world.ward_a, world.alice)
    client.force_login(world.alice)
    response = client.get(url("assign", petition))
    expected = services.answer_due_date(unit=world.ward_a, start=timezone.localdate())
    assert response.context["form"].initial["due_on"] == expected
    assert expected.strftime("%d/%m/%Y") in response.content.decode()
    assert list(response.context["form"].fields["organisation"].queryset) == [world.land_a]
    chosen = timezone.localdate() + datetime.timedelta(days=12)
    data = {"mode": "assign", "organisation": world.land_a.pk, "due_on": chosen.isoformat(), "note": "Kiểm tra"}
    assert post(client, world.alice, "assign", petition, data).status_code == 302
    petition.refresh_from_db()
    assert (petition.status, petition.handling_org, petition.due_on) == (
        PetitionStatus.IN_PROGRESS,
        world.land_a,
        chosen,
    )
    assert last_event(petition).ip_address == IP


def test_cannot_assign_to_another_wards_office(client, world):
    petition = accepted(world, world.ward_a, world.alice)
    data = {"mode": "assign", "organisation": world.land_b.pk, "due_on": timezone.localdate().isoformat()}
    response = post(client, world.alice, "assign", petition, data)
    assert response.status_code == 200 and response.context["form"].errors["organisation"]
    assert status_of(petition) == PetitionStatus.ACCEPTED


def test_transfer_needs_a_reason_and_keeps_input(client, world, assigned_a):
    due = (timezone.localdate() + datetime.timedelta(days=9)).isoformat()
    data = {"mode": "transfer", "organisation": world.land_a.pk, "due_on": due, "note": ""}
    response = post(client, world.alice, "assign", assigned_a, data)
    assert response.status_code == 200 and response.context["form"].errors["note"]
    assert response.context["form"]["due_on"].value() == due
    data["note"] = "Chuyển đúng thẩm quyền"
    assert post(client, world.alice, "assign", assigned_a, data).status_code == 302
    assert status_of(assigned_a) == PetitionStatus.TRANSFERRED


def test_assigning_a_submitted_petition_is_refused_with_a_message(client, world, petition_a):
    data = {"mode": "assign", "organisation": world.land_a.pk, "due_on": timezone.localdate().isoformat(), "note": "x"}
    response = post(client, world.alice, "assign", petition_a, data)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert response.context["form"]["note"].value() == "x"
    assert status_of(petition_a) == PetitionStatus.SUBMITTED


# --- Extend ---------------------------------------------------------------------------------


def test_extend_with_a_reason(client, world, assigned_a):
    new_due = assigned_a.due_on + datetime.timedelta(days=15)
    data = {"new_due_on": new_due.isoformat(), "reason": "Chờ ý kiến sở"}
    assert post(client, world.alice, "extend", assigned_a, data).status_code == 302
    assigned_a.refresh_from_db()
    assert assigned_a.due_on == new_due and assigned_a.extensions.get().reason == "Chờ ý kiến sở"


def test_after_the_due_date_the_ward_official_is_refused_and_the_chair_may_extend(client, world, assigned_a):
    passed = timezone.localdate() - datetime.timedelta(days=42)
    Petition.objects.filter(pk=assigned_a.pk).update(due_on=passed, original_due_on=passed)
    data = {"new_due_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(), "reason": "Chờ ý kiến sở"}
    response = post(client, world.alice, "extend", assigned_a, data)
    assert response.status_code == 200 and not assigned_a.extensions.exists()
    assert "người đứng đầu" in response.content.decode() or "chair" in response.content.decode()
    assert post(client, world.chris, "extend", assigned_a, data).status_code == 302
    assigned_a.refresh_from_db()
    assert assigned_a.extensions.count() == 1 and assigned_a.is_overdue()


def test_extend_to_an_earlier_date_is_refused(client, world, assigned_a):
    data = {"new_due_on": assigned_a.due_on.isoformat(), "reason": "Chờ"}
    response = post(client, world.alice, "extend", assigned_a, data)
    assert response.status_code == 200 and response.context["form"].errors["new_due_on"]
    assert not assigned_a.extensions.exists()


# --- Answer ---------------------------------------------------------------------------------


def answer_data(**overrides):
    data = {
        "text": "Phường đã thay bóng đèn.",
        "document_number": "125/UBND-KT",
        "document_date": timezone.localdate().isoformat(),
        "evidence": pdf_upload(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_handling_officer_answers_with_evidence(client, world, assigned_a):
    response = post(client, world.hana, "answer", assigned_a, answer_data())
    assert response.status_code == 302
    assigned_a.refresh_from_db()
    assert assigned_a.status == PetitionStatus.ANSWERED
    answer = assigned_a.answers.get()
    assert (answer.document_number, answer.answered_by) == ("125/UBND-KT", world.hana)
    assert answer.evidence.read().startswith(b"%PDF")
    assert last_event(assigned_a).ip_address == IP


def test_png_evidence_is_accepted(client, world, assigned_a):
    upload = SimpleUploadedFile("anh.png", PNG_BYTES, content_type="image/png")
    assert post(client, world.hana, "answer", assigned_a, answer_data(evidence=upload)).status_code == 302


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"evidence": None}, "evidence"),
        (
            {"evidence": SimpleUploadedFile("gia.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")},
            "evidence",
        ),
        (
            {"evidence": SimpleUploadedFile("lon.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), "application/pdf")},
            "evidence",
        ),
        ({"document_number": ""}, "document_number"),
        ({"document_date": ""}, "document_date"),
        ({"text": ""}, "text"),
    ],
    ids=["no-file", "not-a-pdf", "too-large", "no-number", "no-date", "no-text"],
)
def test_incomplete_answer_is_refused_and_keeps_input(client, world, assigned_a, overrides, field):
    response = post(client, world.hana, "answer", assigned_a, answer_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    form = response.context["form"]
    if field != "text":
        assert form["text"].value() == "Phường đã thay bóng đèn."
    if field != "document_number":
        assert form["document_number"].value() == "125/UBND-KT"
    assert status_of(assigned_a) == PetitionStatus.IN_PROGRESS


def test_answer_to_a_submitted_petition_is_refused_and_keeps_input(client, world, petition_a):
    response = post(client, world.alice, "answer", petition_a, answer_data())
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert response.context["form"]["text"].value() == "Phường đã thay bóng đèn."
    assert status_of(petition_a) == PetitionStatus.SUBMITTED


def test_answer_template_prefills_the_text_without_javascript(client, world, assigned_a):
    template = AnswerTemplate.objects.create(title="Đã khắc phục", text="Kính gửi công dân, phường đã khắc phục.")
    other_ward = AnswerTemplate.objects.create(unit=world.ward_b, title="Mẫu phường Bình", text="Riêng phường Bình")
    client.force_login(world.hana)
    response = client.get(url("answer", assigned_a), {"template": template.pk})
    assert response.context["form"]["text"].value() == template.text
    assert list(response.context["answer_templates"]) == [template]
    response = client.get(url("answer", assigned_a), {"template": other_ward.pk})
    assert not response.context["form"]["text"].value()


# --- Resolve, reopen ------------------------------------------------------------------------


def test_resolve_then_reopen(client, world):
    petition = answered(world, world.ward_a, world.alice, world.land_a)
    assert post(client, world.alice, "resolve", petition, {"note": "Đã kiểm tra"}).status_code == 302
    assert status_of(petition) == PetitionStatus.RESOLVED
    response = post(client, world.alice, "reopen", petition, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert post(client, world.alice, "reopen", petition, {"reason": "Tái diễn"}).status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.IN_PROGRESS and petition.reopened_count == 1
    assert last_event(petition).note == "Tái diễn"


# --- Bulk assign ----------------------------------------------------------------------------


def test_bulk_assign_confirms_then_assigns_what_it_may(client, world, petition_b):
    first = accepted(world, world.ward_a, world.alice)
    second = accepted(world, world.ward_a, world.alice)
    not_yet = submit(world, world.ward_a)
    client.force_login(world.alice)
    ids = [first.pk, second.pk, not_yet.pk, petition_b.pk]
    response = client.post(reverse("petitions:bulk_assign"), {"ids": ids}, REMOTE_ADDR=IP)
    assert response.status_code == 200
    assert {p.pk for p in response.context["petitions"]} == {first.pk, second.pk, not_yet.pk}
    assert status_of(first) == PetitionStatus.ACCEPTED  # nothing yet: this was the confirmation
    data = {"ids": ids, "confirm": "1", "organisation": world.land_a.pk, "due_on": ""}
    response = client.post(reverse("petitions:bulk_assign"), data, REMOTE_ADDR=IP)
    assert response.status_code == 302
    assert status_of(first) == status_of(second) == PetitionStatus.IN_PROGRESS
    assert status_of(not_yet) == PetitionStatus.SUBMITTED
    assert status_of(petition_b) == PetitionStatus.SUBMITTED
    assert last_event(first).ip_address == IP


def test_bulk_assign_refuses_get_and_outsiders(client, world):
    petition = accepted(world, world.ward_a, world.alice)
    client.force_login(world.bob)
    assert client.get(reverse("petitions:bulk_assign")).status_code == 405
    data = {"ids": [petition.pk], "confirm": "1", "organisation": world.land_b.pk}
    assert client.post(reverse("petitions:bulk_assign"), data).status_code == 302
    assert status_of(petition) == PetitionStatus.ACCEPTED


# --- Record a petition received on paper -----------------------------------------------------


def create_data(world, **overrides):
    data = {
        "unit": world.ward_a.pk,
        "channel": Channel.RECEPTION,
        "kind": PetitionKind.RECOMMENDATION,
        "category": world.category.pk,
        "title": "Đề nghị lắp gờ giảm tốc",
        "content": "Xe chạy nhanh qua cổng trường.",
        "petitioner_name": "Trần Văn Nam",
        "petitioner_phone": "0987654321",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_official_records_a_petition_received_at_reception(client, world):
    client.force_login(world.alice)
    response = client.post(reverse("petitions:petition_create"), create_data(world), REMOTE_ADDR=IP)
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert (petition.channel, petition.unit, petition.status) == (Channel.RECEPTION, world.ward_a, "submitted")
    assert petition.consent_given_at is not None and str(petition.petitioner_phone) == "0987 654 321"
    event = last_event(petition)
    assert (event.actor, event.ip_address, event.data) == (world.alice, IP, {"channel": "reception"})


def test_recording_without_consent_keeps_the_input(client, world):
    client.force_login(world.alice)
    response = client.post(reverse("petitions:petition_create"), create_data(world, consent=None))
    assert response.status_code == 200 and response.context["form"].errors["consent"]
    assert response.context["form"]["content"].value() == "Xe chạy nhanh qua cổng trường."
    assert not Petition.objects.exists()


def test_attachment_is_checked_by_its_content(client, world):
    client.force_login(world.alice)
    fake = SimpleUploadedFile("anh.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = client.post(reverse("petitions:petition_create"), create_data(world, attachments=fake))
    assert response.status_code == 200 and response.context["form"].errors["attachments"]
    good = SimpleUploadedFile("don.pdf", PDF_BYTES, content_type="application/octet-stream")
    assert client.post(reverse("petitions:petition_create"), create_data(world, attachments=good)).status_code == 302
    assert Petition.objects.get().attachments.get().content_type == "application/pdf"


def test_ward_b_official_cannot_record_for_ward_a(client, world):
    client.force_login(world.bob)
    response = client.post(reverse("petitions:petition_create"), create_data(world))
    assert response.status_code == 200 and response.context["form"].errors["unit"]
    assert not Petition.objects.exists()


@pytest.mark.parametrize("persona", ["stranger", "hana", "fiona"])
def test_who_handles_no_unit_cannot_record(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("petitions:petition_create")).status_code == 403
