"""The reminder scans: each reminder once however often the task runs, skipped ones with the
reason, and the same number of queries for 1 or 50 objects."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferences.models import ConferenceStatus, PlanStatus
from followup.models import NoticeStatus
from notifications import reminders, tasks
from notifications.models import Delivery, DeliveryStatus, NotificationKind, NotificationPreference, OutboxMessage
from petitions.models import PetitionStatus
from rules.holidays_vn import install_holidays
from rules.models import Rule, RuleKey
from rules.workdays import add_working_days
from tests import factories as f
from tests.notifications.conftest import at, messages_of

K = NotificationKind


def run_twice(kind, today):
    """Run the daily task twice, as a retry or a second beat would."""
    for _run in range(2):
        tasks.send_reminders.apply(kwargs={"kind": kind, "today": today.isoformat()}).get()


def recipients(kind):
    return sorted(m.to[0] for m in messages_of(kind))


def queries_for(scan, today) -> tuple[int, int]:
    """Return (reads, bulk inserts) of one scan."""
    with CaptureQueriesContext(connection) as captured:
        scan(today)
    inserts = [q for q in captured if q["sql"].startswith("INSERT") and '"notifications_outboxmessage"' in q["sql"]]
    return len(captured) - len(inserts), len(inserts)


def assert_fixed_queries(scan, today, make_row, min_messages=50):
    """Count the scan's queries with 1 object and with 50: the reads must be the same, and the
    messages written in one bulk insert (SQLite splits a bulk insert at its parameter limit)."""
    make_row()
    one, _inserts = queries_for(scan, today)
    OutboxMessage.objects.all().delete()
    for _row in range(49):
        make_row()
    fifty, inserts = queries_for(scan, today)
    messages = OutboxMessage.objects.count()
    assert messages >= min_messages
    assert one == fifty, (one, fifty)
    limit = 500 if connection.vendor == "postgresql" else 999 // 10
    assert inserts <= -(-messages // limit)


# --- Conferences ---------------------------------------------------------------------------------


def conference(world, start_day, **extra):
    fields = {"unit": world.ward_a, "chair_user": world.chris, "planned_start": at(start_day)}
    fields.update(extra)
    return f.ConferenceFactory(**fields)


def test_chair_and_organisers_are_reminded_7_days_and_1_day_before_once_each(world, now_day):
    co_organiser = f.OrganisationFactory(unit=world.ward_a, name="Hội Phụ nữ phường An", email="phunu@example.vn")
    meeting = conference(world, now_day + datetime.timedelta(days=7))
    meeting.co_organisers.add(co_organiser)
    run_twice("conference_upcoming", now_day)
    assert recipients(K.CONFERENCE_UPCOMING) == ["alice@example.vn", "chris@example.vn", "phunu@example.vn"]
    assert {m.extra_headers["X-Portal-Due"] for m in mail.outbox} == {f"D-7:{meeting.planned_start.date()}"}
    assert "7" in messages_of(K.CONFERENCE_UPCOMING)[0].subject

    mail.outbox.clear()
    run_twice("conference_upcoming", now_day + datetime.timedelta(days=6))  # the day before
    assert recipients(K.CONFERENCE_UPCOMING) == ["alice@example.vn", "chris@example.vn", "phunu@example.vn"]
    assert Delivery.objects.filter(kind=K.CONFERENCE_UPCOMING, status=DeliveryStatus.SENT).count() == 6


def test_conference_cancelled_before_the_send_is_skipped_with_the_reason(world, now_day, send_all):
    meeting = conference(world, now_day + datetime.timedelta(days=1))
    reminders.write_reminders(kind="conference_upcoming", today=now_day)
    meeting.status = ConferenceStatus.CANCELLED
    meeting.save(update_fields=["status"])
    send_all()
    assert not mail.outbox
    reasons = set(Delivery.objects.values_list("status", "reason"))
    assert reasons == {(DeliveryStatus.SKIPPED, "conference postponed, cancelled or already held")}


def test_e_mail_is_in_the_recipients_language(world, now_day):
    NotificationPreference.objects.create(user=world.chris, language="en")
    conference(world, now_day + datetime.timedelta(days=1))
    run_twice("conference_upcoming", now_day)
    by_address = {m.to[0]: m for m in messages_of(K.CONFERENCE_UPCOMING)}
    assert 'lang="en"' in by_address["chris@example.vn"].alternatives[0][0]
    assert 'lang="vi"' in by_address["alice@example.vn"].alternatives[0][0]
    assert Delivery.objects.get(recipient=f"user:{world.chris.pk}").language == "en"


def test_e_mail_reminders_turned_off_are_skipped_with_the_reason(world, now_day):
    NotificationPreference.objects.create(user=world.chris, email_enabled=False)
    conference(world, now_day + datetime.timedelta(days=1))
    run_twice("conference_upcoming", now_day)
    assert recipients(K.CONFERENCE_UPCOMING) == ["alice@example.vn"]
    assert Delivery.objects.get(recipient=f"user:{world.chris.pk}").reason == "e-mail turned off by the recipient"


def test_conference_upcoming_scan_queries_are_fixed(world, now_day):
    co_organiser = f.OrganisationFactory(unit=world.ward_a, name="Đoàn Thanh niên phường An", email="dtn@example.vn")

    def make():
        conference(world, now_day + datetime.timedelta(days=3)).co_organisers.add(co_organiser)

    assert_fixed_queries(reminders.remind_conferences_upcoming, now_day, make)


def test_invitation_not_sent_by_the_lead_time_is_reminded_once(world, now_day):
    late = conference(world, now_day + datetime.timedelta(days=5))
    conference(world, now_day + datetime.timedelta(days=12))  # still time
    conference(world, now_day + datetime.timedelta(days=4), invitation_sent_on=now_day)  # sent
    run_twice("invitation_late", now_day)
    assert recipients(K.INVITATION_LATE) == ["alice@example.vn", "chris@example.vn"]
    assert {m.extra_headers["X-Portal-Object"] for m in mail.outbox} == {f"conferences.conference:{late.pk}"}
    deadline = (late.planned_start.date() - datetime.timedelta(days=7)).strftime("%d/%m/%Y")
    assert deadline in mail.outbox[0].body


def test_invitation_scan_queries_are_fixed(world, now_day):
    assert_fixed_queries(
        reminders.remind_invitations_late, now_day, lambda: conference(world, now_day + datetime.timedelta(days=3))
    )


def held(world, days_ago, now_day, **extra):
    return conference(
        world,
        now_day - datetime.timedelta(days=days_ago),
        status=ConferenceStatus.HELD,
        held_on=now_day - datetime.timedelta(days=days_ago),
        **extra,
    )


@pytest.mark.parametrize(("days_ago", "key"), [(3, "D+3"), (5, "D+3"), (7, "D+7"), (10, "deadline"), (20, "deadline")])
def test_missing_notice_is_reminded_at_3_and_7_days_and_on_the_deadline(world, now_day, days_ago, key):
    held(world, days_ago, now_day)
    run_twice("notice_missing", now_day)
    assert recipients(K.NOTICE_MISSING) == ["alice@example.vn", "chris@example.vn"]
    assert {m.extra_headers["X-Portal-Due"] for m in mail.outbox} == {key}


def test_no_notice_reminder_before_3_days_or_long_after_the_deadline(world, now_day):
    held(world, 2, now_day)
    held(world, 10 + reminders.CATCH_UP_DAYS, now_day)
    run_twice("notice_missing", now_day)
    assert not mail.outbox


def test_notice_published_before_the_send_is_skipped_as_already_published(world, now_day, send_all):
    meeting = held(world, 3, now_day)
    call_command("send_reminders", kind="notice_missing", today=now_day.isoformat(), no_send=True)
    f.NoticeFactory(unit=world.ward_a, conference=meeting, status=NoticeStatus.PUBLISHED, published_at=timezone.now())
    send_all()
    assert not mail.outbox
    assert set(Delivery.objects.values_list("reason", flat=True)) == {"notice already published"}


def test_notice_scan_queries_are_fixed(world, now_day):
    assert_fixed_queries(reminders.remind_notices_missing, now_day, lambda: held(world, 7, now_day))


# --- Petitions -----------------------------------------------------------------------------------


def petition(world, due_on, **extra):
    fields = {
        "unit": world.ward_a,
        "status": PetitionStatus.IN_PROGRESS,
        "handling_org": world.land_a,
        "due_on": due_on,
        "category": world.category,
    }
    fields.update(extra)
    return f.PetitionFactory(**fields)


def test_petition_due_within_3_working_days_is_reminded_once_per_due_date(world, now_day):
    due = add_working_days(now_day, 3)
    assigned = petition(world, due)
    unassigned = petition(world, due, handling_org=None, status=PetitionStatus.ACCEPTED)
    petition(world, add_working_days(now_day, 4))  # later
    run_twice("petition_due_soon", now_day)
    sent = {(m.to[0], m.extra_headers["X-Portal-Object"]) for m in messages_of(K.PETITION_DUE_SOON)}
    assert sent == {
        ("hana@example.vn", f"petitions.petition:{assigned.pk}"),
        ("alice@example.vn", f"petitions.petition:{unassigned.pk}"),
    }
    assert len(mail.outbox) == 2
    # The petitioner's contacts never reach the officials' reminders.
    assert all("hoa.nguyen" not in m.body and "912345678" not in m.body for m in mail.outbox)


def test_petition_answered_before_the_send_is_skipped_as_closed(world, now_day, send_all):
    due = petition(world, now_day + datetime.timedelta(days=1))
    reminders.write_reminders(kind="petition_due_soon", today=now_day)
    due.status = PetitionStatus.ANSWERED
    due.save(update_fields=["status"])
    send_all()
    assert not mail.outbox
    assert Delivery.objects.get().reason == "petition closed"


def test_due_soon_scan_queries_are_fixed(world, now_day):
    assert_fixed_queries(reminders.remind_petitions_due_soon, now_day, lambda: petition(world, now_day))


def test_overdue_petitions_make_one_daily_digest_per_person_and_escalate_to_the_supervisor(world, now_day):
    slightly = petition(world, now_day - datetime.timedelta(days=1))
    long_ago = petition(world, now_day - datetime.timedelta(days=30))
    other_ward = petition(world, now_day - datetime.timedelta(days=2), unit=world.ward_b, handling_org=None)
    run_twice("overdue", now_day)
    digests = messages_of(K.OVERDUE_DIGEST)
    assert sorted(m.to[0] for m in digests) == ["bob@example.vn", "hana@example.vn"]
    hana = next(m for m in digests if m.to[0] == "hana@example.vn")
    assert slightly.display_code in hana.body and long_ago.display_code in hana.body
    assert other_ward.display_code not in hana.body
    [escalation] = messages_of(K.OVERDUE_ESCALATION)
    assert escalation.to == ["sam@example.vn"]
    assert long_ago.display_code in escalation.body and slightly.display_code not in escalation.body
    # The next day brings a new digest; the same day never a second one.
    run_twice("overdue", now_day)
    assert len(messages_of(K.OVERDUE_DIGEST)) == 2


def test_overdue_scan_queries_are_fixed(world, now_day):
    assert_fixed_queries(
        reminders.remind_overdue_petitions,
        now_day,
        lambda: petition(world, now_day - datetime.timedelta(days=20)),
        min_messages=2,  # one digest for hana, one escalation for sam, listing the 50 petitions
    )
    digest = OutboxMessage.objects.get(kind=K.OVERDUE_DIGEST)
    assert len(digest.payload["petitions"]) == digest.payload["total"] == 50


# --- Front supervision, plans, compliance ---------------------------------------------------------


def test_front_supervisor_is_reminded_once_when_the_recheck_date_comes(world, now_day, send_all):
    due = f.SupervisionFactory(
        unit=world.ward_a, supervisor=world.fiona, recheck_on=now_day, petition=petition(world, now_day)
    )
    f.SupervisionFactory(
        unit=world.ward_a,
        supervisor=world.fiona,
        recheck_on=now_day + datetime.timedelta(days=3),
        petition=due.petition,
    )
    run_twice("recheck_due", now_day)
    assert recipients(K.RECHECK_DUE) == ["fiona@example.vn"]
    assert len(mail.outbox) == 1


def test_recheck_done_before_the_send_is_skipped(world, now_day, send_all):
    due = f.SupervisionFactory(
        unit=world.ward_a, supervisor=world.fiona, recheck_on=now_day, petition=petition(world, now_day)
    )
    reminders.write_reminders(kind="recheck_due", today=now_day)
    due.rechecked_at = timezone.now()
    due.save(update_fields=["rechecked_at"])
    send_all()
    assert Delivery.objects.get().reason == "already re-checked"


def test_recheck_scan_queries_are_fixed(world, now_day):
    target = petition(world, now_day)
    assert_fixed_queries(
        reminders.remind_rechecks_due,
        now_day,
        lambda: f.SupervisionFactory(unit=world.ward_a, supervisor=world.fiona, recheck_on=now_day, petition=target),
    )


def test_units_without_an_approved_plan_after_the_rule_day_are_reminded_once_a_year(world, now_day):
    february = datetime.date(now_day.year, 2, 15)  # the rule: approved by day 31
    f.PlanFactory(unit=world.ward_a, year=now_day.year, status=PlanStatus.APPROVED)
    run_twice("plan_missing", february)
    # Ward B's official; the district has no official or chair, so its supervisor (Sam) is told instead.
    assert recipients(K.PLAN_MISSING) == ["bob@example.vn", "sam@example.vn"]
    sam = next(m for m in messages_of(K.PLAN_MISSING) if m.to == ["sam@example.vn"])
    assert sam.extra_headers["X-Portal-Object"] == f"units.administrativeunit:{world.district.pk}"
    mail.outbox.clear()
    run_twice("plan_missing", february + datetime.timedelta(days=1))
    assert not mail.outbox
    assert not reminders.remind_plans_missing(datetime.date(now_day.year, 1, 31))


def test_plan_scan_queries_are_fixed(world, now_day):
    february = datetime.date(now_day.year, 2, 15)

    def make():
        unit = f.UnitFactory(parent=world.district)
        f.MembershipFactory(unit=unit)

    assert_fixed_queries(reminders.remind_plans_missing, february, make)


def test_units_behind_their_periodic_conferences_are_reminded_at_quarter_end(world, now_day):
    quarter_end = datetime.date(now_day.year, 12, 29)
    held(world, 30, quarter_end, kind="periodic")  # ward A held one: the yearly minimum
    run_twice("conferences_behind", quarter_end)
    # Ward B's official; the district (no official, no chair) through its supervisor.
    assert recipients(K.CONFERENCES_BEHIND) == ["bob@example.vn", "sam@example.vn"]
    bob = next(m for m in messages_of(K.CONFERENCES_BEHIND) if m.to == ["bob@example.vn"])
    assert "0" in bob.body and "1" in bob.body
    assert not reminders.remind_conferences_behind(datetime.date(now_day.year, 12, 1))  # not the quarter's end


def test_behind_scan_queries_are_fixed(world, now_day):
    quarter_end = datetime.date(now_day.year, 12, 29)

    def make():
        unit = f.UnitFactory(parent=world.district)
        f.MembershipFactory(unit=unit)

    assert_fixed_queries(reminders.remind_conferences_behind, quarter_end, make)


def test_send_reminders_command_runs_every_scan_and_rejects_a_bad_date(world, now_day):
    from io import StringIO

    from django.core.management.base import CommandError

    conference(world, now_day + datetime.timedelta(days=1))
    out = StringIO()
    call_command("send_reminders", today=now_day.isoformat(), stdout=out)
    assert "conference_upcoming: 2 new" in out.getvalue()
    assert recipients(K.CONFERENCE_UPCOMING) == ["alice@example.vn", "chris@example.vn"]
    out = StringIO()
    call_command("send_reminders", today=now_day.isoformat(), stdout=out)
    assert "conference_upcoming: 0 new" in out.getvalue()  # rows actually written, not candidates
    call_command("send_reminders", stdout=out)
    assert len(messages_of(K.CONFERENCE_UPCOMING)) == 2
    with pytest.raises(CommandError):
        call_command("send_reminders", today="25/11/2026")


def test_send_reminders_today_is_the_day_the_e_mails_speak_of(world, now_day):
    from io import StringIO

    scan_day = now_day + datetime.timedelta(days=2)
    conference(world, now_day + datetime.timedelta(days=5))  # 3 days after the scan day
    call_command("send_reminders", kind="conference_upcoming", today=scan_day.isoformat(), stdout=StringIO())
    subjects = {m.subject for m in messages_of(K.CONFERENCE_UPCOMING)}
    # "Còn 3 ngày …" / "in 3 day(s)": counted from the scan day, not from the real date (5 days).
    assert subjects and all(" 3 " in s and " 5 " not in s for s in subjects), subjects


def test_digest_and_subjects_use_singular_and_plural(world, now_day):
    NotificationPreference.objects.create(user=world.hana, language="en")
    NotificationPreference.objects.create(user=world.chris, language="en")
    petition(world, now_day - datetime.timedelta(days=1))
    conference(world, now_day + datetime.timedelta(days=1))
    run_twice("overdue", now_day)
    run_twice("conference_upcoming", now_day)
    [digest] = [m for m in messages_of(K.OVERDUE_DIGEST) if m.to == ["hana@example.vn"]]
    assert "1 overdue petition" in digest.subject and "petition(s)" not in digest.subject
    assert "1 day late" in digest.body and "day(s)" not in digest.body
    [upcoming] = [m for m in messages_of(K.CONFERENCE_UPCOMING) if m.to == ["chris@example.vn"]]
    assert "Conference in 1 day:" in upcoming.subject


# --- The holiday calendar and the rule in force on the date checked --------------------------------
# The holidays of 2025–2027 (`rules.holidays_vn`): Tết Bính Ngọ keeps Saturday 14/2 – Sunday
# 22/2/2026 off; Saturday 10/1/2026 is a make-up working day.

D = datetime.date


@pytest.fixture
def holidays(db):
    # The data migration installs them; a database flushed by a transactional test must not decide these tests.
    install_holidays()


def outbox(kind):
    return OutboxMessage.objects.filter(kind=kind)


def test_due_soon_counts_three_working_days_across_tet(world, holidays):
    # Friday 13/2/2026: the next three working days are 23, 24 and 25/2.
    last_day = petition(world, D(2026, 2, 25))
    petition(world, D(2026, 2, 26))  # the fourth working day: not yet
    reminders.write_reminders(kind="petition_due_soon", today=D(2026, 2, 13))
    assert set(outbox(K.PETITION_DUE_SOON).values_list("object_id", flat=True)) == {last_day.pk}


def test_due_soon_counts_a_make_up_saturday_as_a_working_day(world, holidays):
    # Friday 9/1/2026: Saturday 10/1 is worked, so the third working day is Tuesday 13/1.
    third = petition(world, D(2026, 1, 13))
    petition(world, D(2026, 1, 14))
    reminders.write_reminders(kind="petition_due_soon", today=D(2026, 1, 9))
    assert set(outbox(K.PETITION_DUE_SOON).values_list("object_id", flat=True)) == {third.pk}


def test_overdue_escalation_counts_working_days_late_across_tet(world, holidays):
    # On 24/2/2026 a petition due 12/2 is 3 working days late (13, 23, 24/2), under the 5 of the rule;
    # one due 2/2 is 11 working days late.
    petition(world, D(2026, 2, 12))
    long_late = petition(world, D(2026, 2, 2))
    reminders.write_reminders(kind="overdue", today=D(2026, 2, 24))
    [escalation] = outbox(K.OVERDUE_ESCALATION)
    assert escalation.recipient == f"user:{world.sam.pk}"
    assert escalation.payload["petitions"] == [long_late.pk]


def test_notice_reminder_uses_the_deadline_in_force_on_the_held_date(world):
    # The deadline was 10 days until 30/6/2025 and 15 days since: a conference held on 25/6/2025
    # keeps its 10 days, so on 5/7/2025 its notice reaches the deadline stage.
    Rule.objects.filter(key=RuleKey.NOTICE_DEADLINE_DAYS).update(valid_to=D(2025, 6, 30))
    Rule.objects.create(key=RuleKey.NOTICE_DEADLINE_DAYS, value=15, valid_from=D(2025, 7, 1))
    conference(world, D(2025, 6, 25), status=ConferenceStatus.HELD, held_on=D(2025, 6, 25))
    reminders.write_reminders(kind="notice_missing", today=D(2025, 7, 5))
    rows = outbox(K.NOTICE_MISSING)
    assert rows and {r.due_key for r in rows} == {"deadline"}
    assert {r.payload["deadline"] for r in rows} == {"2025-07-05"}


def test_invitation_reminder_uses_the_lead_time_in_force_on_the_conference_date(world):
    # The lead time was 7 days until 30/6/2025 and 3 days since: on 27/6/2025 a conference on
    # 3/7 (6 days ahead) is still in time, one on 29/6 (2 days ahead) is late.
    Rule.objects.filter(key=RuleKey.INVITATION_LEAD_DAYS).update(valid_to=D(2025, 6, 30))
    Rule.objects.create(key=RuleKey.INVITATION_LEAD_DAYS, value=3, valid_from=D(2025, 7, 1))
    late = conference(world, D(2025, 6, 29))
    conference(world, D(2025, 7, 3))
    reminders.write_reminders(kind="invitation_late", today=D(2025, 6, 27))
    rows = outbox(K.INVITATION_LATE)
    assert {r.object_id for r in rows} == {late.pk}
    assert {r.payload["lead"] for r in rows} == {7}
