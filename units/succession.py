"""Succession: which of today's units carries the history of a unit that no longer exists.

Reports mapped to today's units (`reports.stats.TODAY`) count a record of an abolished unit on
the unit `today_units_map` gives it.
"""

import datetime

from django.utils import timezone

from units.models import AdministrativeUnit, SuccessionKind, UnitSuccession


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
