"""Deadline figures: invitations sent and follow-up notices published on time, by the rule in force."""

from __future__ import annotations

import datetime

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from followup.models import FollowUpNotice, NoticeStatus
from reports.stats.conferences import held_conferences
from reports.stats.scope import Scope, _fold, share
from rules.book import RuleBook
from rules.models import RuleKey


def _invitations(scope: Scope):
    """Return (conferences held in the period annotated for the check, condition "invitation on time")."""
    tz = timezone.get_current_timezone()
    qs = held_conferences(scope).annotate(planned_day=TruncDate("planned_start", tzinfo=tz))
    qs = qs.annotate(lead=ExpressionWrapper(F("planned_day") - F("invitation_sent_on"), output_field=DurationField()))
    on_time = Q(invitation_sent_on__isnull=False) & RuleBook(RuleKey.INVITATION_LEAD_DAYS).condition(
        RuleKey.INVITATION_LEAD_DAYS,
        level_field="unit__level",
        date_field="planned_day",
        test=lambda days: Q(lead__gte=datetime.timedelta(days=days)),
    )
    return qs, on_time


def invitation_on_time_conferences(scope: Scope):
    """Return the queryset of the conferences counted as "on time" by `invitations_on_time`."""
    qs, on_time = _invitations(scope)
    return qs.filter(on_time)


def invitations_on_time(scope: Scope, *, by_unit: bool = False) -> dict:
    """Invitations sent on time, over the conferences held in the period.

    On time = `invitation_sent_on <= planned date − lead days`, the lead time being the rule
    "invitation lead time" in force on the planned date (local date of `planned_start`) for the
    conference's level. A conference without a recorded invitation date, or with no rule in
    force, is not on time. Shape: `{"held", "on_time", "share"}`.
    """
    qs, on_time = _invitations(scope)
    rows = qs.values("unit_id").annotate(held=Count("id"), on_time=Count("id", filter=on_time)).order_by()

    def build():
        return {"held": 0, "on_time": 0, "share": None}

    def add(result, row):
        result["held"] += row["held"]
        result["on_time"] += row["on_time"]
        result["share"] = share(result["on_time"], result["held"])

    return _fold(scope, rows, by_unit, build, add)


def _notices(scope: Scope, today: datetime.date | None):
    """Return (held conferences annotated with `pub` / `pub_on_time`, condition "the notice deadline has passed")."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    published = FollowUpNotice.objects.filter(conference=OuterRef("pk"), status=NoticeStatus.PUBLISHED)
    published_on_time = published.annotate(day=TruncDate("published_at", tzinfo=tz)).filter(
        Q(due_on__isnull=True) | Q(day__lte=F("due_on"))
    )
    overdue_now = RuleBook(RuleKey.NOTICE_DEADLINE_DAYS).condition(
        RuleKey.NOTICE_DEADLINE_DAYS,
        level_field="unit__level",
        date_field="held_on",
        test=lambda days: Q(held_on__lt=today - datetime.timedelta(days=days)),
    )
    qs = held_conferences(scope).annotate(pub=Exists(published), pub_on_time=Exists(published_on_time))
    return qs, overdue_now


def notice_due_conferences(scope: Scope, *, today: datetime.date | None = None):
    """Return the queryset of the conferences counted in `notices_on_time`'s "due"."""
    qs, overdue_now = _notices(scope, today)
    return qs.filter(Q(pub=True) | overdue_now)


def notice_on_time_conferences(scope: Scope, *, today: datetime.date | None = None):
    """Return the queryset of the conferences counted in `notices_on_time`'s "on_time"."""
    qs, _overdue = _notices(scope, today)
    return qs.filter(pub_on_time=True)


def notices_on_time(scope: Scope, *, by_unit: bool = False, today: datetime.date | None = None) -> dict:
    """Follow-up notices published on time, over the conferences held in the period.

    For each conference held in the period: published = it has a published notice; on_time =
    one was published on or before that notice's deadline (`published_at` local date <=
    `due_on`, the deadline in force when it was drafted; a notice without a deadline counts as
    on time once published). due = the conferences whose notice is due: published, or held more
    than the notice deadline in force ago (rule "notice deadline" on the held date, for the
    level), so a conference held yesterday does not count against the unit yet. share = on_time
    / due. without_notice = held and no published notice (whether due or not). Shape: `{"held",
    "due", "published", "on_time", "without_notice", "share"}`.
    """
    qs, overdue_now = _notices(scope, today)
    rows = (
        qs.values("unit_id")
        .annotate(
            held=Count("id"),
            published=Count("id", filter=Q(pub=True)),
            on_time=Count("id", filter=Q(pub_on_time=True)),
            due=Count("id", filter=Q(pub=True) | overdue_now),
        )
        .order_by()
    )

    def build():
        return {"held": 0, "due": 0, "published": 0, "on_time": 0, "without_notice": 0, "share": None}

    def add(result, row):
        for key in ("held", "due", "published", "on_time"):
            result[key] += row[key]
        result["without_notice"] = result["held"] - result["published"]
        result["share"] = share(result["on_time"], result["due"])

    return _fold(scope, rows, by_unit, build, add)
