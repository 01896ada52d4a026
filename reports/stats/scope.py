"""Which records a figure counts and on which unit each is counted: `Scope`, folding grouped rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.utils import timezone

from units.models import AdministrativeUnit, UnitLevel
from units.succession import today_units_map

AS_WAS = "as_was"
TODAY = "today"
MODES = (AS_WAS, TODAY)


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
