"""The daily reminder scans. Each finds what is due on `today` and writes it to the outbox.

Every scan:
- reads in a fixed number of queries, whatever the number of rows (rules, holidays and
  memberships are loaded once and used from memory);
- writes its messages with one idempotent bulk insert (unique key: kind, recipient, object,
  due key), so running it twice, or from two beats at once, writes each reminder once;
- chooses the due key so that a reminder fires once per window: a stage (7 days / 1 day
  before; 3 days / 7 days / deadline after), a date (the due date, the day of a digest), a
  year or a quarter. A missed day is caught up while the window is open.
The sweeper then sends the rows, checking again that each is still wanted (see `emails`).

Nobody is forgotten silently: when the unit has no one in the role a reminder is for (a new
ward without members), it goes to the supervisors of the unit or of a unit above it; when there
are none either, a skipped `Delivery` to "unit:<id>" with the reason NO_RECIPIENT records it
(once per reminder, visible in the admin's sent log).

Windows (today = the day of the run):
- conference_upcoming: planned/announced, starts in 2–7 days (stage D-7) or 0–1 day (D-1).
- invitation_late: no invitation sent, starts within the lead time in force on its date.
- notice_missing: held, no published notice, 3 / 7 / deadline days after it was held (the
  deadline stage stays open CATCH_UP_DAYS days).
- petition_due_soon: open, due today or within 3 working days; once per due date.
- overdue: open and past due: one digest per person per day; a copy to the supervisors
  above the unit of those more than OVERDUE_ESCALATION_WORKING_DAYS working days late.
- recheck_due: a Front supervision whose re-check date has come (up to CATCH_UP_DAYS late).
- plan_missing: a commune or district without an approved plan for the year once the day of
  the year in force has passed; once a year.
- conferences_behind: in the last 7 days of a quarter, a unit that held fewer periodic
  conferences this year than its pro-rata share of the yearly minimum; once a quarter.
"""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from notifications.emails import DIGEST_LIMIT, approved_plan_statuses
from notifications.models import Delivery, DeliveryStatus, NotificationKind, SkipReason
from notifications.recipients import Directory, org_ref, user_ref
from notifications.services import Message, enqueue_messages
from petitions.models import DUE_SOON_WORKING_DAYS
from rules.book import RuleBook
from rules.models import RuleKey
from rules.workdays import WorkCalendar
from units.models import Role, UnitLevel

K = NotificationKind
CATCH_UP_DAYS = 14
QUARTER_END_WINDOW_DAYS = 7
PLAN_LEVELS = (UnitLevel.COMMUNE, UnitLevel.DISTRICT)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _conference_type():
    return "conferences.conference"


def unit_ref(unit_id: int) -> str:
    return f"unit:{unit_id}"


class Nobody:
    """Reminders nobody can receive, recorded as skipped deliveries (NO_RECIPIENT) in one bulk insert."""

    def __init__(self):
        self.rows: list[Delivery] = []

    def add(self, kind: str, object_type: str, object_id: int, due_key: str, unit_id: int) -> None:
        self.rows.append(
            Delivery(
                kind=kind,
                recipient=unit_ref(unit_id),
                object_type=object_type,
                object_id=object_id,
                due_key=due_key,
                status=DeliveryStatus.SKIPPED,
                reason=SkipReason.NO_RECIPIENT,
                created_at=timezone.now(),
            )
        )

    def save(self) -> int:
        if self.rows:
            Delivery.objects.bulk_create(self.rows, ignore_conflicts=True, batch_size=500)
        return len(self.rows)


def or_supervisors(user_ids: list[int], directory: Directory, unit_path: str) -> list[int]:
    """Return `user_ids`, or, when empty, the supervisors of the unit at `unit_path` or above it."""
    return user_ids or directory.above(unit_path, Role.SUPERVISOR)


def _finish(messages, nobody: Nobody) -> int:
    nobody.save()
    return enqueue_messages(messages)


# --- Conferences -------------------------------------------------------------------------------


def remind_conferences_upcoming(today: datetime.date) -> int:
    """Remind chairs and organisers 7 days and 1 day before a planned or announced conference."""
    from conferences.models import Conference, ConferenceStatus
    from units.models import Organisation

    conferences = (
        Conference.objects.filter(
            status__in=[ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED],
            planned_start__gte=_midnight(today),
            planned_start__lt=_midnight(today + datetime.timedelta(days=8)),
        )
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "co_organisers",
                queryset=Organisation.objects.filter(is_active=True).exclude(email="").only("pk"),
                to_attr="mailable_co_organisers",
            )
        )
    )
    directory = Directory(roles=(Role.CHAIR, Role.UNIT_OFFICIAL, Role.SUPERVISOR))
    messages, nobody = [], Nobody()
    for conference in conferences:
        day = timezone.localdate(conference.planned_start)
        stage = "D-1" if (day - today).days <= 1 else "D-7"
        recipients = [org_ref(o.pk) for o in conference.mailable_co_organisers]
        people = directory.organisers(conference.unit_id, conference.chair_user_id)
        if not people and not recipients:
            people = directory.above(conference.unit.path, Role.SUPERVISOR)
        recipients = [user_ref(u) for u in people] + recipients
        if not recipients:
            nobody.add(K.CONFERENCE_UPCOMING, _conference_type(), conference.pk, f"{stage}:{day}", conference.unit_id)
        for recipient in recipients:
            messages.append(
                Message(K.CONFERENCE_UPCOMING, recipient, _conference_type(), conference.pk, f"{stage}:{day}")
            )
    return _finish(messages, nobody)


def remind_invitations_late(today: datetime.date) -> int:
    """Remind chairs and organisers when the invitation has not gone out by the lead time in force."""
    from conferences.models import Conference, ConferenceStatus

    rules = RuleBook(RuleKey.INVITATION_LEAD_DAYS)
    horizon = rules.largest(RuleKey.INVITATION_LEAD_DAYS)
    conferences = Conference.objects.filter(
        status__in=[ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED],
        invitation_sent_on__isnull=True,
        planned_start__gte=_midnight(today),
        planned_start__lt=_midnight(today + datetime.timedelta(days=horizon + 1)),
    ).select_related("unit")
    directory = Directory(roles=(Role.CHAIR, Role.UNIT_OFFICIAL, Role.SUPERVISOR))
    messages, nobody = [], Nobody()
    for conference in conferences:
        day = timezone.localdate(conference.planned_start)
        lead = rules.value_on(RuleKey.INVITATION_LEAD_DAYS, day, conference.unit.level)
        if (day - today).days > lead:
            continue
        payload = {"lead": lead, "deadline": (day - datetime.timedelta(days=lead)).isoformat()}
        people = or_supervisors(
            directory.organisers(conference.unit_id, conference.chair_user_id), directory, conference.unit.path
        )
        if not people:
            nobody.add(K.INVITATION_LATE, _conference_type(), conference.pk, f"lead:{day}", conference.unit_id)
        for user_id in people:
            messages.append(
                Message(K.INVITATION_LATE, user_ref(user_id), _conference_type(), conference.pk, f"lead:{day}", payload)
            )
    return _finish(messages, nobody)


def notice_stage(days_since: int, deadline_days: int) -> int | None:
    """Return the reminder stage (3, 7 or the deadline) whose window contains `days_since`, else None."""
    stages = sorted({3, 7, deadline_days})
    for index, stage in enumerate(stages):
        window_end = stages[index + 1] if index + 1 < len(stages) else stage + CATCH_UP_DAYS
        if stage <= days_since < window_end:
            return stage
    return None


def remind_notices_missing(today: datetime.date) -> int:
    """Remind chairs and organisers of a held conference without a published notice (3, 7 days, deadline)."""
    from conferences.models import Conference, ConferenceStatus
    from followup.models import FollowUpNotice, NoticeStatus

    rules = RuleBook(RuleKey.NOTICE_DEADLINE_DAYS)
    horizon = max(rules.largest(RuleKey.NOTICE_DEADLINE_DAYS), 7) + CATCH_UP_DAYS
    published = FollowUpNotice.objects.filter(conference=OuterRef("pk"), status=NoticeStatus.PUBLISHED)
    conferences = (
        Conference.objects.filter(
            status=ConferenceStatus.HELD,
            held_on__gte=today - datetime.timedelta(days=horizon),
            held_on__lte=today - datetime.timedelta(days=1),
        )
        .exclude(Exists(published))
        .select_related("unit")
    )
    directory = Directory(roles=(Role.CHAIR, Role.UNIT_OFFICIAL, Role.SUPERVISOR))
    messages, nobody = [], Nobody()
    for conference in conferences:
        deadline_days = rules.value_on(RuleKey.NOTICE_DEADLINE_DAYS, conference.held_on, conference.unit.level)
        days_since = (today - conference.held_on).days
        stage = notice_stage(days_since, deadline_days)
        if stage is None:
            continue
        payload = {
            "deadline": (conference.held_on + datetime.timedelta(days=deadline_days)).isoformat(),
            "days_since": days_since,
        }
        key = "deadline" if stage == deadline_days else f"D+{stage}"
        people = or_supervisors(
            directory.organisers(conference.unit_id, conference.chair_user_id), directory, conference.unit.path
        )
        if not people:
            nobody.add(K.NOTICE_MISSING, _conference_type(), conference.pk, key, conference.unit_id)
        for user_id in people:
            messages.append(
                Message(K.NOTICE_MISSING, user_ref(user_id), _conference_type(), conference.pk, key, payload)
            )
    return _finish(messages, nobody)


# --- Petitions ---------------------------------------------------------------------------------


def remind_petitions_due_soon(today: datetime.date) -> int:
    """Remind whoever must answer a petition due within 3 working days; once per due date."""
    from petitions.models import OPEN_STATUSES, Petition

    calendar = WorkCalendar(today, today + datetime.timedelta(days=45))
    horizon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    rows = Petition.objects.filter(status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=horizon).values_list(
        "pk", "unit_id", "unit__path", "handling_org_id", "assignee_id", "due_on"
    )
    directory = Directory(roles=(Role.UNIT_OFFICIAL, Role.HANDLING_OFFICER, Role.SUPERVISOR))
    messages, nobody = [], Nobody()
    for pk, unit_id, path, org_id, assignee_id, due_on in rows:
        people = or_supervisors(
            directory.responsible_for(unit_id=unit_id, handling_org_id=org_id, assignee_id=assignee_id),
            directory,
            path,
        )
        if not people:
            nobody.add(K.PETITION_DUE_SOON, "petitions.petition", pk, due_on.isoformat(), unit_id)
        for user_id in people:
            messages.append(
                Message(K.PETITION_DUE_SOON, user_ref(user_id), "petitions.petition", pk, due_on.isoformat())
            )
    return _finish(messages, nobody)


def remind_overdue_petitions(today: datetime.date) -> int:
    """Send each person a daily digest of their overdue petitions, and the supervisors above the unit a
    digest of those more than OVERDUE_ESCALATION_WORKING_DAYS working days late."""
    from petitions.models import OPEN_STATUSES, Petition

    rows = list(
        Petition.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)
        .order_by("due_on", "pk")
        .values_list("pk", "unit_id", "unit__path", "unit__level", "handling_org_id", "assignee_id", "due_on")
    )
    rules = RuleBook(RuleKey.OVERDUE_ESCALATION_WORKING_DAYS)
    earliest = rows[0][-1] if rows else today
    calendar = WorkCalendar(earliest, today)
    directory = Directory(roles=(Role.UNIT_OFFICIAL, Role.HANDLING_OFFICER, Role.SUPERVISOR))
    digests: dict[int, list[int]] = defaultdict(list)
    escalations: dict[int, list[int]] = defaultdict(list)
    supervisors_of: dict[int, list[int]] = {}
    nobody = Nobody()
    for pk, unit_id, path, level, org_id, assignee_id, due_on in rows:
        people = or_supervisors(
            directory.responsible_for(unit_id=unit_id, handling_org_id=org_id, assignee_id=assignee_id),
            directory,
            path,
        )
        if not people:  # once per petition and due date, not every day
            nobody.add(K.OVERDUE_DIGEST, "petitions.petition", pk, f"due:{due_on.isoformat()}", unit_id)
        for user_id in people:
            digests[user_id].append(pk)
        threshold = rules.value_on(RuleKey.OVERDUE_ESCALATION_WORKING_DAYS, today, level)
        if calendar.working_days_between(due_on, today) > threshold:
            if unit_id not in supervisors_of:
                supervisors_of[unit_id] = directory.above(path, Role.SUPERVISOR)
            for user_id in supervisors_of[unit_id]:
                escalations[user_id].append(pk)
    user_type = get_user_model()._meta.label_lower
    threshold = rules.value_on(RuleKey.OVERDUE_ESCALATION_WORKING_DAYS, today, "")
    messages = [
        Message(
            K.OVERDUE_DIGEST,
            user_ref(user_id),
            user_type,
            user_id,
            today.isoformat(),
            {"petitions": ids[:DIGEST_LIMIT], "total": len(ids)},
        )
        for user_id, ids in digests.items()
    ]
    messages += [
        Message(
            K.OVERDUE_ESCALATION,
            user_ref(user_id),
            user_type,
            user_id,
            today.isoformat(),
            {"petitions": ids[:DIGEST_LIMIT], "total": len(ids), "threshold": threshold},
        )
        for user_id, ids in escalations.items()
    ]
    return _finish(messages, nobody)


# --- Front supervision, plans, compliance ------------------------------------------------------


def remind_rechecks_due(today: datetime.date) -> int:
    """Remind the Front supervisor (else the Front supervisors above the unit) of a re-check date that has come."""
    from followup.models import Supervision

    rows = (
        Supervision.objects.recheck_due(today)
        .filter(recheck_on__gte=today - datetime.timedelta(days=CATCH_UP_DAYS))
        .values_list("pk", "unit_id", "unit__path", "supervisor_id", "recheck_on")
    )
    directory = Directory(roles=(Role.FRONT_SUPERVISOR,))
    messages, nobody = [], Nobody()
    for pk, unit_id, path, supervisor_id, recheck_on in rows:
        people = [supervisor_id] if supervisor_id else directory.above(path, Role.FRONT_SUPERVISOR)
        if not people:
            nobody.add(K.RECHECK_DUE, "followup.supervision", pk, recheck_on.isoformat(), unit_id)
        for user_id in people:
            messages.append(
                Message(K.RECHECK_DUE, user_ref(user_id), "followup.supervision", pk, recheck_on.isoformat())
            )
    return _finish(messages, nobody)


def remind_plans_missing(today: datetime.date) -> int:
    """Remind the officials and chairs of a unit without an approved yearly plan once the rule's day has passed."""
    from conferences.models import DialoguePlan
    from units.models import AdministrativeUnit

    rules = RuleBook(RuleKey.PLAN_APPROVAL_DEADLINE_DAY_OF_YEAR, RuleKey.MIN_PERIODIC_CONFERENCES)
    approved = DialoguePlan.objects.filter(unit=OuterRef("pk"), year=today.year, status__in=approved_plan_statuses())
    units = (
        AdministrativeUnit.objects.valid_on(today)
        .filter(level__in=PLAN_LEVELS)
        .exclude(Exists(approved))
        .values_list("pk", "level", "path")
    )
    directory = Directory(roles=(Role.CHAIR, Role.UNIT_OFFICIAL, Role.SUPERVISOR))
    day_of_year = today.timetuple().tm_yday
    messages, nobody = [], Nobody()
    for unit_id, level, path in units:
        deadline_day = rules.value_on(RuleKey.PLAN_APPROVAL_DEADLINE_DAY_OF_YEAR, today, level)
        if day_of_year <= deadline_day or not rules.in_force(RuleKey.MIN_PERIODIC_CONFERENCES, today, level):
            continue
        deadline = datetime.date(today.year, 1, 1) + datetime.timedelta(days=deadline_day - 1)
        people = or_supervisors(directory.in_unit(unit_id, Role.CHAIR, Role.UNIT_OFFICIAL), directory, path)
        if not people:
            nobody.add(K.PLAN_MISSING, "units.administrativeunit", unit_id, str(today.year), unit_id)
        for user_id in people:
            messages.append(
                Message(
                    K.PLAN_MISSING,
                    user_ref(user_id),
                    "units.administrativeunit",
                    unit_id,
                    str(today.year),
                    {"deadline": deadline.isoformat()},
                )
            )
    return _finish(messages, nobody)


def quarter_of(day: datetime.date) -> tuple[int, datetime.date]:
    """Return (quarter number, last day of that quarter)."""
    quarter = (day.month - 1) // 3 + 1
    next_start = datetime.date(day.year + 1, 1, 1) if quarter == 4 else datetime.date(day.year, quarter * 3 + 1, 1)
    return quarter, next_start - datetime.timedelta(days=1)


def remind_conferences_behind(today: datetime.date) -> int:
    """In the last days of a quarter, remind units that held fewer periodic conferences this year than
    their pro-rata share of the minimum in force (the whole minimum in the fourth quarter)."""
    from conferences.models import HELD_STATUSES, ConferenceKind
    from units.models import AdministrativeUnit

    quarter, quarter_end = quarter_of(today)
    if (quarter_end - today).days >= QUARTER_END_WINDOW_DAYS:
        return 0
    rules = RuleBook(RuleKey.MIN_PERIODIC_CONFERENCES)
    held = Q(
        conferences__kind=ConferenceKind.PERIODIC,
        conferences__status__in=HELD_STATUSES,
        conferences__held_on__gte=datetime.date(today.year, 1, 1),
        conferences__held_on__lte=today,
    )
    units = (
        AdministrativeUnit.objects.valid_on(today)
        .filter(level__in=PLAN_LEVELS)
        .annotate(held=Count("conferences", filter=held))
        .values_list("pk", "level", "path", "held")
    )
    directory = Directory(roles=(Role.CHAIR, Role.UNIT_OFFICIAL, Role.SUPERVISOR))
    messages, nobody = [], Nobody()
    for unit_id, level, path, held_count in units:
        minimum = rules.in_force(RuleKey.MIN_PERIODIC_CONFERENCES, quarter_end, level) or 0
        expected = minimum if quarter == 4 else (minimum * quarter) // 4
        if held_count >= expected:
            continue
        payload = {"held": held_count, "expected": expected, "minimum": minimum, "quarter": quarter}
        people = or_supervisors(directory.in_unit(unit_id, Role.CHAIR, Role.UNIT_OFFICIAL), directory, path)
        if not people:
            nobody.add(K.CONFERENCES_BEHIND, "units.administrativeunit", unit_id, f"{today.year}-Q{quarter}", unit_id)
        for user_id in people:
            messages.append(
                Message(
                    K.CONFERENCES_BEHIND,
                    user_ref(user_id),
                    "units.administrativeunit",
                    unit_id,
                    f"{today.year}-Q{quarter}",
                    payload,
                )
            )
    return _finish(messages, nobody)


# The scans, by the name `send_reminders --kind` takes.
SCANS = {
    "conference_upcoming": remind_conferences_upcoming,
    "invitation_late": remind_invitations_late,
    "notice_missing": remind_notices_missing,
    "petition_due_soon": remind_petitions_due_soon,
    "overdue": remind_overdue_petitions,
    "recheck_due": remind_rechecks_due,
    "plan_missing": remind_plans_missing,
    "conferences_behind": remind_conferences_behind,
}


def write_reminders(*, kind: str | None = None, today: datetime.date | None = None) -> dict[str, int]:
    """Run the scan `kind` (all when None) for `today`; return the messages written per scan. Idempotent."""
    today = today or timezone.localdate()
    if kind is not None and kind not in SCANS:
        raise ValueError(f"unknown reminder kind {kind!r}; choose from {', '.join(SCANS)}")
    names = [kind] if kind else list(SCANS)
    return {name: SCANS[name](today) for name in names}
