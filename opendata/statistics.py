"""The open-data statistics: per ward and year, the same figures as the reports (`reports.stats`), with small
cells suppressed.

A count from 1 to PORTAL_MIN_SAMPLE_SIZE − 1 is published as None ("fewer than 5"), so no one can be picked out
of a small group; a share is published only when both of its counts are. Zero is published: a ward that held no
conference must show it.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reports import stats
from units.models import AdministrativeUnit

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
COLUMNS = [
    "ward_code",
    "ward",
    "periodic_conferences_held",
    "adhoc_conferences_held",
    "opinions_raised",
    "answered_on_the_spot",
    "petitions_answered",
    "answered_on_time",
    "share_answered_on_time",
    "verdicts",
    "verdicts_resolved",
    "share_resolved",
]

HEADERS = [
    _("Ward code"),
    _("Ward or commune"),
    _("Periodic conferences held"),
    _("Ad-hoc conferences held"),
    _("Opinions raised"),
    _("Answered on the spot"),
    _("Petitions answered"),
    _("Answered on time"),
    _("Share answered on time"),
    _("Citizens' verdicts"),
    _("Said resolved"),
    _("Share said resolved"),
]


def suppressed(count: int) -> int | None:
    return None if 0 < count < settings.PORTAL_MIN_SAMPLE_SIZE else count


def _share(part: int | None, whole: int | None) -> float | None:
    return stats.share(part, whole) if part is not None and whole else None


def wards_of_year(year: int):
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        AdministrativeUnit.objects.communes()
        .filter(valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .order_by("name", "pk")
    )


def ward_figures(year: int) -> list[dict]:
    """Return one row per ward that existed in `year` (counted as they were), in COLUMNS' order."""
    scope = stats.Scope.for_unit_ids(None, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    held = stats.conferences_held(scope, by_unit=True)
    opinions = stats.opinions(scope, by_unit=True)
    on_time = stats.answered_on_time(scope, by_unit=True)
    verdicts = stats.satisfaction(scope, by_unit=True)
    rows = []
    for ward in wards_of_year(year):
        h, o = held.get(ward.pk, {}), opinions.get(ward.pk, {})
        t, v = on_time.get(ward.pk, {}), verdicts.get(ward.pk, {})
        answered, in_time = suppressed(t.get("answered", 0)), suppressed(t.get("on_time", 0))
        given, resolved = suppressed(v.get("verdicts", 0)), suppressed(v.get("resolved", 0))
        rows.append(
            {
                "ward_code": ward.code,
                "ward": ward.name,
                "periodic_conferences_held": suppressed(h.get("periodic", {}).get("total", 0)),
                "adhoc_conferences_held": suppressed(h.get("adhoc", {}).get("total", 0)),
                "opinions_raised": suppressed(o.get("raised", 0)),
                "answered_on_the_spot": suppressed(o.get("answered_on_spot", 0)),
                "petitions_answered": answered,
                "answered_on_time": in_time,
                "share_answered_on_time": _share(in_time, answered),
                "verdicts": given,
                "verdicts_resolved": resolved,
                "share_resolved": _share(resolved, given),
            }
        )
    return rows


def displayed(row: dict) -> list[str]:
    """Return a row as the page shows it: "<5" for a suppressed count, "—" for a share not published."""
    cells = []
    for column in COLUMNS:
        value = row[column]
        if column.startswith("share_"):
            cells.append("—" if value is None else f"{round(100 * value)} %")
        elif value is None:
            cells.append(f"<{settings.PORTAL_MIN_SAMPLE_SIZE}")
        else:
            cells.append(str(value))
    return cells


# The charts of the open-data page: each a few of COLUMNS, drawn per ward from the same rows as the table.
CHARTS = [
    (
        "conferences",
        _("Conferences held"),
        "count",
        [("periodic_conferences_held", _("Periodic")), ("adhoc_conferences_held", _("Ad-hoc"))],
    ),
    (
        "opinions",
        _("Opinions raised and answered on the spot"),
        "count",
        [("opinions_raised", _("Opinions raised")), ("answered_on_the_spot", _("Answered on the spot"))],
    ),
    (
        "answers",
        _("Petitions answered on time and said resolved (%)"),
        "percent",
        [("share_answered_on_time", _("Answered on time")), ("share_resolved", _("Said resolved"))],
    ),
]


def chart_data(rows: list[dict]) -> dict:
    """Return the charts' data for `rows` (from `ward_figures`): the same numbers, nothing new computed.

    A suppressed count and a share not published are None (no bar), never a number; `suppressed` marks
    them so the chart writes "<5" (a share: "—", as the table) where the bar would be, never a 0.
    """
    charts = []
    for key, title, unit, series in CHARTS:
        charts.append(
            {
                "id": key,
                "title": str(title),
                "unit": unit,
                "series": [
                    {
                        "label": str(label),
                        "values": [_chart_value(row[column], unit) for row in rows],
                        "suppressed": [row[column] is None for row in rows],
                    }
                    for column, label in series
                ],
            }
        )
    return {
        "labels": [row["ward"] for row in rows],
        "suppressed_text": f"<{settings.PORTAL_MIN_SAMPLE_SIZE}",
        "not_published_text": "—",  # as the table shows a share it does not publish
        "charts": charts,
    }


def _chart_value(value, unit: str):
    if value is None:
        return None
    return round(100 * value) if unit == "percent" else value
