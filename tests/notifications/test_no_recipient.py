"""Reminders about a unit with no one in the role: the supervisors above are told instead, and when
there is no one at all a skipped delivery to "unit:<id>" records it (nothing vanishes)."""

import datetime

import pytest

from conferences.models import PlanStatus
from notifications import reminders
from notifications.models import Delivery, DeliveryStatus, NotificationKind, OutboxMessage, SkipReason
from petitions.models import PetitionStatus
from rules.workdays import add_working_days
from tests import factories as f
from tests.notifications.test_reminders import recipients, run_twice

K = NotificationKind
pytestmark = pytest.mark.django_db


def test_plan_missing_of_a_ward_without_members_goes_to_the_supervisor_above(world, now_day):
    february = datetime.date(now_day.year, 2, 15)
    empty = f.UnitFactory(parent=world.district, valid_from=datetime.date(2020, 1, 1))
    for unit in (world.ward_a, world.ward_b, world.district):
        f.PlanFactory(unit=unit, year=now_day.year, status=PlanStatus.APPROVED)
    run_twice("plan_missing", february)
    assert recipients(K.PLAN_MISSING) == ["sam@example.vn"]
    assert OutboxMessage.objects.get().object_id == empty.pk


def test_plan_missing_with_no_one_at_all_is_recorded_as_no_recipient(world, now_day):
    february = datetime.date(now_day.year, 2, 15)
    orphan = f.UnitFactory(parent=world.city, valid_from=datetime.date(2020, 1, 1))  # no supervisor above
    for unit in (world.ward_a, world.ward_b, world.district):
        f.PlanFactory(unit=unit, year=now_day.year, status=PlanStatus.APPROVED)
    run_twice("plan_missing", february)
    assert recipients(K.PLAN_MISSING) == []
    skipped = Delivery.objects.get()
    assert (skipped.kind, skipped.recipient, skipped.status, skipped.reason) == (
        K.PLAN_MISSING,
        f"unit:{orphan.pk}",
        DeliveryStatus.SKIPPED,
        SkipReason.NO_RECIPIENT,
    )
    assert (skipped.object_type, skipped.object_id, skipped.due_key) == (
        "units.administrativeunit",
        orphan.pk,
        str(now_day.year),
    )


def test_conferences_behind_of_an_orphan_unit_is_recorded_as_no_recipient(world, now_day):
    quarter_end = datetime.date(now_day.year, 12, 29)
    orphan = f.UnitFactory(parent=world.city, valid_from=datetime.date(2020, 1, 1))
    run_twice("conferences_behind", quarter_end)
    assert Delivery.objects.filter(
        kind=K.CONFERENCES_BEHIND, recipient=f"unit:{orphan.pk}", reason=SkipReason.NO_RECIPIENT
    ).exists()
    assert "sam@example.vn" in recipients(K.CONFERENCES_BEHIND)  # the district, through its supervisor


def test_petition_due_soon_in_a_ward_without_members_goes_to_the_supervisor(world, now_day):
    empty = f.UnitFactory(parent=world.district, valid_from=datetime.date(2020, 1, 1))
    orphan = f.UnitFactory(parent=world.city, valid_from=datetime.date(2020, 1, 1))
    due = add_working_days(now_day, 2)
    told = f.PetitionFactory(unit=empty, status=PetitionStatus.ACCEPTED, due_on=due, category=world.category)
    lost = f.PetitionFactory(unit=orphan, status=PetitionStatus.ACCEPTED, due_on=due, category=world.category)
    run_twice("petition_due_soon", now_day)
    assert recipients(K.PETITION_DUE_SOON) == ["sam@example.vn"]
    assert OutboxMessage.objects.get(kind=K.PETITION_DUE_SOON).object_id == told.pk
    skipped = Delivery.objects.get(reason=SkipReason.NO_RECIPIENT)
    assert (skipped.object_id, skipped.recipient) == (lost.pk, f"unit:{orphan.pk}")


def test_overdue_petition_of_an_orphan_unit_is_recorded_once_not_daily(world, now_day):
    orphan = f.UnitFactory(parent=world.city, valid_from=datetime.date(2020, 1, 1))
    f.PetitionFactory(
        unit=orphan,
        status=PetitionStatus.ACCEPTED,
        due_on=now_day - datetime.timedelta(days=3),
        category=world.category,
    )
    reminders.write_reminders(kind="overdue", today=now_day)
    reminders.write_reminders(kind="overdue", today=now_day + datetime.timedelta(days=1))
    assert Delivery.objects.filter(reason=SkipReason.NO_RECIPIENT, recipient=f"unit:{orphan.pk}").count() == 1


def test_a_submitted_plan_does_not_count_as_approved(world, now_day):
    february = datetime.date(now_day.year, 2, 15)
    f.PlanFactory(unit=world.ward_a, year=now_day.year, status=PlanStatus.SUBMITTED)
    f.PlanFactory(unit=world.ward_b, year=now_day.year, status=PlanStatus.IN_PROGRESS)
    f.PlanFactory(unit=world.district, year=now_day.year, status=PlanStatus.COMPLETED)
    run_twice("plan_missing", february)
    assert recipients(K.PLAN_MISSING) == ["alice@example.vn", "chris@example.vn"]


def test_a_plan_only_submitted_before_the_send_is_still_reminded(world, now_day, send_all):
    february = datetime.date(now_day.year, 2, 15)
    for unit in (world.ward_b, world.district):
        f.PlanFactory(unit=unit, year=now_day.year, status=PlanStatus.APPROVED)
    plan = f.PlanFactory(unit=world.ward_a, year=now_day.year, status=PlanStatus.DRAFT)
    reminders.write_reminders(kind="plan_missing", today=february)
    plan.status = PlanStatus.SUBMITTED
    plan.save(update_fields=["status"])
    send_all()
    assert recipients(K.PLAN_MISSING) == ["alice@example.vn", "chris@example.vn"]
    plan.status = PlanStatus.APPROVED
    plan.save(update_fields=["status"])
    OutboxMessage.objects.update(status="pending")
    Delivery.objects.all().delete()
    send_all()
    assert set(Delivery.objects.values_list("reason", flat=True)) == {SkipReason.PLAN_APPROVED}
