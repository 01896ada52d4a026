"""Front supervision findings."""

from __future__ import annotations

from django.db.models import Count, Q

from followup.models import Finding, Supervision
from reports.stats.scope import Scope, _fold


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
