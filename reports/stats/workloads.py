"""Dashboard figures: the work in hand today and what awaits approval."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from conferences.models import (
    HELD_STATUSES,
    Conference,
    ConferenceStatus,
    DialoguePlan,
    MinutesStatus,
    PlanItem,
    PlanStatus,
)
from followup.models import FollowUpNotice, NoticeStatus
from petitions.models import (
    DUE_SOON_WORKING_DAYS,
    OPEN_STATUSES,
    PetitionStatus,
    past_due_q,
)
from reports.stats.scope import Scope, day_start, share
from rules.workdays import add_working_days

# Dashboard: conferences "coming up" within this many calendar days.
UPCOMING_DAYS = 30
# --- Dashboard: the work in hand today -------------------------------------------------------------


def due_soon_until(today: datetime.date) -> datetime.date:
    """Return the last day of the "due soon" window: `DUE_SOON_WORKING_DAYS` working days after today."""
    return add_working_days(today, DUE_SOON_WORKING_DAYS)


def petition_workload(petitions, *, user, today: datetime.date) -> dict:
    """The petitions in hand, from a queryset already scoped to the person (`Petition.objects.visible_to(user)`).

    new = status submitted (awaiting acceptance); due_soon = open and due between today and
    `due_soon_until(today)` inclusive; overdue = open and past its deadline (`past_due_q`: an
    extension asked for in time moves the deadline, one asked for after it had passed does not
    take the petition out of this count); mine = open and assigned to `user`; open = every open
    petition. Open = `OPEN_STATUSES`. One query.
    """
    # Every figure is about open petitions (submitted is open): reading only those keeps the
    # query on the (status, due_on) index instead of the whole table.
    return (
        petitions.filter(status__in=OPEN_STATUSES)
        .order_by()
        .aggregate(
            new=Count("id", filter=Q(status=PetitionStatus.SUBMITTED)),
            due_soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=due_soon_until(today))),
            overdue=Count("id", filter=past_due_q(today)),
            mine=Count("id", filter=Q(assignee=user)),
            open=Count("id"),
        )
    )


def conference_agenda(scope: Scope, *, now: datetime.datetime | None = None) -> dict:
    """Conferences coming up and conferences held without a published notice (not period-bound).

    upcoming = planned or announced, planned to start from now until the end of the day
    `UPCOMING_DAYS` days ahead (local time) — the conference list with `upcoming=1`, `date_from`
    today and `date_to` that day. without_notice = held (status held, concluded or closed, with a
    held date) and no published notice — the list `followup:conferences_without_notice`. One query.
    """
    now = now or timezone.now()
    window_end = day_start(timezone.localdate(now) + datetime.timedelta(days=UPCOMING_DAYS + 1))
    published = FollowUpNotice.objects.filter(conference=OuterRef("pk"), status=NoticeStatus.PUBLISHED)
    qs = scope.filter(Conference.objects.all())
    return qs.order_by().aggregate(
        upcoming=Count(
            "id",
            filter=Q(
                status__in=[ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED],
                planned_start__gte=now,
                planned_start__lt=window_end,
            ),
        ),
        without_notice=Count("id", filter=Q(status__in=HELD_STATUSES, held_on__isnull=False) & ~Q(Exists(published))),
    )


def plan_progress(scope: Scope, *, year: int) -> dict:
    """This year's plans: planned conferences vs those held.

    plans = yearly plans of `year` in scope; planned = their planned conferences (plan items);
    held = plan items fulfilled by at least one held conference. Two queries.
    """
    plans = scope.filter(DialoguePlan.objects.filter(year=year))
    counts = plans.aggregate(plans=Count("id"))
    items = PlanItem.objects.filter(plan__in=plans.values("pk"))
    held_item = Conference.objects.filter(plan_item=OuterRef("pk"), status__in=HELD_STATUSES)
    counts |= items.aggregate(planned=Count("id"), held=Count("id", filter=Q(Exists(held_item))))
    counts["share"] = share(counts["held"], counts["planned"])
    return counts


# --- Dashboard: what awaits a chair, what awaits a handling unit ----------------------------------

# A plan is submitted for approval when the plan workflow has that step; before it, a draft awaits approval.
PLAN_AWAITING_APPROVAL = getattr(PlanStatus, "SUBMITTED", PlanStatus.DRAFT)


def plans_awaiting_approval(scope: Scope):
    """Return the queryset of the plans in scope awaiting approval (status submitted), any year."""
    return scope.filter(DialoguePlan.objects.filter(status=PLAN_AWAITING_APPROVAL))


def minutes_awaiting_approval(scope: Scope):
    """Return the queryset of the conferences in scope held (as `held_q`, any date) whose minutes are a draft."""
    return scope.filter(Conference.objects.filter(status__in=HELD_STATUSES, minutes_status=MinutesStatus.DRAFT))


def awaiting_approval(scope: Scope) -> dict:
    """What awaits a chair's approval in the scope, whatever the date. Three queries.

    plans = `plans_awaiting_approval`; minutes = `minutes_awaiting_approval`; notices_draft =
    follow-up notices in draft (the notice list with `status=draft`); notices_approved = notices
    approved and not yet published (`status=approved`).
    """
    notices = scope.filter(FollowUpNotice.objects.filter(status__in=[NoticeStatus.DRAFT, NoticeStatus.APPROVED]))
    counts = notices.order_by().aggregate(
        notices_draft=Count("id", filter=Q(status=NoticeStatus.DRAFT)),
        notices_approved=Count("id", filter=Q(status=NoticeStatus.APPROVED)),
    )
    counts["plans"] = plans_awaiting_approval(scope).order_by().count()
    counts["minutes"] = minutes_awaiting_approval(scope).order_by().count()
    return counts


def handling_unit_workload(petitions, *, org_ids, today: datetime.date) -> dict:
    """The open petitions of the person's handling unit(s), from a queryset the person may see.

    `org_ids`: the organisations the person handles for (a queryset of ids; the inbox's
    `my_unit=1`). new = open and not yet given to an officer (`assignee` empty: the inbox's
    `unassigned=1`); due_soon and overdue as in `petition_workload`. One query, on the
    (handling_org, status, due_on) index.
    """
    return (
        petitions.filter(handling_org_id__in=org_ids, status__in=OPEN_STATUSES)
        .order_by()
        .aggregate(
            new=Count("id", filter=Q(assignee__isnull=True)),
            due_soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=due_soon_until(today))),
            overdue=Count("id", filter=past_due_q(today)),
        )
    )
