"""followup.services: notice transitions, publication side effects, supervision and commendations."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from audit.transitions import TransitionNotAllowed
from conferences.models import ConferenceStatus
from followup import services
from followup.models import NOTICE_TRANSITIONS, Commendation, FollowUpNotice, NoticeStatus, Supervision
from petitions.models import PetitionKind, PetitionStatus
from rules.models import Rule, RuleKey
from tests import factories as f
from tests.followup.conftest import make_held_conference
from units.models import UnitLevel

pytestmark = pytest.mark.django_db

DRAFT, APPROVED, PUBLISHED = NoticeStatus.DRAFT, NoticeStatus.APPROVED, NoticeStatus.PUBLISHED
ALLOWED = {(DRAFT, APPROVED), (APPROVED, PUBLISHED), (APPROVED, DRAFT)}
MOVE_TO = {
    APPROVED: lambda notice, by: services.approve_notice(notice=notice, by=by),
    DRAFT: lambda notice, by: services.return_notice_to_draft(notice=notice, by=by),
    PUBLISHED: lambda notice, by: services.publish_notice(notice=notice, by=by),
}


def actions(obj):
    return list(AuditEvent.objects.for_object(obj).values_list("action", flat=True))


# --- Notice transitions ----------------------------------------------------------------------


def test_transition_table_is_the_documented_one():
    table = {(current, target) for current, targets in NOTICE_TRANSITIONS.items() for target in targets}
    assert table == ALLOWED


@pytest.mark.parametrize("current", [DRAFT, APPROVED, PUBLISHED])
@pytest.mark.parametrize("target", [DRAFT, APPROVED, PUBLISHED])
def test_every_notice_transition_is_allowed_or_refused(world, current, target):
    notice = f.NoticeFactory(
        unit=world.ward_a,
        status=current,
        number="7-TB/ĐU",
        issued_on=timezone.localdate(),
        published_at=timezone.now() if current == PUBLISHED else None,
    )
    if (current, target) in ALLOWED:
        MOVE_TO[target](notice, world.chris)
        notice.refresh_from_db()
        assert notice.status == target
        assert f"status:{target}" in actions(notice)
    else:
        with pytest.raises(TransitionNotAllowed):
            MOVE_TO[target](notice, world.chris)
        notice.refresh_from_db()
        assert notice.status == current
        assert actions(notice) == []


def test_refused_publication_leaves_no_publication_date(world):
    notice = f.NoticeFactory(unit=world.ward_a, status=DRAFT)
    with pytest.raises(TransitionNotAllowed):
        services.publish_notice(notice=notice, by=world.chris, posted_at="Bảng tin")
    notice.refresh_from_db()
    assert notice.published_at is None and notice.posted_at == ""


# --- Drafting, editing, approving ------------------------------------------------------------


def test_draft_is_built_from_the_conference(world, held_conference):
    complaint = f.PetitionFactory(unit=world.ward_a, conference=held_conference, kind=PetitionKind.COMPLAINT)
    notice = services.draft_notice_from_conference(conference=held_conference, by=world.alice, ip="10.0.0.1")
    assert notice.status == DRAFT and notice.unit == world.ward_a
    assert notice.due_on == held_conference.held_on + datetime.timedelta(days=10)
    assert set(notice.conclusion_items.all()) == set(held_conference.conclusions.all())
    assert complaint not in notice.petitions.all()
    assert notice.petitions.count() == 2
    assert "Kết luận 1" in notice.text
    event = AuditEvent.objects.for_object(notice).get()
    assert (event.action, event.actor, event.ip_address) == ("drafted", world.alice, "10.0.0.1")


def test_the_draft_reads_as_vietnamese_and_describes_each_petition_by_its_status(world, held_conference):
    held_conference.title = "Hội nghị đối thoại về giải phóng mặt bằng"
    held_conference.save(update_fields=["title"])
    accepted = f.PetitionFactory(
        unit=world.ward_a, conference=held_conference, status=PetitionStatus.ACCEPTED, title="Giá bồi thường thấp"
    )
    text = services.draft_text_for(held_conference)
    assert "hội nghị “Hội nghị" not in text  # the title says "Hội nghị" itself
    assert "tổ chức “Hội nghị đối thoại về giải phóng mặt bằng”" in text
    line = next(line for line in text.splitlines() if accepted.title in line)
    assert line.endswith("— Đã tiếp nhận.")  # what it is, not "Đang xử lý"


def test_no_draft_for_a_conference_not_yet_held(world):
    conference = f.ConferenceFactory(unit=world.ward_a)
    with pytest.raises(TransitionNotAllowed):
        services.draft_notice_from_conference(conference=conference, by=world.alice)
    assert not FollowUpNotice.objects.exists()


def test_notice_deadline_follows_the_rule_in_force_on_the_held_date(world, held_conference):
    Rule.objects.filter(key=RuleKey.NOTICE_DEADLINE_DAYS).update(valid_to=held_conference.held_on)
    Rule.objects.create(
        key=RuleKey.NOTICE_DEADLINE_DAYS, level="", value=5, valid_from=held_conference.held_on + datetime.timedelta(1)
    )
    assert services.notice_due_date(held_conference) == held_conference.held_on + datetime.timedelta(days=10)
    Rule.objects.create(
        key=RuleKey.NOTICE_DEADLINE_DAYS, level=UnitLevel.COMMUNE, value=3, valid_from=datetime.date(2020, 1, 1)
    )
    assert services.notice_due_date(held_conference) == held_conference.held_on + datetime.timedelta(days=3)
    assert services.NoticeDeadlines().due_date(held_conference) == services.notice_due_date(held_conference)


def test_no_deadline_without_a_rule(world, held_conference):
    Rule.objects.filter(key=RuleKey.NOTICE_DEADLINE_DAYS).delete()
    assert services.notice_due_date(held_conference) is None
    assert services.NoticeDeadlines().due_date(held_conference) is None


def test_approval_needs_number_and_date_of_issue(world, draft_notice):
    with pytest.raises(TransitionNotAllowed, match="number"):
        services.approve_notice(notice=draft_notice, by=world.chris)
    draft_notice.refresh_from_db()
    assert draft_notice.status == DRAFT and draft_notice.approved_by is None


def test_approval_records_the_approver_and_return_withdraws_it(world, numbered_notice):
    services.approve_notice(notice=numbered_notice, by=world.chris)
    numbered_notice.refresh_from_db()
    assert numbered_notice.approved_by == world.chris
    services.return_notice_to_draft(notice=numbered_notice, by=world.chris, note="Sửa số hiệu")
    numbered_notice.refresh_from_db()
    assert (numbered_notice.status, numbered_notice.approved_by) == (DRAFT, None)
    assert AuditEvent.objects.for_object(numbered_notice).last().note == "Sửa số hiệu"


def test_update_changes_a_draft_and_its_links(world, draft_notice, held_conference):
    item = held_conference.conclusions.get()
    services.update_notice(
        notice=draft_notice,
        by=world.alice,
        number=" 3-TB/ĐU ",
        issued_on=timezone.localdate(),
        title="Thông báo kết luận",
        text="Nội dung",
        conclusion_items=[item],
        petitions=[],
    )
    draft_notice.refresh_from_db()
    assert draft_notice.number == "3-TB/ĐU" and draft_notice.text == "Nội dung"
    assert list(draft_notice.conclusion_items.all()) == [item]
    assert not draft_notice.petitions.exists()
    assert "edited" in actions(draft_notice)


def test_an_approved_notice_cannot_be_edited(world, approved_notice):
    with pytest.raises(TransitionNotAllowed):
        services.update_notice(notice=approved_notice, by=world.alice, title="Khác", text="Khác")
    approved_notice.refresh_from_db()
    assert approved_notice.title != "Khác"


# --- Publication -----------------------------------------------------------------------------


def test_publication_concludes_the_conference_and_lands_on_each_petition(world, approved_notice, held_conference):
    petitions = list(approved_notice.petitions.all())
    assert len(petitions) == 2
    services.publish_notice(notice=approved_notice, by=world.chris, posted_at="Bảng tin UBND phường", ip="10.0.0.2")
    approved_notice.refresh_from_db()
    held_conference.refresh_from_db()
    assert approved_notice.status == PUBLISHED and approved_notice.published_at is not None
    assert approved_notice.posted_at == "Bảng tin UBND phường"
    assert held_conference.status == ConferenceStatus.CONCLUDED
    for petition in petitions:
        event = AuditEvent.objects.for_object(petition).get(action="notice_published")
        assert event.data == {"notice": approved_notice.pk, "number": "12-TB/ĐU"}
        assert (event.actor, event.ip_address) == (world.chris, "10.0.0.2")
    assert "status:concluded" in actions(held_conference)


def test_publishing_a_second_notice_leaves_a_concluded_conference_alone(world, held_conference):
    first = f.NoticeFactory(unit=world.ward_a, conference=held_conference, status=APPROVED)
    second = f.NoticeFactory(unit=world.ward_a, conference=held_conference, status=APPROVED)
    services.publish_notice(notice=first, by=world.chris)
    services.publish_notice(notice=second, by=world.chris)
    held_conference.refresh_from_db()
    assert held_conference.status == ConferenceStatus.CONCLUDED


def test_posting_is_recorded_only_for_a_published_notice(world, approved_notice):
    with pytest.raises(TransitionNotAllowed):
        services.record_posting(notice=approved_notice, posted_at="Loa phát thanh", by=world.alice)
    services.publish_notice(notice=approved_notice, by=world.chris)
    with pytest.raises(TransitionNotAllowed):
        services.record_posting(notice=approved_notice, posted_at="   ", by=world.alice)
    services.record_posting(notice=approved_notice, posted_at="Loa phát thanh", by=world.alice)
    approved_notice.refresh_from_db()
    assert approved_notice.posted_at == "Loa phát thanh"
    assert "posted" in actions(approved_notice)


# --- Supervision -----------------------------------------------------------------------------


def supervise(world, **overrides):
    kwargs = {"unit": world.ward_a, "by": world.fiona, "subject": "Kết luận 1", "finding": "met"}
    return services.record_supervision(**{**kwargs, **overrides})


def test_supervision_needs_a_conclusion_item_or_a_petition(world):
    with pytest.raises(TransitionNotAllowed):
        supervise(world)
    assert not Supervision.objects.exists()


def test_supervision_needs_a_subject(world, held_conference):
    with pytest.raises(TransitionNotAllowed):
        supervise(world, conclusion_item=held_conference.conclusions.get(), subject="  ")
    assert not Supervision.objects.exists()


def test_not_met_needs_a_recommendation(world, held_conference):
    item = held_conference.conclusions.get()
    with pytest.raises(TransitionNotAllowed, match="recommendation"):
        supervise(world, conclusion_item=item, finding="not_met", recommendation=" ")
    supervision = supervise(world, conclusion_item=item, finding="not_met", recommendation="Đẩy nhanh tiến độ")
    assert supervision.finding == "not_met"


def test_an_unknown_finding_is_refused(world, held_conference):
    with pytest.raises(TransitionNotAllowed):
        supervise(world, conclusion_item=held_conference.conclusions.get(), finding="maybe")


def test_recheck_date_cannot_be_in_the_past(world, held_conference):
    item = held_conference.conclusions.get()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(TransitionNotAllowed, match="past"):
        supervise(world, conclusion_item=item, recheck_on=yesterday)
    assert supervise(world, conclusion_item=item, recheck_on=timezone.localdate()).recheck_on == timezone.localdate()


def test_supervision_of_another_units_item_is_refused(world, held_conference_b):
    with pytest.raises(TransitionNotAllowed):
        supervise(world, unit=world.ward_a, conclusion_item=held_conference_b.conclusions.get())


def test_finding_on_a_conclusion_item_lands_on_its_conference_and_petitions(world, held_conference):
    item = held_conference.conclusions.get()
    linked = item.petitions.get()
    supervision = supervise(
        world, conclusion_item=item, finding="not_met", recommendation="Xử lý dứt điểm", organisation=world.front
    )
    assert (supervision.supervisor, supervision.organisation) == (world.fiona, world.front)
    event = AuditEvent.objects.for_object(linked).get(action="supervised")
    assert event.note == "Xử lý dứt điểm" and event.data["finding"] == "not_met"
    assert "supervised" in actions(held_conference)


def test_finding_on_a_petition_lands_on_its_timeline(world):
    petition = f.PetitionFactory(unit=world.ward_a)
    supervise(world, petition=petition)
    assert actions(petition) == ["supervised"]


def test_recheck_is_recorded_once(world):
    petition = f.PetitionFactory(unit=world.ward_a)
    supervision = supervise(world, petition=petition, recheck_on=timezone.localdate())
    services.mark_rechecked(supervision=supervision, by=world.fiona)
    first = Supervision.objects.get().rechecked_at
    services.mark_rechecked(supervision=supervision, by=world.fiona)
    assert first is not None and Supervision.objects.get().rechecked_at == first
    assert actions(petition).count("supervision_rechecked") == 1


# --- Reads -----------------------------------------------------------------------------------


def test_conferences_without_notice_are_the_held_ones_in_scope_without_a_published_notice(world, held_conference):
    other = make_held_conference(world.ward_a, by=world.alice)
    make_held_conference(world.ward_b, by=world.bob)
    f.ConferenceFactory(unit=world.ward_a)  # planned: not held yet
    notice = f.NoticeFactory(unit=world.ward_a, conference=other, status=APPROVED)
    services.publish_notice(notice=notice, by=world.chris)
    assert list(services.conferences_without_notice(world.alice)) == [held_conference]
    assert services.conferences_without_notice(world.sam).count() == 2


# --- Commendations ---------------------------------------------------------------------------


def test_commendation_is_recorded_and_audited(world):
    commendation = services.record_commendation(
        unit=world.ward_a,
        kind="collective",
        recipient="UBND phường An",
        reason="Đối thoại đúng kỳ",
        year=2026,
        by=world.sam,
    )
    assert actions(commendation) == ["recorded"]


@pytest.mark.parametrize(
    "kind,recipient,reason", [("medal", "A", "B"), ("individual", " ", "B"), ("collective", "A", "")]
)
def test_commendation_needs_kind_recipient_and_reason(world, kind, recipient, reason):
    with pytest.raises(TransitionNotAllowed):
        services.record_commendation(
            unit=world.ward_a, kind=kind, recipient=recipient, reason=reason, year=2026, by=world.sam
        )
    assert not Commendation.objects.exists()


@pytest.mark.postgres
def test_publication_locks_the_notice_on_postgresql(world, approved_notice, requires_postgres):
    """PostgreSQL refuses FOR UPDATE across the outer join to a notice's optional conference; lock the notice only."""
    services.publish_notice(notice=approved_notice, by=world.chris)
    approved_notice.refresh_from_db()
    assert approved_notice.status == PUBLISHED
