"""The compliance board and the commendation shortlist, drawn from `reports.stats`.

Lights
------
Each figure of a unit is coloured green / amber / red against the thresholds below, with the
numbers beside it:

* required periodic conferences vs held, for one unit — a rule check: green when held >=
  required, red otherwise; no colour when no rule is in force;
* required periodic conferences, for a scope of several units (the dashboard) — the units that
  met their obligation out of the units a rule applies to ("2/10 đơn vị"), never conferences added
  across units (6 held of 10 required can hide that only 2 units met theirs): green when every
  unit met it, amber at or above `SHARE_THRESHOLDS["periodic"][1]`, red below;
* shares (invitations on time, notices on time, answered on the spot, answered on time,
  citizens satisfied) — green at or above `SHARE_THRESHOLDS[figure][0]`, amber at or above
  `[1]`, red below; no colour when there is nothing to judge (an empty denominator).
  "Answered on time" is by the original deadline, whatever extensions followed.

Sample size
-----------
A unit (or the dashboard's scope) with fewer than `settings.PORTAL_MIN_SAMPLE_SIZE` *cases* —
conferences held plus petitions answered in the period — is marked "too few cases to judge": its
numbers are shown, none of its cells is coloured (the periodic conferences included) and it is
not ranked (FixMyStreet's rule).

Ranking
-------
Judged units are compared on the same indicators only: those every judged unit has a light for
(`ranking_indicators`). Each unit's score is its mean light on those (green 2, amber 1, red 0),
so a unit with fewer computable indicators cannot outrank one with more by leaving its weak
figures out. The board's legend names the indicators.

Commendation shortlist
----------------------
Judged units that held every required periodic conference (required >= 1, held >= required)
and answered at least `COMMENDATION_ON_TIME_SHARE` of their petitions on time (with at least
the minimum sample of answers), and — when at least the minimum sample of citizens gave a
verdict — whose share of "resolved" verdicts is at least `COMMENDATION_SATISFACTION_SHARE`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from petitions.models import ANSWERED_STATUSES
from reports import stats
from units.models import AdministrativeUnit, UnitLevel

GREEN, AMBER, RED = "green", "amber", "red"
LIGHT_SCORE = {GREEN: 2, AMBER: 1, RED: 0}

# figure: (green at or above, amber at or above)
SHARE_THRESHOLDS = {
    "periodic": (1.0, 0.7),  # for a scope: the share of units that met their obligation
    "invitations": (0.9, 0.7),
    "notices": (0.9, 0.7),
    "on_spot": (0.5, 0.25),
    "on_time": (0.9, 0.7),
    "satisfaction": (0.8, 0.6),
}
COMMENDATION_ON_TIME_SHARE = 0.9
COMMENDATION_SATISFACTION_SHARE = 0.8

FIGURE_LABELS = {
    "periodic": _("Periodic conferences held / required"),
    "periodic_units": _("Units that held every required periodic conference"),
    "invitations": _("Invitations sent on time"),
    "notices": _("Notices published on time"),
    "on_spot": _("Opinions answered on the spot"),
    "on_time": _("Petitions answered on time"),
    "satisfaction": _("Citizens satisfied"),
}


def url_or_none(name: str, *, args=(), **params) -> str | None:
    """Return the URL named `name` with query `params`, or None while that page does not exist yet."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def share_light(figure: str, value: float | None) -> str | None:
    """Return the light for a share, or None when there is nothing to judge."""
    if value is None:
        return None
    green, amber = SHARE_THRESHOLDS[figure]
    return GREEN if value >= green else AMBER if value >= amber else RED


def periodic_light(required: int | None, held: int) -> str | None:
    """Return the light of one unit's periodic conferences held against those required (a rule check).

    Green when held >= required, red when fewer were held; no colour when no rule is in force.
    """
    if required is None:
        return None
    return GREEN if held >= required else RED


def periodic_cell(periodic: dict, url: str | None = None, units_url: str | None = None) -> Cell:
    """Return the periodic conferences cell, for one unit or for a scope of several.

    One unit (`periodic_requirement`'s entry: required, held): held / required conferences. A
    scope (`periodic_requirement_total`: units, units_met): the units that met their obligation
    out of those a rule applies to, shown "2/10 đơn vị" — conferences are not added across units;
    its `units_url` is the compliance board, one row per unit with its own held / required.
    """
    label = FIGURE_LABELS["periodic"]
    if "units" in periodic:
        units, met = periodic["units"], periodic["units_met"]
        value = stats.share(met, units)
        return Cell(
            "periodic",
            FIGURE_LABELS["periodic_units"],
            value,
            met,
            units,
            share_light("periodic", value),
            units_url,
            counts_units=True,
        )
    return Cell(
        "periodic",
        label,
        None,
        periodic["held"],
        periodic["required"],
        periodic_light(periodic["required"], periodic["held"]),
        url,
    )


@dataclass
class Cell:
    """One figure of a unit (or of a scope) with the lists behind it.

    `url` lists the records of the figure's main count: the held conferences for "periodic"
    (the numerator; the denominator is a rule, not records), the denominator's records for a
    share. `numerator_url` lists the numerator's records of a share. Each list's row count is the
    number it links from, except that imported opinion counts (conferences imported with totals,
    not petitions) are in no list: `listed_numerator` / `listed_denominator` are the counts the
    lists show, and `imported` the part of the denominator that no list can show.
    """

    key: str
    label: str
    value: float | None  # the share (or held/required for periodic conferences)
    numerator: int
    denominator: int | None
    light: str | None
    url: str | None = None
    numerator_url: str | None = None
    imported: int = 0
    imported_numerator: int = 0
    counts_units: bool = False  # the periodic cell of a scope: units that met their obligation / units

    @property
    def listed_numerator(self) -> int:
        return self.numerator - self.imported_numerator

    @property
    def listed_denominator(self) -> int | None:
        return None if self.denominator is None else self.denominator - self.imported


@dataclass
class Row:
    unit: AdministrativeUnit | None
    cells: list[Cell]
    cases: int
    judged: bool
    rank: int | None = None
    figures: dict = field(default_factory=dict)

    @property
    def indicators(self) -> frozenset[str]:
        """Return the keys of the cells that carry a light."""
        return frozenset(c.key for c in self.cells if c.light)

    def score_on(self, keys) -> float | None:
        """Return the mean light (green 2, amber 1, red 0) over the cells `keys`, or None without any."""
        lights = [c.light for c in self.cells if c.key in keys and c.light]
        return sum(LIGHT_SCORE[x] for x in lights) / len(lights) if lights else None

    def cell(self, key: str) -> Cell:
        return next(c for c in self.cells if c.key == key)


def _day(value: datetime.date | None) -> str | None:
    return value and value.strftime("%d/%m/%Y")


def cells_for(
    figures: dict, *, unit_id=None, start=None, end=None, judged: bool = True, links: bool = True
) -> list[Cell]:
    """Return the coloured cells of one unit (or of a whole scope) from its figures.

    `judged=False` (too few cases) leaves every cell without colour, the periodic conferences
    included (see "Sample size"). `links=False` leaves every cell
    without links (records counted on today's units cannot be listed by one unit filter).
    Each link's list counts exactly what the figure counts (same scope, period and definition):
    see `Cell`, and each statistic's docstring in `reports.stats`.
    """
    periodic = figures["periodic_requirement"]
    inv, notices, opinions = figures["invitations"], figures["notices"], figures["opinions"]
    on_time, sat = figures["answered_on_time"], figures["satisfaction"]
    year = start.year if start else None

    def link(name, **params):
        return url_or_none(name, **params) if links else None

    # The conference list with `held=1` places conferences by the day they were held, as `held_conferences`.
    held_params = {"unit": unit_id, "held": 1, "date_from": _day(start), "date_to": _day(end)}
    records = {"unit": unit_id, "year": year}
    answered_params = {
        "unit": unit_id,
        "status": [str(s) for s in ANSWERED_STATUSES],
        "answered_from": _day(start),
        "answered_to": _day(end),
    }
    raised_params = {"unit": unit_id, "channel": "conference", "held_from": _day(start), "held_to": _day(end)}
    verdict_params = {"unit": unit_id, "verdict_from": _day(start), "verdict_to": _day(end)}
    cells = [
        periodic_cell(
            periodic,
            link("conferences:conference_list", kind="periodic", **held_params),
            link("reports:compliance", year=year, unit=unit_id),
        ),
        Cell(
            "invitations",
            FIGURE_LABELS["invitations"],
            inv["share"],
            inv["on_time"],
            inv["held"],
            share_light("invitations", inv["share"]),
            link("conferences:conference_list", **held_params),
            link("reports:records", list="invitations_on_time", **records),
        ),
        Cell(
            "notices",
            FIGURE_LABELS["notices"],
            notices["share"],
            notices["on_time"],
            notices["due"],
            share_light("notices", notices["share"]),
            link("reports:records", list="notices_due", **records),
            link("reports:records", list="notices_on_time", **records),
        ),
        Cell(
            "on_spot",
            FIGURE_LABELS["on_spot"],
            opinions["on_spot_share"],
            opinions["answered_on_spot"],
            opinions["raised"],
            share_light("on_spot", opinions["on_spot_share"]),
            link("petitions:inbox", **raised_params),
            link("petitions:inbox", answered_on_spot=1, **raised_params),
            imported=opinions.get("imported_raised", 0),
            imported_numerator=opinions.get("imported_on_spot", 0),
        ),
        Cell(
            "on_time",
            FIGURE_LABELS["on_time"],
            on_time["share"],
            on_time["on_time"],
            on_time["answered"],
            share_light("on_time", on_time["share"]),
            link("petitions:inbox", **answered_params),
            link("petitions:inbox", answered_on_time=1, **answered_params),
        ),
        Cell(
            "satisfaction",
            FIGURE_LABELS["satisfaction"],
            sat["share_resolved"],
            sat["resolved"],
            sat["verdicts"],
            share_light("satisfaction", sat["share_resolved"]),
            link("petitions:inbox", verdict="any", **verdict_params),
            link("petitions:inbox", verdict="resolved", **verdict_params),
        ),
    ]
    if not judged:
        for cell in cells:
            cell.light = None
    return cells


def cases_of(figures: dict) -> int:
    """Return the number of cases a unit is judged on: conferences held plus petitions answered."""
    return figures["conferences"]["total"] + figures["answered_on_time"]["answered"]


def board_units(scope: stats.Scope, *, today: datetime.date | None = None):
    """Return the communes and districts the board lists, in the order shown.

    As they were: the units of the scope that existed during the period. Mapped to today's
    units: today's units that the scope's records are counted on.
    """
    units = AdministrativeUnit.objects.filter(level__in=[UnitLevel.DISTRICT, UnitLevel.COMMUNE]).select_related(
        "parent"
    )
    if scope.mode == stats.TODAY:
        today = today or datetime.date.today()
        units = units.valid_on(today)
        if scope.unit_ids is not None:
            units = units.filter(pk__in={scope.attribute(u) for u in scope.unit_ids})
    else:
        units = units.filter(valid_from__lte=scope.end).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=scope.start))
        units = scope.filter(units, "pk")
    return units.order_by("-level", "parent__name", "name")


def per_unit_figures(scope: stats.Scope, *, today: datetime.date | None = None) -> dict[int, dict]:
    """Return the board's figures per unit (the same definitions as the report). A fixed number of queries."""
    sections = {
        "conferences": stats.conferences_held(scope, by_unit=True),
        "opinions": stats.opinions(scope, by_unit=True),
        "answered_on_time": stats.answered_on_time(scope, by_unit=True),
        "satisfaction": stats.satisfaction(scope, by_unit=True),
        "invitations": stats.invitations_on_time(scope, by_unit=True),
        "notices": stats.notices_on_time(scope, by_unit=True, today=today),
    }
    requirement = stats.periodic_requirement(scope)
    empty = empty_figures()
    unit_ids = set(requirement)
    for section in sections.values():
        unit_ids |= set(section)
    result = {}
    for unit_id in unit_ids:
        figures = {name: section.get(unit_id, empty[name]) for name, section in sections.items()}
        figures["periodic_requirement"] = requirement.get(unit_id, {"required": None, "held": 0, "met": None})
        result[unit_id] = figures
    return result


def board(scope: stats.Scope, *, today: datetime.date | None = None, min_sample: int | None = None) -> list[Row]:
    """Return the compliance board's rows: one per unit, judged ones ranked first."""
    min_sample = settings.PORTAL_MIN_SAMPLE_SIZE if min_sample is None else min_sample
    figures = per_unit_figures(scope, today=today)
    rows = []
    for unit in board_units(scope, today=today):
        unit_figures = figures.get(unit.pk) or empty_figures()
        cases = cases_of(unit_figures)
        judged = cases >= min_sample
        cells = cells_for(
            unit_figures,
            unit_id=unit.pk,
            start=scope.start,
            end=scope.end,
            judged=judged,
            links=scope.mode == stats.AS_WAS,
        )
        rows.append(Row(unit=unit, cells=cells, cases=cases, judged=judged, figures=unit_figures))
    # Only units above the minimum sample are ranked (FixMyStreet's rule), on the same indicators.
    keys = ranking_indicators(rows)
    scored = [(r, r.score_on(keys)) for r in rows if r.judged]
    ranked = sorted(((r, score) for r, score in scored if score is not None), key=lambda pair: -pair[1])
    for position, (row, _score) in enumerate(ranked, start=1):
        row.rank = position
    unranked = [r for r in rows if r.rank is None]
    return [r for r, _score in ranked] + unranked


def ranking_indicators(rows: list[Row]) -> list[str]:
    """Return the keys of the indicators the board ranks on: those every judged row has a light for.

    In `FIGURE_LABELS` order. Empty when no unit is judged or when the judged units share no
    indicator (then nobody is ranked).
    """
    judged = [r.indicators for r in rows if r.judged]
    if not judged:
        return []
    common = frozenset.intersection(*judged)
    return [key for key in FIGURE_LABELS if key in common]


def empty_figures() -> dict:
    """Figures of a unit with no records at all."""
    return {
        "conferences": {"periodic": {"total": 0, "by_level": {}}, "adhoc": {"total": 0, "by_level": {}}, "total": 0},
        "opinions": {
            "raised": 0,
            "answered_on_spot": 0,
            "on_spot_share": None,
            "imported_raised": 0,
            "imported_on_spot": 0,
        },
        "answered_on_time": {
            "answered": 0,
            "on_time": 0,
            "share": None,
            "within_extension": 0,
            "share_within_extension": None,
            "extended": 0,
        },
        "satisfaction": {"verdicts": 0, "resolved": 0, "share_resolved": None, "rated": 0, "mean_rating": None},
        "invitations": {"held": 0, "on_time": 0, "share": None},
        "notices": {"held": 0, "due": 0, "published": 0, "on_time": 0, "without_notice": 0, "share": None},
        "periodic_requirement": {"required": None, "held": 0, "met": None},
    }


def shortlist(rows: list[Row], *, min_sample: int | None = None) -> list[Row]:
    """Return the units that qualify for commendation (see the module's docstring)."""
    min_sample = settings.PORTAL_MIN_SAMPLE_SIZE if min_sample is None else min_sample
    chosen = []
    for row in rows:
        f = row.figures
        periodic, on_time, sat = f["periodic_requirement"], f["answered_on_time"], f["satisfaction"]
        if not row.judged or not periodic["required"] or periodic["held"] < periodic["required"]:
            continue
        if on_time["answered"] < min_sample or (on_time["share"] or 0) < COMMENDATION_ON_TIME_SHARE:
            continue
        if sat["verdicts"] >= min_sample and (sat["share_resolved"] or 0) < COMMENDATION_SATISFACTION_SHARE:
            continue
        chosen.append(row)
    return chosen
