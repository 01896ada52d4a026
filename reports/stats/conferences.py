"""Conference figures: held, not held, opinions raised and answered on the spot."""

from __future__ import annotations

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Sum, Value, When

from conferences.models import (
    HELD_STATUSES,
    Conference,
    ConferenceKind,
    ConferencePostponement,
    ConferenceStatus,
)
from petitions.models import (
    Channel,
    Petition,
    answered_on_spot_q,
)
from reports.stats.scope import LEVELS, Scope, _fold, share

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


def postponed_out_q(scope: Scope) -> Q:
    """Return the condition "postponed out of the period" on conferences (annotated nothing, one EXISTS).

    A postponement (`ConferencePostponement`) moved it from a planned start in the period to one
    outside it, or to no date yet.
    """
    moves = ConferencePostponement.objects.filter(
        conference=OuterRef("pk"), from_start__gte=scope.start_dt, from_start__lt=scope.end_dt
    ).filter(Q(to_start__isnull=True) | Q(to_start__lt=scope.start_dt) | Q(to_start__gte=scope.end_dt))
    return Q(Exists(moves))


def conferences_not_held(scope: Scope, *, by_unit: bool = False) -> dict:
    """Conferences not held in the period, planned in it, by kind.

    Each conference counts once, in one group:

    * "postponed" — postponed out of the period (`postponed_out_q`: planned in the period, moved
      by a postponement to a date outside it, or to none yet) and not planned in the period now,
      nor held in it; or in status postponed, planned in the period and still without a new date.
      So a conference planned in Q3 and postponed into Q4 counts as postponed in Q3 — and as held in
      Q4 if it was held there; two successive postponements Q3 → Q4 → Q1 count in Q3 and in Q4;
    * "planned" — planned or announced, planned to start in the period (not yet held), or postponed
      to a new date in the period;
    * "cancelled" — cancelled, planned to start in the period.

    A conference held in the period is never counted here. Shape: `{"periodic": {"planned",
    "postponed", "cancelled"}, "adhoc": {...}}`.
    """
    in_period = Q(planned_start__gte=scope.start_dt, planned_start__lt=scope.end_dt)
    last_move_to = ConferencePostponement.objects.filter(conference=OuterRef("pk")).order_by("-postponed_at", "-pk")
    qs = scope.filter(
        Conference.objects.filter(
            (Q(status__in=list(NOT_HELD_GROUPS)) & in_period) | (postponed_out_q(scope) & ~in_period & ~held_q(scope))
        )
    ).annotate(last_move_to=Subquery(last_move_to.values("to_start")[:1]))
    group = Case(
        When(~in_period, then=Value("postponed")),
        When(status=ConferenceStatus.CANCELLED, then=Value("cancelled")),
        When(status=ConferenceStatus.POSTPONED, last_move_to__isnull=True, then=Value("postponed")),
        default=Value("planned"),
        output_field=CharField(),
    )
    rows = qs.values("unit_id", "kind", group=group).annotate(n=Count("id")).order_by()

    def build():
        return {k: {"planned": 0, "postponed": 0, "cancelled": 0} for k in ("periodic", "adhoc")}

    def add(result, row):
        kind = "periodic" if row["kind"] == ConferenceKind.PERIODIC else "adhoc"
        result[kind][row["group"]] += row["n"]

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
