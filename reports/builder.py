"""Build one report's data from `reports.stats`: one dict, from which every format is written.

The dict is plain JSON (numbers, strings, lists, dicts). Its shape, beyond what issue 5 fixes
(`unit`, `period`, `conferences.periodic/adhoc.{total, by_level}`, `petitions.{total,
by_status, by_category, answered_on_time_share}`), adds a section per figure, the compliance
table per unit and the commendation shortlist. Figures are aggregates: building a report reads
groups, never the records themselves, so its cost does not grow with the number of petitions
beyond the database's aggregate scans.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable

from django.utils import timezone

from reports import compliance, stats
from units.forms import unit_label
from units.models import AdministrativeUnit

SCHEMA_VERSION = 1
# Reports are Vietnamese documents: their time stamps are Vietnam's time (UTC+7), whatever the server's zone.
REPORT_TIME_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def unit_for_code(code: str, start: datetime.date, end: datetime.date) -> AdministrativeUnit:
    """Return the unit that bore `code` on `end`, or, when none did, on `start` (codes are reused)."""
    try:
        return AdministrativeUnit.objects.with_code_on(code, end)
    except AdministrativeUnit.DoesNotExist:
        return AdministrativeUnit.objects.with_code_on(code, start)


def _unit_dict(unit) -> dict:
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "display_name": unit_label(unit),
        "level": unit.level,
        "kind": unit.kind,
        "valid_from": unit.valid_from.isoformat(),
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
    }


def _cells_dict(row: compliance.Row) -> dict:
    return {
        cell.key: {
            "value": cell.value,
            "numerator": cell.numerator,
            "denominator": cell.denominator,
            "light": cell.light,
        }
        for cell in row.cells
    }


def is_provisional(end: datetime.date, on: datetime.date) -> bool:
    """Return True if a report of a period ending on `end`, counted on `on`, is provisional: the period
    has not ended yet, so its figures will still change."""
    return end >= on


def build_report_data(
    *,
    unit,
    start: datetime.date,
    end: datetime.date,
    as_of_today_units: bool = False,
    today: datetime.date | None = None,
    progress: Callable[[int], object] | None = None,
) -> dict:
    """Return the report of `unit` (and everything below it) for [start, end] as one dict.

    `progress(percent)` is called as sections are done. Read-only; safe to call again.
    """
    today = today or timezone.localdate()
    step = progress or (lambda _p: None)
    mode = stats.TODAY if as_of_today_units else stats.AS_WAS
    scope = stats.Scope.for_unit(unit, start, end, mode, today=today)
    step(5)
    held = stats.conferences_held(scope)
    not_held = stats.conferences_not_held(scope)
    step(15)
    opinions = stats.opinions(scope)
    petitions = stats.petitions_received(scope)
    step(35)
    on_time = stats.answered_on_time(scope)
    extensions = stats.deadline_extensions(scope)
    days = stats.average_days_to_answer(scope)
    satisfaction = stats.satisfaction(scope)
    step(55)
    invitations = stats.invitations_on_time(scope)
    notices = stats.notices_on_time(scope, today=today)
    supervision = stats.supervision_findings(scope)
    requirement = stats.periodic_requirement_total(scope)
    step(70)
    rows = compliance.board(scope, today=today)
    chosen = {row.unit.pk for row in compliance.shortlist(rows)}
    step(85)
    compliance_rows = [
        {
            "unit": {"id": row.unit.pk, "code": row.unit.code, "name": str(row.unit), "level": row.unit.level},
            "cases": row.cases,
            "judged": row.judged,
            "rank": row.rank,
            "periodic": row.figures["periodic_requirement"],
            "cells": _cells_dict(row),
        }
        for row in rows
    ]
    return {
        "schema": SCHEMA_VERSION,
        "unit": _unit_dict(unit),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "provisional": is_provisional(end, today),
        "mode": mode,
        "generated_at": timezone.localtime(timezone.now(), REPORT_TIME_ZONE).isoformat(timespec="seconds"),
        "conferences": {
            "periodic": held["periodic"],
            "adhoc": held["adhoc"],
            "total": held["total"],
            "not_held": not_held,
        },
        "opinions": opinions,
        "petitions": {
            **petitions,
            "answered": on_time["answered"],
            "answered_on_time": on_time["on_time"],
            "answered_on_time_share": on_time["share"],
            # "On time" above is by the original deadline; beside it, by the deadline after extensions.
            "answered_within_extension": on_time["within_extension"],
            "answered_within_extension_share": on_time["share_within_extension"],
            "answered_after_extension": on_time["extended"],
            "average_working_days_to_answer": days["average_working_days"],
        },
        "extensions": extensions,
        "satisfaction": satisfaction,
        "invitations": invitations,
        "notices": notices,
        "supervision": supervision,
        "periodic_requirement": requirement,
        "compliance": compliance_rows,
        "ranked_on": compliance.ranking_indicators(rows),
        "commendation_shortlist": [r for r in compliance_rows if r["unit"]["id"] in chosen],
    }
