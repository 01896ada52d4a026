"""One documented definition per figure, used by the report, the dashboard and the compliance board.

Every figure is a function of a `Scope` — which units, which period, and whether records are
counted on their units *as they were* or *mapped to today's units* — and runs aggregate SQL
(`Count`/`Sum` with `filter=Q(...)`, `GROUP BY`). No function loads records into Python: the
rows that come back are groups (one per unit, status, category, day…), so the cost stays
bounded at a million petitions. Pages and reports must never count records any other way; if a
page needs a new figure, add it here with its definition.

Scope and attribution
---------------------
* **As they were** (`AS_WAS`): a record is counted on the unit it carries (the unit as it was on
  the record's date). A scope rooted at a unit covers that unit and every unit below it, past
  and present (`AdministrativeUnit.path` startswith the root's path).
* **Mapped to today's units** (`TODAY`): a record of a unit that no longer exists is counted on
  the unit that took over its history: its *primary* successor (`UnitSuccession.is_primary`);
  when no successor is marked primary, the successor of the whole area, else the first successor
  recorded; the chain is followed until a unit that exists today. A unit abolished without any
  successor (a district in 2025) keeps its own records. The scope then covers the records of the
  root's subtree *and* every record whose today's unit lies in the root's subtree, so a report
  of the new Thượng Cát ward includes the history of Liên Mạc.

Periods are closed ranges of days, `start <= day <= end`, in the portal's time zone.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from conferences.models import (
    HELD_STATUSES,
    Conference,
    ConferenceKind,
    ConferenceStatus,
    DialoguePlan,
    MinutesStatus,
    PlanItem,
    PlanStatus,
)
from followup.models import Finding, FollowUpNotice, NoticeStatus, Supervision
from petitions.models import (
    ANSWERED_ON_TIME as ON_TIME,
)
from petitions.models import (
    ANSWERED_STATUSES,
    DUE_SOON_WORKING_DAYS,
    OPEN_STATUSES,
    Channel,
    Petition,
    PetitionKind,
    PetitionStatus,
    Verdict,
    answered_on_spot_q,
)
from rules.models import HolidayKind, Rule, RuleKey
from units.models import AdministrativeUnit, SuccessionKind, UnitLevel, UnitSuccession

AS_WAS = "as_was"
TODAY = "today"
MODES = (AS_WAS, TODAY)

# Dashboard: conferences "coming up" within this many calendar days.
UPCOMING_DAYS = 30


# --- Scope -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which records a figure counts, and on which unit each is counted.

    `unit_ids` are the ids of the units whose records count (None: every unit). `attribution`
    maps a record's unit id to the unit it is counted on (missing ids count on themselves).
    Build one with `Scope.for_unit(...)` or `Scope.for_unit_ids(...)`.
    """

    start: datetime.date
    end: datetime.date
    mode: str = AS_WAS
    unit_ids: frozenset[int] | None = None
    attribution: Mapping[int, int] = field(default_factory=dict)

    @classmethod
    def for_unit(cls, unit, start, end, mode: str = AS_WAS, *, today: datetime.date | None = None) -> Scope:
        """Return the scope of `unit` and everything below it for the period."""
        subtree = set(AdministrativeUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
        return cls._build(subtree, start, end, mode, today)

    @classmethod
    def for_unit_ids(cls, unit_ids: Iterable[int] | None, start, end, mode: str = AS_WAS, *, today=None) -> Scope:
        """Return the scope of an explicit set of units (a person's scope; None means every unit)."""
        if unit_ids is None:
            if mode == TODAY:
                return cls(start=start, end=end, mode=mode, unit_ids=None, attribution=today_units_map(today))
            return cls(start=start, end=end, mode=mode, unit_ids=None)
        return cls._build(set(unit_ids), start, end, mode, today)

    @classmethod
    def _build(cls, ids: set[int], start, end, mode, today) -> Scope:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        if _covers_every_unit(ids):
            # A city-wide scope: every record is in it, so the figures are the same without the
            # `unit_id IN (<every unit>)` filter, and without it PostgreSQL reads the dashboard's
            # indexes straight through (and Django does not build a 700-item list per query).
            return cls.for_unit_ids(None, start, end, mode, today=today)
        if mode == AS_WAS:
            return cls(start=start, end=end, mode=mode, unit_ids=frozenset(ids))
        mapping = today_units_map(today)
        counted = set(ids) | {old for old, new in mapping.items() if new in ids}
        return cls(start=start, end=end, mode=mode, unit_ids=frozenset(counted), attribution=mapping)

    def attribute(self, unit_id: int) -> int:
        """Return the id of the unit a record of `unit_id` is counted on."""
        return self.attribution.get(unit_id, unit_id)

    def filter(self, qs, unit_field: str = "unit_id"):
        """Restrict `qs` to the records of the scope's units."""
        if self.unit_ids is None:
            return qs
        return qs.filter(**{f"{unit_field}__in": self.unit_ids})

    @property
    def start_dt(self) -> datetime.datetime:
        return _day_start(self.start)

    @property
    def end_dt(self) -> datetime.datetime:
        """The first instant after the period (exclusive bound)."""
        return _day_start(self.end + datetime.timedelta(days=1))


def _covers_every_unit(ids: set[int]) -> bool:
    """Return True when `ids` holds every unit there is (one query; two when it may)."""
    if not ids or len(ids) < AdministrativeUnit.objects.count():
        return False
    return set(AdministrativeUnit.objects.values_list("pk", flat=True)) <= set(ids)


def day_start(day: datetime.date) -> datetime.datetime:
    """Return the first instant of `day` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


_day_start = day_start


def today_units_map(today: datetime.date | None = None) -> dict[int, int]:
    """Return {unit id: id of the unit it is counted on today} for every unit that no longer exists.

    Follows primary successors (else the whole-area successor, else the first one recorded) until
    a unit that exists on `today`. Units abolished without a successor are left out (they keep
    their records). Two queries, whatever the number of records; units are few (~750).
    """
    today = today or timezone.localdate()
    gone = dict(
        AdministrativeUnit.objects.filter(valid_to__lt=today).values_list("pk", "valid_to"),
    )
    if not gone:
        return {}
    best: dict[int, tuple] = {}
    for pred, succ, is_primary, kind, effective_on, pk in UnitSuccession.objects.filter(
        predecessor_id__in=gone
    ).values_list("predecessor_id", "successor_id", "is_primary", "kind", "effective_on", "pk"):
        rank = (not is_primary, kind != SuccessionKind.WHOLE, effective_on, pk)
        if pred not in best or rank < best[pred][0]:
            best[pred] = (rank, succ)
    mapping = {}
    for unit_id in gone:
        current, seen = unit_id, {unit_id}
        while current in best:
            current = best[current][1]
            if current in seen or current not in gone:
                break
            seen.add(current)
        if current != unit_id:
            mapping[unit_id] = current
    return mapping


# --- Folding grouped rows --------------------------------------------------------------------------


def _fold(scope: Scope, rows: Iterable[dict], by_unit: bool, build: Callable[[], dict], add) -> dict:
    """Fold grouped rows into one result, or one per attributed unit (`{unit id: result}`)."""
    if not by_unit:
        result = build()
        for row in rows:
            add(result, row)
        return result
    results: dict[int, dict] = defaultdict(build)
    for row in rows:
        add(results[scope.attribute(row["unit_id"])], row)
    return dict(results)


def share(part: int, whole: int) -> float | None:
    """Return part/whole rounded to 4 places, or None when there is nothing to divide."""
    return round(part / whole, 4) if whole else None


LEVELS = [UnitLevel.CITY.value, UnitLevel.DISTRICT.value, UnitLevel.COMMUNE.value]


# --- Conferences -----------------------------------------------------------------------------------


def held_q(scope: Scope, prefix: str = "") -> Q:
    """Return the condition "held in the period": status in `HELD_STATUSES` and start <= held_on <= end.

    `prefix` reaches the conference from another model (e.g. "conference__" from a petition).
    """
    return Q(
        **{
            f"{prefix}status__in": HELD_STATUSES,
            f"{prefix}held_on__gte": scope.start,
            f"{prefix}held_on__lte": scope.end,
        }
    )


def held_conferences(scope: Scope):
    """Return the queryset of conferences held in the scope and period.

    A conference counts once it was held: its status is held, concluded or closed
    (`HELD_STATUSES`), and it is placed in time by `held_on`, start <= held_on <= end.
    """
    return scope.filter(Conference.objects.filter(held_q(scope)))


def conferences_held(scope: Scope, *, by_unit: bool = False) -> dict:
    """Conferences held, by kind (periodic / ad-hoc) and by level.

    Held as in `held_conferences`. A conference's level is the level of the unit that organised
    it, as recorded on the conference (a district-level conference stays district-level when
    mapped to today's units). Shape: `{"periodic": {"total", "by_level": {level: n}}, "adhoc":
    {...}, "total"}`.
    """
    rows = held_conferences(scope).values("unit_id", "kind", "unit__level").annotate(n=Count("id")).order_by()

    def build():
        return {
            "periodic": {"total": 0, "by_level": dict.fromkeys(LEVELS, 0)},
            "adhoc": {"total": 0, "by_level": dict.fromkeys(LEVELS, 0)},
            "total": 0,
        }

    def add(result, row):
        kind = "periodic" if row["kind"] == ConferenceKind.PERIODIC else "adhoc"
        result[kind]["total"] += row["n"]
        result[kind]["by_level"][row["unit__level"]] = result[kind]["by_level"].get(row["unit__level"], 0) + row["n"]
        result["total"] += row["n"]

    return _fold(scope, rows, by_unit, build, add)


NOT_HELD_GROUPS = {
    ConferenceStatus.PLANNED: "planned",
    ConferenceStatus.ANNOUNCED: "planned",
    ConferenceStatus.POSTPONED: "postponed",
    ConferenceStatus.CANCELLED: "cancelled",
}


def conferences_not_held(scope: Scope, *, by_unit: bool = False) -> dict:
    """Conferences not held, whose planned start falls in the period, by kind.

    "planned" = status planned or announced (not yet held); "postponed"; "cancelled". A
    conference that was held is never counted here. Shape: `{"periodic": {"planned",
    "postponed", "cancelled"}, "adhoc": {...}}`.
    """
    qs = scope.filter(
        Conference.objects.filter(
            status__in=list(NOT_HELD_GROUPS), planned_start__gte=scope.start_dt, planned_start__lt=scope.end_dt
        )
    )
    rows = qs.values("unit_id", "kind", "status").annotate(n=Count("id")).order_by()

    def build():
        return {k: {"planned": 0, "postponed": 0, "cancelled": 0} for k in ("periodic", "adhoc")}

    def add(result, row):
        kind = "periodic" if row["kind"] == ConferenceKind.PERIODIC else "adhoc"
        result[kind][NOT_HELD_GROUPS[row["status"]]] += row["n"]

    return _fold(scope, rows, by_unit, build, add)


def opinions(scope: Scope, *, by_unit: bool = False) -> dict:
    """Opinions raised at the conferences held in the period, and those answered on the spot.

    raised = petitions recorded at those conferences (channel "at a conference") + the recorded
    counts of imported conferences (`opinions_raised_count`, used only for conferences whose
    opinions were not entered one by one). answered_on_spot = those petitions whose status is
    "answered at the conference" or that have an answer given on the spot (their status may
    have moved on since, e.g. to resolved) + the imported `answered_on_spot_count`.
    `on_spot_share` = answered_on_spot / raised. Counted on the conference's unit.
    `imported_raised` / `imported_on_spot` are the imported parts of raised / answered_on_spot:
    the recorded petitions behind the figure are raised − imported_raised (the inbox with
    `channel=conference&held_from=…&held_to=…`), and answered_on_spot − imported_on_spot of them
    were answered on the spot (the same with `answered_on_spot=1`).
    """
    held = held_conferences(scope)
    imported = held.values("unit_id").annotate(
        raised=Sum("opinions_raised_count", default=0), on_spot=Sum("answered_on_spot_count", default=0)
    )
    # A join, not `conference__in=<subquery>`: PostgreSQL then reads only the petitions of the
    # conferences held in the period (0.3 s instead of 2 s at a million petitions).
    raised_here = Petition.objects.filter(held_q(scope, "conference__"), channel=Channel.CONFERENCE)
    recorded = (
        scope.filter(raised_here, "conference__unit_id")
        .values("conference__unit_id")
        .annotate(
            raised=Count("id"),
            on_spot=Count("id", filter=answered_on_spot_q()),
        )
        .order_by()
    )
    recorded = [{**row, "unit_id": row["conference__unit_id"]} for row in recorded]
    imported = [{**row, "imported": True} for row in imported.order_by()]

    def build():
        return {"raised": 0, "answered_on_spot": 0, "on_spot_share": None, "imported_raised": 0, "imported_on_spot": 0}

    def add(result, row):
        result["raised"] += row["raised"] or 0
        result["answered_on_spot"] += row["on_spot"] or 0
        if row.get("imported"):
            result["imported_raised"] += row["raised"] or 0
            result["imported_on_spot"] += row["on_spot"] or 0
        result["on_spot_share"] = share(result["answered_on_spot"], result["raised"])

    return _fold(scope, [*imported, *recorded], by_unit, build, add)


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

    On time = `answered_on <= due_on`, where `due_on` is the deadline in force after any
    extension granted with a reason. An answer given on the spot at a conference has no deadline
    (`due_on` empty) and is on time. Shape: `{"answered", "on_time", "share"}`.
    """
    rows = (
        answered_petitions(scope)
        .values("unit_id")
        .annotate(answered=Count("id"), on_time=Count("id", filter=ON_TIME))
        .order_by()
    )

    def build():
        return {"answered": 0, "on_time": 0, "share": None}

    def add(result, row):
        result["answered"] += row["answered"]
        result["on_time"] += row["on_time"]
        result["share"] = share(result["on_time"], result["answered"])

    return _fold(scope, rows, by_unit, build, add)


def _working_day_index(first: datetime.date, last: datetime.date) -> dict[datetime.date, int]:
    """Return {day: number of working days in (first, day]} for first <= day <= last (one query)."""
    from rules.models import Holiday

    rows = Holiday.objects.filter(date__gte=first, date__lte=last).values_list("date", "kind")
    off = {d for d, k in rows if k in (HolidayKind.HOLIDAY, HolidayKind.DAY_OFF)}
    worked = {d for d, k in rows if k == HolidayKind.WORKING_DAY}
    index, count, day = {first: 0}, 0, first
    while day < last:
        day += datetime.timedelta(days=1)
        if day in worked or (day.weekday() < 5 and day not in off):
            count += 1
        index[day] = count
    return index


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
    index = _working_day_index(min(days), max(days))
    span = sum(index[d] * n for d, n in answered) - sum(index[d] * n for d, n in received)
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


# --- Rules in force, as SQL ------------------------------------------------------------------------


def _rule_segments(key: str) -> list[tuple[str, datetime.date, datetime.date | None, int]]:
    """Return the rules of `key` as (level, valid_from, valid_to, value), in `Rule.value_on`'s precedence.

    A rule for a level wins over one for every level; among those, the latest start wins.
    """
    rules = list(Rule.objects.filter(key=key).values_list("level", "valid_from", "valid_to", "value"))
    rules.sort(key=lambda r: (r[0] == "", -r[1].toordinal()))
    return rules


def _rule_value(segments, day: datetime.date, level: str) -> int | None:
    """Return the value in force on `day` for `level` from preloaded segments (as `Rule.value_on`)."""
    for rule_level, valid_from, valid_to, value in segments:
        if rule_level in ("", level) and valid_from <= day and (valid_to is None or day <= valid_to):
            return value
    return None


def _in_force(level_field: str, date_field: str, rule_level: str, valid_from, valid_to) -> Q:
    q = Q(**{f"{date_field}__gte": valid_from})
    if valid_to:
        q &= Q(**{f"{date_field}__lte": valid_to})
    if rule_level:
        q &= Q(**{level_field: rule_level})
    return q


def _first_matching_rule(segments, level_field: str, date_field: str, test: Callable[[int], Q]) -> Q:
    """Return a condition true when the rule in force for the row (by level and date) satisfies `test(value)`.

    Rules are few, so the condition is a small OR of (this rule is the one in force) AND test.
    """
    condition, shadowed = None, None
    for rule_level, valid_from, valid_to, value in segments:
        applies = _in_force(level_field, date_field, rule_level, valid_from, valid_to)
        branch = applies & test(value) if shadowed is None else applies & ~shadowed & test(value)
        condition = branch if condition is None else condition | branch
        shadowed = applies if shadowed is None else shadowed | applies
    return condition if condition is not None else Q(pk__in=[])


def _invitations(scope: Scope):
    """Return (conferences held in the period annotated for the check, condition "invitation on time")."""
    segments = _rule_segments(RuleKey.INVITATION_LEAD_DAYS)
    tz = timezone.get_current_timezone()
    qs = held_conferences(scope).annotate(planned_day=TruncDate("planned_start", tzinfo=tz))
    qs = qs.annotate(lead=ExpressionWrapper(F("planned_day") - F("invitation_sent_on"), output_field=DurationField()))
    on_time = Q(invitation_sent_on__isnull=False) & _first_matching_rule(
        segments, "unit__level", "planned_day", lambda days: Q(lead__gte=datetime.timedelta(days=days))
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
    segments = _rule_segments(RuleKey.NOTICE_DEADLINE_DAYS)
    overdue_now = _first_matching_rule(
        segments,
        "unit__level",
        "held_on",
        lambda days: Q(held_on__lt=today - datetime.timedelta(days=days)),
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


def supervision_findings(scope: Scope, *, by_unit: bool = False) -> dict:
    """Front supervision findings recorded in the period (`created_at`), met and not met.

    Counted on the supervised unit. Shape: `{"total", "met", "not_met"}`.
    """
    qs = scope.filter(Supervision.objects.filter(created_at__gte=scope.start_dt, created_at__lt=scope.end_dt))
    rows = (
        qs.values("unit_id")
        .annotate(
            total=Count("id"),
            met=Count("id", filter=Q(finding=Finding.MET)),
            not_met=Count("id", filter=Q(finding=Finding.NOT_MET)),
        )
        .order_by()
    )

    def build():
        return {"total": 0, "met": 0, "not_met": 0}

    def add(result, row):
        for key in ("total", "met", "not_met"):
            result[key] += row[key]

    return _fold(scope, rows, by_unit, build, add)


# --- Required periodic conferences -----------------------------------------------------------------


def _years(start: datetime.date, end: datetime.date):
    for year in range(start.year, end.year + 1):
        yield year, max(start, datetime.date(year, 1, 1)), min(end, datetime.date(year, 12, 31))


def required_for(unit_row: dict, start: datetime.date, end: datetime.date, segments) -> int | None:
    """Return how many periodic conferences a unit had to hold in [start, end] (None: no rule applies).

    For each calendar year the period touches: the rule "minimum periodic conferences per year"
    in force on the last day the unit existed in that part of the year, for the unit's level,
    times the share of the year's days the unit existed within the period. The sum is rounded
    half up. So a whole year requires the rule's value, a five-year range about five times it,
    and a ward that existed only the first half of 2025 half of it (rounded: 1 × 181/365 → 0).
    """
    total, any_rule = 0.0, False
    for year, y_start, y_end in _years(start, end):
        lo = max(y_start, unit_row["valid_from"])
        hi = min(y_end, unit_row["valid_to"] or y_end)
        if lo > hi:
            continue
        value = _rule_value(segments, hi, unit_row["level"])
        if value is None:
            continue
        any_rule = True
        days_in_year = (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1
        total += value * ((hi - lo).days + 1) / days_in_year
    return math.floor(total + 0.5) if any_rule else None


def periodic_requirement(scope: Scope) -> dict[int, dict]:
    """Required periodic conferences vs held, per unit, for communes and districts in scope.

    required: see `required_for` (per unit as it was; mapped to today's units, a unit's
    requirement is the sum of those of the units whose records it carries). held: periodic
    conferences held in the period (as `conferences_held`). met = held >= required. Returns
    `{unit id: {"required", "held", "met"}}` keyed by the unit the records are counted on.
    """
    segments = _rule_segments(RuleKey.MIN_PERIODIC_CONFERENCES)
    units = AdministrativeUnit.objects.filter(level__in=[UnitLevel.DISTRICT, UnitLevel.COMMUNE])
    units = units.filter(valid_from__lte=scope.end).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=scope.start))
    units = scope.filter(units, "pk")
    held = dict(
        held_conferences(scope)
        .filter(kind=ConferenceKind.PERIODIC)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict] = {}
    for row in units.values("pk", "level", "valid_from", "valid_to"):
        target = scope.attribute(row["pk"])
        entry = result.setdefault(target, {"required": None, "held": 0, "met": None})
        required = required_for(row, scope.start, scope.end, segments)
        if required is not None:
            entry["required"] = (entry["required"] or 0) + required
        entry["held"] += held.pop(row["pk"], 0)
    for unit_id, n in held.items():  # held by units outside the listed levels/period: still attributed
        entry = result.setdefault(scope.attribute(unit_id), {"required": None, "held": 0, "met": None})
        entry["held"] += n
    for entry in result.values():
        entry["met"] = None if entry["required"] is None else entry["held"] >= entry["required"]
    return result


def periodic_requirement_total(scope: Scope) -> dict:
    """Sum of `periodic_requirement` over the scope: `{"units", "required", "held", "units_met"}`.

    units / required / units_met: over the units a rule applies to. held: every periodic
    conference held in the scope and period (`conferences_held(scope)["periodic"]["total"]`,
    the conference list with `kind=periodic&held=1` and the period's dates), whether or not a
    rule applies to its unit.
    """
    per_unit = periodic_requirement(scope)
    judged = [e for e in per_unit.values() if e["required"] is not None]
    return {
        "units": len(judged),
        "required": sum(e["required"] for e in judged),
        "held": sum(e["held"] for e in per_unit.values()),
        "units_met": sum(1 for e in judged if e["met"]),
    }


# --- Dashboard: the work in hand today -------------------------------------------------------------


def due_soon_until(today: datetime.date) -> datetime.date:
    """Return the last day of the "due soon" window: `DUE_SOON_WORKING_DAYS` working days after today."""
    from rules.workdays import add_working_days

    return add_working_days(today, DUE_SOON_WORKING_DAYS)


def petition_workload(petitions, *, user, today: datetime.date) -> dict:
    """The petitions in hand, from a queryset already scoped to the person (`Petition.objects.visible_to(user)`).

    new = status submitted (awaiting acceptance); due_soon = open and due between today and
    `due_soon_until(today)` inclusive; overdue = open and due before today (an extension moves
    the due date, so an extended petition is not overdue); mine = open and assigned to `user`;
    open = every open petition. Open = `OPEN_STATUSES`. One query.
    """
    # Every figure is about open petitions (submitted is open): reading only those keeps the
    # query on the (status, due_on) index instead of the whole table.
    return (
        petitions.filter(status__in=OPEN_STATUSES)
        .order_by()
        .aggregate(
            new=Count("id", filter=Q(status=PetitionStatus.SUBMITTED)),
            due_soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=due_soon_until(today))),
            overdue=Count("id", filter=Q(due_on__lt=today)),
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
            overdue=Count("id", filter=Q(due_on__lt=today)),
        )
    )


# --- Everything for a period -----------------------------------------------------------------------


def summary(scope: Scope, *, today: datetime.date | None = None) -> dict:
    """Return every period figure for the scope, keyed by section. The report and the pages read this."""
    return {
        "conferences": conferences_held(scope),
        "conferences_not_held": conferences_not_held(scope),
        "opinions": opinions(scope),
        "petitions": petitions_received(scope),
        "answered_on_time": answered_on_time(scope),
        "days_to_answer": average_days_to_answer(scope),
        "satisfaction": satisfaction(scope),
        "invitations": invitations_on_time(scope),
        "notices": notices_on_time(scope, today=today),
        "supervision": supervision_findings(scope),
        "periodic_requirement": periodic_requirement_total(scope),
    }
