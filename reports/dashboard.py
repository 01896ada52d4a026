"""The figures of an official's dashboard: the work in hand and this year's compliance lights.

A read service: every figure comes from `reports.stats` (the one definition of each statistic) on
the person's scope, in a fixed number of queries whatever the data size.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from petitions.models import Petition
from reports import compliance, stats
from units.models import Role
from units.permissions import handling_org_ids, roles_of, unit_ids_in_scope


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def dashboard_figures(user, *, today: datetime.date | None = None, now=None) -> dict:
    """Return every figure of the person's dashboard (a fixed number of queries, whatever the data size).

    Period figures are for the calendar year of `today`, on the person's scope, counted on units
    as they were — the same definitions as the report of that scope and year.
    """
    today = today or timezone.localdate()
    start, end = year_bounds(today.year)
    scope = stats.Scope.for_unit_ids(unit_ids_in_scope(user), start, end)
    figures = {
        "conferences": stats.conferences_held(scope),
        "opinions": stats.opinions(scope),
        "answered_on_time": stats.answered_on_time(scope),
        "extensions": stats.deadline_extensions(scope),
        "satisfaction": stats.satisfaction(scope),
        "invitations": stats.invitations_on_time(scope),
        "notices": stats.notices_on_time(scope, today=today),
        "periodic_requirement": stats.periodic_requirement_total(scope),
    }
    # Below the minimum sample the share lights are shown without colour, as on the compliance board.
    judged = compliance.cases_of(figures) >= settings.PORTAL_MIN_SAMPLE_SIZE
    petitions = _visible_petitions(user, scope)
    roles = roles_of(user)
    is_superuser = getattr(user, "is_superuser", False)
    chair = stats.awaiting_approval(scope) if Role.CHAIR in roles else None
    handling = None
    if Role.HANDLING_OFFICER in roles and not is_superuser:
        org_ids = handling_org_ids(user)
        handling = stats.handling_unit_workload(petitions, org_ids=org_ids, today=today)
    return {
        "today": today,
        "year": today.year,
        "scope": scope,
        "workload": stats.petition_workload(petitions, user=user, today=today),
        "chair": chair,
        "handling": handling,
        "agenda": stats.conference_agenda(scope, now=now),
        "plans": stats.plan_progress(scope, year=today.year),
        "figures": figures,
        "lights": compliance.cells_for(figures, start=start, end=end, judged=judged),
        "judged": judged,
        "min_sample": settings.PORTAL_MIN_SAMPLE_SIZE,
    }


def _visible_petitions(user, scope: stats.Scope):
    """Return the petitions `user` may see; every petition when their scope covers every unit.

    The same rows as `Petition.objects.visible_to(user)` (a petition always has a unit, so a
    city-wide scope sees all of them), without a filter listing every unit: the workload count
    then reads its open-petitions index straight through.
    """
    if scope.unit_ids is None:
        return Petition.objects.all()
    return Petition.objects.visible_to(user)
