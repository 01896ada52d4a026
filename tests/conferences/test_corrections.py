"""Officials correct their own mistakes before the notice is published: a conclusion item is
edited or withdrawn, a wrong attachment removed (kept, no longer served), each confirmed and audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.transitions import TransitionNotAllowed
from conferences import services
from conferences.models import ConclusionStatus, ConferenceAttachment, ConferenceStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"conferences:{name}", args=args)


def actions_of(conference):
    return [e.action for e in AuditEvent.objects.for_object(conference).order_by("created_at", "pk")]


@pytest.fixture
def item_a(world, held_a):
    return services.add_conclusion_item(
        conference=held_a,
        text="Giao Phòng Quản lý đô thị sửa đèn ngõ 12",
        assignee=world.land_a,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        by=world.alice,
    )


@pytest.fixture
def attachment_a(world, held_a):
    return services.add_attachment(
        conference=held_a, title="Ảnh nhầm", file=SimpleUploadedFile("nham.jpg", b"wrong-bytes"), by=world.alice
    )


# --- Services ----------------------------------------------------------------------------------------


def test_an_official_corrects_a_conclusion_item_and_the_history_keeps_what_it_said(world, held_a, item_a):
    new_deadline = timezone.localdate() + datetime.timedelta(days=45)
    services.update_conclusion_item(
        item=item_a, text="Giao Phòng Quản lý đô thị sửa đèn ngõ 14", deadline=new_deadline, by=world.alice
    )
    item_a.refresh_from_db()
    assert item_a.text.endswith("ngõ 14") and item_a.deadline == new_deadline and item_a.assignee is None
    event = AuditEvent.objects.get(action="conclusion_edited")
    assert event.data["before"]["text"].endswith("ngõ 12")
    assert sorted(event.data["fields"]) == ["assignee", "deadline", "text"]


def test_a_withdrawn_item_stays_numbered_in_the_history_and_leaves_the_draft_notice(world, held_a, item_a):
    from followup.services import draft_notice_from_conference

    notice = draft_notice_from_conference(conference=held_a, by=world.alice)
    assert list(notice.conclusion_items.all()) == [item_a]
    with pytest.raises(TransitionNotAllowed):
        services.withdraw_conclusion_item(item=item_a, reason="  ", by=world.alice)
    services.withdraw_conclusion_item(item=item_a, reason="Ghi trùng với kết luận 2", by=world.alice)
    item_a.refresh_from_db()
    assert item_a.status == ConclusionStatus.WITHDRAWN and item_a.withdrawal_reason == "Ghi trùng với kết luận 2"
    assert list(notice.conclusion_items.all()) == []
    assert list(held_a.conclusions.in_force()) == []
    assert "conclusion_withdrawn" in actions_of(held_a)
    # The next item does not take its number.
    other = services.add_conclusion_item(conference=held_a, text="Kết luận khác", by=world.alice)
    assert other.number == item_a.number + 1
    # A withdrawn item does not keep the conference open.
    with pytest.raises(TransitionNotAllowed):
        services.withdraw_conclusion_item(item=item_a, reason="lần hai", by=world.alice)


def test_removing_an_attachment_keeps_it_but_stops_serving_it(world, login, held_a, attachment_a):
    download = url("attachment_download", attachment_a.pk)
    assert login(world.alice).get(download).status_code == 200
    services.remove_attachment(attachment=attachment_a, reason="Ảnh của hội nghị khác", by=world.alice)
    attachment_a.refresh_from_db()
    assert attachment_a.removed_at is not None and attachment_a.removed_by == world.alice
    assert ConferenceAttachment.objects.filter(pk=attachment_a.pk).exists()  # kept for the history
    assert attachment_a.file.storage.exists(attachment_a.file.name)
    assert login(world.alice).get(download).status_code == 404
    page = login(world.alice).get(url("conference_detail", held_a.pk)).content.decode()
    assert download not in page  # no longer listed, only in the history:
    assert page.count("Ảnh nhầm") == 2  # "File attached" and "File removed", each with the title
    event = AuditEvent.objects.get(action="attachment_removed")
    assert event.note == "Ảnh nhầm" and event.data["reason"] == "Ảnh của hội nghị khác"


def test_corrections_are_refused_once_the_notice_is_published(world, held_a, item_a, attachment_a):
    services.mark_conference_concluded(conference=held_a, by=world.chris)  # what publishing the notice does
    with pytest.raises(TransitionNotAllowed, match="new version"):
        services.update_conclusion_item(item=item_a, text="Sửa sau khi công bố", by=world.alice)
    with pytest.raises(TransitionNotAllowed, match="new version"):
        services.withdraw_conclusion_item(item=item_a, reason="x", by=world.alice)
    with pytest.raises(TransitionNotAllowed, match="new version"):
        services.remove_attachment(attachment=attachment_a, by=world.alice)
    item_a.refresh_from_db()
    assert item_a.status == ConclusionStatus.OPEN and not item_a.text.startswith("Sửa")


def test_a_supervisor_or_another_ward_cannot_correct_the_wards_records(world, held_a, item_a, attachment_a):
    for outsider in (world.sam, world.bob, world.fiona):
        with pytest.raises(PermissionDenied):
            services.update_conclusion_item(item=item_a, text="Sửa", by=outsider)
        with pytest.raises(PermissionDenied):
            services.withdraw_conclusion_item(item=item_a, reason="x", by=outsider)
        with pytest.raises(PermissionDenied):
            services.remove_attachment(attachment=attachment_a, by=outsider)
    services.withdraw_conclusion_item(item=item_a, reason="Chủ trì kết luận lại", by=world.chris)  # the chair may


# --- Pages -------------------------------------------------------------------------------------------


def test_alice_edits_a_conclusion_after_a_confirmation_page(world, login, held_a, item_a):
    c = login(world.alice)
    page = c.get(url("conclusion_edit", item_a.pk))
    assert page.status_code == 200 and "ngõ 12" in page.content.decode()
    response = c.post(url("conclusion_edit", item_a.pk), {"text": "Sửa đèn ngõ 14", "assignee": "", "deadline": ""})
    assert response.status_code == 302 and response.url == url("conclusions", held_a.pk)
    item_a.refresh_from_db()
    assert item_a.text == "Sửa đèn ngõ 14"
    listing = c.get(url("conclusions", held_a.pk)).content.decode()
    assert url("conclusion_edit", item_a.pk) in listing and url("conclusion_withdraw", item_a.pk) in listing


def test_alice_withdraws_a_conclusion_with_a_reason(world, login, held_a, item_a):
    c = login(world.alice)
    assert c.get(url("conclusion_withdraw", item_a.pk)).status_code == 200
    refused = c.post(url("conclusion_withdraw", item_a.pk), {"reason": " "})
    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    assert c.post(url("conclusion_withdraw", item_a.pk), {"reason": "Ghi nhầm"}).status_code == 302
    item_a.refresh_from_db()
    assert item_a.status == ConclusionStatus.WITHDRAWN
    listing = c.get(url("conclusions", held_a.pk)).content.decode()
    assert "<del>" in listing and "Ghi nhầm" in listing
    assert url("conclusion_edit", item_a.pk) not in listing


def test_alice_removes_a_wrong_attachment_and_its_link_404s(world, login, held_a, attachment_a):
    c = login(world.alice)
    assert url("attachment_remove", attachment_a.pk) in c.get(url("conference_detail", held_a.pk)).content.decode()
    assert c.get(url("attachment_remove", attachment_a.pk)).status_code == 200
    assert c.post(url("attachment_remove", attachment_a.pk), {"reason": "Nhầm tệp"}).status_code == 302
    assert c.get(url("attachment_download", attachment_a.pk)).status_code == 404
    assert c.get(url("attachment_remove", attachment_a.pk)).status_code == 404  # already removed


def test_others_get_403_or_404_on_the_correction_pages(world, login, held_a, item_a, attachment_a):
    for pages_user, expected in ((world.sam, 403), (world.bob, 404)):
        c = login(pages_user)
        assert c.post(url("conclusion_edit", item_a.pk), {"text": "x"}).status_code == expected
        assert c.post(url("conclusion_withdraw", item_a.pk), {"reason": "x"}).status_code == expected
        assert c.post(url("attachment_remove", attachment_a.pk), {"reason": "x"}).status_code == expected
    item_a.refresh_from_db()
    assert item_a.status == ConclusionStatus.OPEN


def test_after_publication_the_page_refuses_and_offers_no_correction(world, login, held_a, item_a):
    held_a.status = ConferenceStatus.CONCLUDED
    held_a.save(update_fields=["status"])
    c = login(world.alice)
    assert url("conclusion_edit", item_a.pk) not in c.get(url("conclusions", held_a.pk)).content.decode()
    response = c.post(url("conclusion_withdraw", item_a.pk), {"reason": "Muộn"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    item_a.refresh_from_db()
    assert item_a.status == ConclusionStatus.OPEN


# --- Warn before, not after: no start in the past -----------------------------------------------------


def test_scheduling_a_start_in_the_past_is_refused(world):
    with pytest.raises(TransitionNotAllowed, match="past"):
        services.schedule_conference(
            unit=world.ward_a,
            kind="adhoc",
            format="thematic",
            title="Đối thoại hôm qua",
            planned_start=timezone.now() - datetime.timedelta(hours=1),
            by=world.alice,
        )
    conference = f.ConferenceFactory(unit=world.ward_a)
    with pytest.raises(TransitionNotAllowed, match="past"):
        services.update_conference(
            conference=conference, planned_start=timezone.now() - datetime.timedelta(days=1), by=world.alice
        )
    with pytest.raises(TransitionNotAllowed, match="past"):
        services.postpone_conference(
            conference=conference, reason="Mưa", new_start=timezone.now() - datetime.timedelta(days=1), by=world.alice
        )


def test_the_conference_form_refuses_a_start_in_the_past(world, login):
    c = login(world.alice)
    yesterday = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%d/%m/%Y %H:%M")
    response = c.post(
        url("conference_create"),
        {
            "unit": world.ward_a.pk,
            "kind": "adhoc",
            "format": "thematic",
            "title": "Hôm qua",
            "planned_start": yesterday,
        },
    )
    assert response.status_code == 200 and "planned_start" in response.context["form"].errors


def test_recording_a_past_conference_as_held_still_works(world):
    conference = f.ConferenceFactory(unit=world.ward_a, planned_start=timezone.now() - datetime.timedelta(days=2))
    services.announce_conference(
        conference=conference,
        invitation_sent_on=timezone.localdate() - datetime.timedelta(days=12),
        by=world.alice,
    )
    held = services.record_conference_held(
        conference=conference, held_on=timezone.localdate() - datetime.timedelta(days=2), by=world.alice
    )
    assert held.status == ConferenceStatus.HELD
