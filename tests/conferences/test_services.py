"""conferences.services: every allowed and every forbidden transition of plans, conferences and minutes.

A forbidden transition raises TransitionNotAllowed and changes nothing (no field, no audit row);
an allowed one changes the status and writes one audit row with who and from where.
"""

import datetime
import itertools

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from audit.models import AuditEvent
from audit.transitions import TransitionNotAllowed
from conferences import services
from conferences.models import (
    CONFERENCE_TRANSITIONS,
    MINUTES_TRANSITIONS,
    PLAN_TRANSITIONS,
    ConclusionStatus,
    Conference,
    ConferenceStatus,
    DialoguePlan,
    MinutesStatus,
    PlanStatus,
)
from tests import factories as f

IP = "203.0.113.7"

PLAN_PAIRS = list(itertools.product(PlanStatus.values, PlanStatus.values))
CONFERENCE_PAIRS = list(itertools.product(ConferenceStatus.values, ConferenceStatus.values))
MINUTES_PAIRS = list(itertools.product(MinutesStatus.values, MinutesStatus.values))


def events_of(obj):
    return list(AuditEvent.objects.for_object(obj))


# --- Plans -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target"), PLAN_PAIRS)
def test_plan_transition(world, current, target):
    plan = f.PlanFactory(unit=world.ward_a, status=current)
    f.PlanItemFactory(plan=plan)
    allowed = target in PLAN_TRANSITIONS[current]
    if allowed:
        services.set_plan_status(plan=plan, status=target, by=world.chris, ip=IP)
        plan.refresh_from_db()
        assert plan.status == target
        [event] = events_of(plan)
        assert (event.from_status, event.to_status, event.actor, event.ip_address) == (current, target, world.chris, IP)
        if target == PlanStatus.APPROVED:
            assert plan.approved_by == world.chris and plan.approved_at is not None
    else:
        with pytest.raises(TransitionNotAllowed):
            services.set_plan_status(plan=plan, status=target, by=world.chris, ip=IP)
        plan.refresh_from_db()
        assert plan.status == current
        assert plan.approved_by is None
        assert events_of(plan) == []


def test_plan_transition_table_is_draft_submitted_approved():
    """The plan's workflow: submitted for approval, approved or returned; approved is carried out, then completed."""
    assert PLAN_TRANSITIONS == {
        PlanStatus.DRAFT: {PlanStatus.SUBMITTED},
        PlanStatus.SUBMITTED: {PlanStatus.APPROVED, PlanStatus.DRAFT},
        PlanStatus.APPROVED: {PlanStatus.IN_PROGRESS},
        PlanStatus.IN_PROGRESS: {PlanStatus.COMPLETED},
        PlanStatus.COMPLETED: set(),
    }


def test_plan_is_submitted_then_approved(world):
    plan = f.PlanFactory(unit=world.ward_a)
    f.PlanItemFactory(plan=plan)
    services.submit_plan(plan=plan, by=world.alice, ip=IP)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.approved_by is None
    services.approve_plan(plan=plan, by=world.chris, ip=IP)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == world.chris
    assert [(e.from_status, e.to_status, e.actor) for e in sorted(events_of(plan), key=lambda e: e.pk)] == [
        ("draft", "submitted", world.alice),
        ("submitted", "approved", world.chris),
    ]


def test_a_draft_plan_cannot_be_approved_without_being_submitted(world):
    plan = f.PlanFactory(unit=world.ward_a)
    f.PlanItemFactory(plan=plan)
    with pytest.raises(TransitionNotAllowed):
        services.approve_plan(plan=plan, by=world.chris)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and events_of(plan) == []


@pytest.mark.parametrize(
    ("current", "returned"),
    [
        (PlanStatus.SUBMITTED, True),
        (PlanStatus.DRAFT, False),
        (PlanStatus.APPROVED, False),
        (PlanStatus.IN_PROGRESS, False),
        (PlanStatus.COMPLETED, False),
    ],
)
def test_only_a_submitted_plan_is_returned_to_draft(world, current, returned):
    plan = f.PlanFactory(unit=world.ward_a, status=current)
    f.PlanItemFactory(plan=plan)
    if returned:
        services.return_plan_to_draft(plan=plan, by=world.chris, note="Thiếu hội nghị quý 4")
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT
        [event] = events_of(plan)
        assert event.note == "Thiếu hội nghị quý 4"
    else:
        with pytest.raises(TransitionNotAllowed):
            services.return_plan_to_draft(plan=plan, by=world.chris)
        plan.refresh_from_db()
        assert plan.status == current and events_of(plan) == []


def test_plan_without_planned_conferences_cannot_be_submitted(world):
    plan = f.PlanFactory(unit=world.ward_a)
    with pytest.raises(TransitionNotAllowed):
        services.submit_plan(plan=plan, by=world.alice)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and events_of(plan) == []


def test_plan_without_planned_conferences_cannot_be_approved(world):
    plan = f.PlanFactory(unit=world.ward_a, status=PlanStatus.SUBMITTED)
    with pytest.raises(TransitionNotAllowed):
        services.approve_plan(plan=plan, by=world.chris)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and events_of(plan) == []


def test_create_plan_and_items_are_audited(world):
    plan = services.create_plan(unit=world.ward_a, year=2027, title="KH 2027", by=world.alice, ip=IP)
    item = services.add_plan_item(
        plan=plan, topic="Đối thoại quý 1", format="thematic", quarter=1, by=world.alice, ip=IP
    )
    services.update_plan_item(item=item, topic="Đối thoại quý 2", quarter=2, by=world.alice, ip=IP)
    services.update_plan(plan=plan, title="Kế hoạch 2027", by=world.alice, ip=IP)
    services.delete_plan_item(item=item, by=world.alice, ip=IP)
    assert [e.action for e in events_of(plan)] == ["created", "item_added", "item_edited", "edited", "item_deleted"]
    assert {e.ip_address for e in events_of(plan)} == {IP}
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch 2027" and not plan.items.exists()


@pytest.mark.parametrize(
    "status", [PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.IN_PROGRESS, PlanStatus.COMPLETED]
)
def test_only_a_draft_plan_can_be_changed(world, status):
    plan = f.PlanFactory(unit=world.ward_a, status=status, title="Cũ")
    item = f.PlanItemFactory(plan=plan, topic="Cũ")
    calls = [
        lambda: services.update_plan(plan=plan, title="Mới", by=world.alice),
        lambda: services.add_plan_item(plan=plan, topic="Mới", format="thematic", quarter=1, by=world.alice),
        lambda: services.update_plan_item(item=item, topic="Mới", by=world.alice),
        lambda: services.delete_plan_item(item=item, by=world.alice),
    ]
    for call in calls:
        with pytest.raises(TransitionNotAllowed):
            call()
    plan.refresh_from_db()
    item.refresh_from_db()
    assert (plan.title, item.topic, plan.items.count()) == ("Cũ", "Cũ", 1)
    assert events_of(plan) == []


# --- Conferences -------------------------------------------------------------------------------


def _conference_in(world, status):
    fields = {"status": status}
    if status in (ConferenceStatus.HELD, ConferenceStatus.CONCLUDED, ConferenceStatus.CLOSED):
        fields.update(held_on=timezone.localdate() - datetime.timedelta(days=1), minutes_status=MinutesStatus.DRAFT)
    return f.ConferenceFactory(unit=world.ward_a, **fields)


def _move(conference, target, by):
    """Call the service that moves a conference to `target`."""
    new_start = timezone.now() + datetime.timedelta(days=30)
    call = {
        ConferenceStatus.PLANNED: lambda: services.reschedule_conference(
            conference=conference, planned_start=new_start, by=by, ip=IP
        ),
        ConferenceStatus.ANNOUNCED: lambda: services.announce_conference(
            conference=conference, invitation_sent_on=timezone.localdate(), by=by, ip=IP
        ),
        ConferenceStatus.POSTPONED: lambda: services.postpone_conference(
            conference=conference, reason="Mưa bão", new_start=new_start, by=by, ip=IP
        ),
        ConferenceStatus.CANCELLED: lambda: services.cancel_conference(
            conference=conference, reason="Không còn cần thiết", by=by, ip=IP
        ),
        ConferenceStatus.HELD: lambda: services.record_conference_held(
            conference=conference, held_on=timezone.localdate(), attendance=80, by=by, ip=IP
        ),
        ConferenceStatus.CONCLUDED: lambda: services.mark_conference_concluded(conference=conference, by=by, ip=IP),
        ConferenceStatus.CLOSED: lambda: services.close_conference(conference=conference, by=by, ip=IP),
    }[target]
    return call()


SNAPSHOT_FIELDS = (
    "status",
    "planned_start",
    "held_on",
    "attendance",
    "invitation_sent_on",
    "status_reason",
    "minutes_status",
)


def _snapshot(conference):
    conference = Conference.objects.get(pk=conference.pk)
    return {name: getattr(conference, name) for name in SNAPSHOT_FIELDS}


@pytest.mark.parametrize(("current", "target"), CONFERENCE_PAIRS)
def test_conference_transition(world, current, target):
    conference = _conference_in(world, current)
    before = _snapshot(conference)
    if target in CONFERENCE_TRANSITIONS[current]:
        _move(conference, target, world.alice)
        assert _snapshot(conference)["status"] == target
        [event] = events_of(conference)
        assert (event.from_status, event.to_status) == (current, target)
        assert (event.actor, event.ip_address) == (world.alice, IP)
    else:
        with pytest.raises(TransitionNotAllowed):
            _move(conference, target, world.alice)
        assert _snapshot(conference) == before
        assert events_of(conference) == []


def test_postponing_and_cancelling_need_a_reason(world, conference_a):
    before = _snapshot(conference_a)
    with pytest.raises(TransitionNotAllowed):
        services.postpone_conference(conference=conference_a, reason="  ", by=world.alice)
    with pytest.raises(TransitionNotAllowed):
        services.cancel_conference(conference=conference_a, reason="", by=world.alice)
    assert _snapshot(conference_a) == before and events_of(conference_a) == []


def test_postpone_keeps_reason_and_new_date(world, conference_a):
    new_start = timezone.now() + datetime.timedelta(days=40)
    services.postpone_conference(
        conference=conference_a, reason="Trùng lịch", new_start=new_start, by=world.alice, ip=IP
    )
    conference_a.refresh_from_db()
    assert conference_a.status_reason == "Trùng lịch" and conference_a.planned_start == new_start
    assert events_of(conference_a)[0].data["to"] == new_start.isoformat()


def test_a_conference_cannot_be_held_on_a_future_date(world):
    conference = _conference_in(world, ConferenceStatus.ANNOUNCED)
    with pytest.raises(TransitionNotAllowed):
        services.record_conference_held(
            conference=conference, held_on=timezone.localdate() + datetime.timedelta(days=1), by=world.alice
        )
    assert _snapshot(conference)["status"] == ConferenceStatus.ANNOUNCED


def test_announce_with_a_short_lead_time_is_refused_without_a_reason(world):
    conference = f.ConferenceFactory(unit=world.ward_a, planned_start=timezone.now() + datetime.timedelta(days=3))
    with pytest.raises(TransitionNotAllowed, match="7"):
        services.announce_conference(conference=conference, invitation_sent_on=timezone.localdate(), by=world.alice)
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.PLANNED and conference.invitation_sent_on is None
    assert events_of(conference) == []


def test_announce_with_a_short_lead_time_and_a_reason_records_the_reason(world):
    conference = f.ConferenceFactory(unit=world.ward_a, planned_start=timezone.now() + datetime.timedelta(days=3))
    warning = services.announce_conference(
        conference=conference,
        invitation_sent_on=timezone.localdate(),
        short_notice_reason="Dân đề nghị đối thoại gấp",
        by=world.alice,
    )
    assert "7" in warning
    event = events_of(conference)[0]
    assert "Dân đề nghị đối thoại gấp" in event.note
    assert event.data["short_notice_reason"] == "Dân đề nghị đối thoại gấp"
    assert event.data["lead_days_required"] == 7
    on_time = f.ConferenceFactory(unit=world.ward_a, planned_start=timezone.now() + datetime.timedelta(days=10))
    assert (
        services.announce_conference(conference=on_time, invitation_sent_on=timezone.localdate(), by=world.alice) == ""
    )


def test_scheduling_from_an_approved_plan_starts_it(world):
    plan = f.PlanFactory(unit=world.ward_a, status=PlanStatus.APPROVED)
    item = f.PlanItemFactory(plan=plan)
    conference = services.schedule_conference(
        unit=world.ward_a,
        kind=item.kind,
        format=item.format,
        title=item.topic,
        planned_start=timezone.now() + datetime.timedelta(days=20),
        plan_item=item,
        by=world.alice,
        ip=IP,
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS
    assert [e.action for e in events_of(conference)] == ["scheduled"]


def test_a_conference_cannot_fulfil_another_units_plan_item(world, plan_b):
    with pytest.raises(TransitionNotAllowed):
        services.schedule_conference(
            unit=world.ward_a,
            kind="periodic",
            format="thematic",
            title="X",
            planned_start=timezone.now(),
            plan_item=plan_b.items.get(),
            by=world.alice,
        )
    assert not Conference.objects.exists()


def test_date_of_an_announced_conference_changes_only_by_postponing(world):
    conference = _conference_in(world, ConferenceStatus.ANNOUNCED)
    before = _snapshot(conference)
    with pytest.raises(TransitionNotAllowed):
        services.update_conference(
            conference=conference, planned_start=timezone.now() + datetime.timedelta(days=3), by=world.alice
        )
    assert _snapshot(conference) == before
    services.update_conference(conference=conference, venue="Nhà văn hóa tổ 5", by=world.alice, ip=IP)
    conference.refresh_from_db()
    assert conference.venue == "Nhà văn hóa tổ 5"
    assert events_of(conference)[-1].data == {"fields": ["venue"]}


@pytest.mark.parametrize("status", [ConferenceStatus.CLOSED, ConferenceStatus.CANCELLED])
def test_closed_or_cancelled_conference_cannot_be_edited(world, status):
    conference = _conference_in(world, status)
    with pytest.raises(TransitionNotAllowed):
        services.update_conference(conference=conference, venue="Khác", by=world.alice)


def test_record_outcome_records_participants_and_minutes(world):
    conference = _conference_in(world, ConferenceStatus.ANNOUNCED)
    services.record_conference_outcome(
        conference=conference,
        held_on=timezone.localdate(),
        attendance=120,
        participants=[(world.front, "", 10), (None, "Cử tri tổ dân phố số 3", 45)],
        minutes_text="Biên bản hội nghị",
        minutes_file=ContentFile(b"%PDF-1.4", name="bien-ban.pdf"),
        by=world.alice,
        ip=IP,
    )
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.HELD and conference.attendance == 120
    assert conference.minutes_status == MinutesStatus.DRAFT and conference.minutes_text == "Biên bản hội nghị"
    assert conference.minutes_file.name.endswith(".pdf")
    assert sorted(p.count for p in conference.participations.all()) == [10, 45]
    assert [e.action for e in events_of(conference)] == ["status:held", "participants_recorded", "minutes_updated"]


# --- Minutes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target"), MINUTES_PAIRS)
def test_minutes_transition(world, current, target):
    conference = f.ConferenceFactory(
        unit=world.ward_a, status=ConferenceStatus.HELD, held_on=timezone.localdate(), minutes_status=current
    )
    if target in MINUTES_TRANSITIONS[current]:
        services.set_minutes_status(conference=conference, status=target, by=world.chris, ip=IP)
        assert _snapshot(conference)["minutes_status"] == target
        [event] = events_of(conference)
        assert (event.action, event.from_status, event.to_status, event.ip_address) == (
            f"minutes:{target}",
            current,
            target,
            IP,
        )
    else:
        with pytest.raises(TransitionNotAllowed):
            services.set_minutes_status(conference=conference, status=target, by=world.chris, ip=IP)
        assert _snapshot(conference)["minutes_status"] == current
        assert events_of(conference) == []


@pytest.mark.parametrize("status", [MinutesStatus.APPROVED, MinutesStatus.LOCKED])
def test_approved_or_locked_minutes_cannot_be_changed(world, status):
    conference = f.ConferenceFactory(
        unit=world.ward_a,
        status=ConferenceStatus.HELD,
        held_on=timezone.localdate(),
        minutes_status=status,
        minutes_text="A",
    )
    with pytest.raises(TransitionNotAllowed):
        services.update_minutes(conference=conference, text="B", by=world.alice)
    conference.refresh_from_db()
    assert conference.minutes_text == "A" and events_of(conference) == []


def test_minutes_of_a_conference_not_held_cannot_be_written(world, conference_a):
    with pytest.raises(TransitionNotAllowed):
        services.update_minutes(conference=conference_a, text="B", by=world.alice)
    assert _snapshot(conference_a)["minutes_status"] == MinutesStatus.NONE


# --- Conclusions and attachments ---------------------------------------------------------------


def test_conclusions_are_numbered_linked_and_done_once(world, held_a):
    petition = f.PetitionFactory(unit=world.ward_a, conference=held_a)
    first = services.add_conclusion_item(
        conference=held_a, text="Sửa đèn ngõ 12", assignee=world.land_a, petitions=[petition], by=world.alice, ip=IP
    )
    second = services.add_conclusion_item(conference=held_a, text="Dọn rác", by=world.alice, ip=IP)
    assert (first.number, second.number) == (1, 2)
    assert list(first.petitions.all()) == [petition]
    services.mark_conclusion_done(item=first, by=world.alice, ip=IP)
    first.refresh_from_db()
    assert first.status == ConclusionStatus.DONE and first.done_on == timezone.localdate()
    with pytest.raises(TransitionNotAllowed):
        services.mark_conclusion_done(item=first, done_on=datetime.date(2020, 1, 1), by=world.alice)
    first.refresh_from_db()
    assert first.done_on == timezone.localdate()
    assert [e.action for e in events_of(held_a)] == ["conclusion_added", "conclusion_added", "conclusion_done"]


def test_conclusion_needs_a_held_conference(world, conference_a):
    with pytest.raises(TransitionNotAllowed):
        services.add_conclusion_item(conference=conference_a, text="X", by=world.alice)
    assert not conference_a.conclusions.exists()


def test_conclusion_cannot_settle_another_conferences_petition(world, held_a, held_b):
    foreign = f.PetitionFactory(unit=world.ward_b, conference=held_b)
    with pytest.raises(TransitionNotAllowed):
        services.add_conclusion_item(conference=held_a, text="X", petitions=[foreign], by=world.alice)
    assert not held_a.conclusions.exists()


def test_conference_with_open_conclusions_cannot_be_closed(world):
    conference = _conference_in(world, ConferenceStatus.CONCLUDED)
    f.ConclusionItemFactory(conference=conference)
    with pytest.raises(TransitionNotAllowed):
        services.close_conference(conference=conference, by=world.alice)
    assert _snapshot(conference)["status"] == ConferenceStatus.CONCLUDED


def test_attachment_is_audited(world, conference_a):
    attachment = services.add_attachment(
        conference=conference_a, title="Giấy mời", file=ContentFile(b"x", name="giay-moi.pdf"), by=world.alice, ip=IP
    )
    [event] = events_of(conference_a)
    assert (event.action, event.data, event.ip_address) == ("attachment_added", {"attachment": attachment.pk}, IP)


def test_plan_unique_per_unit_and_year_is_kept(world, plan_a):
    assert DialoguePlan.objects.filter(unit=world.ward_a, year=2026).count() == 1
