"""Required periodic conferences vs held, by the rule in force per year and level."""

from __future__ import annotations

import datetime
import math

from django.db.models import Count, Q

from conferences.models import (
    ConferenceKind,
)
from reports.stats.conferences import held_conferences
from reports.stats.scope import Scope
from rules.book import RuleBook
from rules.models import RuleKey
from units.models import AdministrativeUnit, UnitLevel

# --- Required periodic conferences -----------------------------------------------------------------


def _years(start: datetime.date, end: datetime.date):
    for year in range(start.year, end.year + 1):
        yield year, max(start, datetime.date(year, 1, 1)), min(end, datetime.date(year, 12, 31))


def required_for(unit_row: dict, start: datetime.date, end: datetime.date, rules: RuleBook) -> int | None:
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
        value = rules.in_force(RuleKey.MIN_PERIODIC_CONFERENCES, hi, unit_row["level"])
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
    rules = RuleBook(RuleKey.MIN_PERIODIC_CONFERENCES)
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
        required = required_for(row, scope.start, scope.end, rules)
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

    units / required / units_met: over the units that owed at least one conference in the period
    (a rule applies and `required` >= 1 — a unit whose share of the year rounds to 0 owed none, so
    it neither met nor missed an obligation). The dashboard shows units_met / units ("2/10 đơn
    vị"), never held / required added across units. held: every periodic
    conference held in the scope and period (`conferences_held(scope)["periodic"]["total"]`,
    the conference list with `kind=periodic&held=1` and the period's dates), whether or not a
    rule applies to its unit.
    """
    per_unit = periodic_requirement(scope)
    judged = [e for e in per_unit.values() if e["required"]]
    return {
        "units": len(judged),
        "required": sum(e["required"] for e in judged),
        "held": sum(e["held"] for e in per_unit.values()),
        "units_met": sum(1 for e in judged if e["met"]),
    }
