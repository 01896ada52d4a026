"""Petition figures: received, answered on time, working days to answer, satisfaction."""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from petitions.models import (
    ANSWERED_ON_TIME as ON_TIME,
)
from petitions.models import (
    ANSWERED_STATUSES,
    ANSWERED_WITHIN_EXTENSION,
    DEADLINE_EXTENDED,
    Channel,
    Extension,
    Petition,
    PetitionKind,
    PetitionStatus,
    Verdict,
)
from reports.stats.scope import Scope, _fold, share
from rules.workdays import WorkCalendar

# --- Petitions -------------------------------------------------------------------------------------


def received_petitions(scope: Scope):
    """Return the queryset of petitions received in the scope and period (`submitted_at` in the period)."""
    return scope.filter(Petition.objects.filter(submitted_at__gte=scope.start_dt, submitted_at__lt=scope.end_dt))


def petitions_received(scope: Scope, *, by_unit: bool = False) -> dict:
    """Petitions received in the period (`submitted_at`), by current status, category, kind and channel.

    Every petition received counts, including those rejected or merged as duplicates (they show
    under the status "rejected"). Status is the status today. Shape: `{"total", "by_status",
    "by_category", "by_kind", "by_channel"}` with category names as keys.
    """
    base = received_petitions(scope)
    groups = {
        "by_status": ("status", [s.value for s in PetitionStatus]),
        "by_category": ("category__name", []),
        "by_kind": ("kind", [k.value for k in PetitionKind]),
        "by_channel": ("channel", [c.value for c in Channel]),
    }
    rows = []
    for section, (field_name, _keys) in groups.items():
        for row in base.values("unit_id", key=F(field_name)).annotate(n=Count("id")).order_by():
            rows.append({**row, "section": section})

    def build():
        result = {"total": 0}
        for section, (_f, keys) in groups.items():
            result[section] = dict.fromkeys(keys, 0)
        return result

    def add(result, row):
        bucket = result[row["section"]]
        bucket[row["key"]] = bucket.get(row["key"], 0) + row["n"]
        if row["section"] == "by_status":
            result["total"] += row["n"]

    return _fold(scope, rows, by_unit, build, add)


def answered_petitions(scope: Scope):
    """Return the queryset of petitions answered in the period.

    Answered = status answered on the spot, answered in writing or resolved, with `answered_on`
    in the period (reopening a petition clears `answered_on`, so it counts again when answered).
    """
    qs = Petition.objects.filter(status__in=ANSWERED_STATUSES, answered_on__gte=scope.start, answered_on__lte=scope.end)
    return scope.filter(qs)


def answered_on_time(scope: Scope, *, by_unit: bool = False) -> dict:
    """Share of the petitions answered in the period (see `answered_petitions`) answered on time.

    On time = answered by the ORIGINAL deadline (`ANSWERED_ON_TIME`: `answered_on <=
    original_due_on`), whatever extensions followed — the figure every light, ranking and
    shortlist uses. An answer given on the spot at a conference has no deadline and is on time.
    Beside it: within_extension = answered by the deadline in force after the extensions
    (`ANSWERED_WITHIN_EXTENSION`), extended = answered petitions whose deadline had been extended
    (`DEADLINE_EXTENDED`). Shape: `{"answered", "on_time", "share", "within_extension",
    "share_within_extension", "extended"}`.
    """
    rows = (
        answered_petitions(scope)
        .values("unit_id")
        .annotate(
            answered=Count("id"),
            on_time=Count("id", filter=ON_TIME),
            within_extension=Count("id", filter=ANSWERED_WITHIN_EXTENSION),
            extended=Count("id", filter=DEADLINE_EXTENDED),
        )
        .order_by()
    )

    def build():
        return {
            "answered": 0,
            "on_time": 0,
            "share": None,
            "within_extension": 0,
            "share_within_extension": None,
            "extended": 0,
        }

    def add(result, row):
        for key in ("answered", "on_time", "within_extension", "extended"):
            result[key] += row[key]
        result["share"] = share(result["on_time"], result["answered"])
        result["share_within_extension"] = share(result["within_extension"], result["answered"])

    return _fold(scope, rows, by_unit, build, add)


def deadline_extensions(scope: Scope, *, by_unit: bool = False) -> dict:
    """Answer deadlines extended in the period, on the petition's unit.

    extensions = extensions granted in the period (`Extension.extended_at`); petitions = the
    petitions they extended (a petition extended twice counts once); after_due = extensions asked
    for after the deadline they moved had passed (local date of `extended_at` > `previous_due_on`;
    only a chair may grant one, and the petition stays overdue). Shape: `{"extensions",
    "petitions", "after_due"}`.
    """
    tz = timezone.get_current_timezone()
    qs = Extension.objects.filter(extended_at__gte=scope.start_dt, extended_at__lt=scope.end_dt)
    qs = scope.filter(qs, "petition__unit_id").annotate(day=TruncDate("extended_at", tzinfo=tz))
    rows = (
        qs.values(unit_id=F("petition__unit_id"))
        .annotate(
            extensions=Count("id"),
            petitions=Count("petition_id", distinct=True),
            after_due=Count("id", filter=Q(day__gt=F("previous_due_on"))),
        )
        .order_by()
    )

    def build():
        return {"extensions": 0, "petitions": 0, "after_due": 0}

    def add(result, row):
        for key in ("extensions", "petitions", "after_due"):
            result[key] += row[key]

    return _fold(scope, rows, by_unit, build, add)


def average_days_to_answer(scope: Scope) -> dict:
    """Average number of working days from receipt to answer, over the petitions answered in the period.

    For each petition answered in the period (see `answered_petitions`): working days after the
    day it was received (`submitted_at`, local date) up to and including `answered_on`, on the
    holiday calendar (as `rules.workdays.working_days_between`); an answer on the day of receipt,
    such as one given on the spot, counts 0. Computed as Σ W(answered) − Σ W(received) over days,
    where W is a running count of working days, so the query returns one row per day, not per
    petition. Shape: `{"answered", "average_working_days"}` (None when nothing was answered).
    """
    qs = answered_petitions(scope)
    tz = timezone.get_current_timezone()
    answered = list(qs.values_list("answered_on").annotate(n=Count("id")).order_by())
    received = list(
        qs.annotate(day=TruncDate("submitted_at", tzinfo=tz)).values_list("day").annotate(n=Count("id")).order_by()
    )
    total = sum(n for _d, n in answered)
    if not total:
        return {"answered": 0, "average_working_days": None}
    days = [d for d, _n in answered] + [d for d, _n in received]
    calendar = WorkCalendar(min(days), max(days))
    span = sum(calendar.day_index(d) * n for d, n in answered) - sum(calendar.day_index(d) * n for d, n in received)
    return {"answered": total, "average_working_days": round(span / total, 2)}


def satisfaction(scope: Scope, *, by_unit: bool = False) -> dict:
    """Citizens' satisfaction with the answers, over the verdicts given in the period.

    Each petition's latest verdict counts, when it was given in the period (`verdict_at`).
    share_resolved = verdicts "resolved" / all verdicts; mean_rating = mean of the 1–5 ratings
    given with them (None without ratings). Shape: `{"verdicts", "resolved", "share_resolved",
    "rated", "mean_rating"}`.
    """
    qs = scope.filter(
        Petition.objects.exclude(verdict="").filter(verdict_at__gte=scope.start_dt, verdict_at__lt=scope.end_dt)
    )
    rows = (
        qs.values("unit_id")
        .annotate(
            verdicts=Count("id"),
            resolved=Count("id", filter=Q(verdict=Verdict.RESOLVED)),
            rated=Count("rating"),
            rating_sum=Sum("rating", default=0),
        )
        .order_by()
    )

    def build():
        return {"verdicts": 0, "resolved": 0, "share_resolved": None, "rated": 0, "mean_rating": None, "_sum": 0}

    def add(result, row):
        for key in ("verdicts", "resolved", "rated"):
            result[key] += row[key]
        result["_sum"] += row["rating_sum"] or 0
        result["share_resolved"] = share(result["resolved"], result["verdicts"])
        result["mean_rating"] = round(result["_sum"] / result["rated"], 2) if result["rated"] else None

    folded = _fold(scope, rows, by_unit, build, add)
    for result in [folded] if not by_unit else folded.values():
        result.pop("_sum", None)
    return folded
