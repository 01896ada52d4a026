"""After a reform: an abolished unit's open petitions moved to a successor, each with its history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from audit.transitions import TransitionNotAllowed
from petitions.models import (
    OPEN_STATUSES,
    Petition,
)
from units.access import require
from units.models import AdministrativeUnit

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _with_validity(unit: AdministrativeUnit) -> str:
    """Return "Phường Xuân Đỉnh (27/12/2013–30/06/2025)": old and new units often share a name."""
    end = unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else ""
    return f"{unit} ({unit.valid_from:%d/%m/%Y}–{end})"


@transaction.atomic
def transfer_open_petitions(
    *, old_unit: AdministrativeUnit, new_unit: AdministrativeUnit, by: User, ip: str | None = None
) -> int:
    """Move the open petitions of a unit to one of its successors, with history. Return how many moved.

    Who may: a supervising official over both units, or an administrator
    (`can_transfer_open_petitions`); anyone else is refused with ActionNotAllowed (a PermissionDenied) — a successor's
    own officials read the old unit's petitions but do not take them over themselves. `new_unit`
    must succeed `old_unit` (a `UnitSuccession` row), else TransitionNotAllowed and nothing moves.
    Each petition moved gets a `unit_transferred` audit event, shown on its timeline. Answered,
    resolved and rejected petitions stay with the old unit: they are its history. Running it
    twice moves nothing the second time.
    """
    require(by, "petition.transfer_unit", old_unit)  # the matrix: a supervising official above both
    require(by, "petition.transfer_unit", new_unit)
    if not old_unit.successor_units().filter(pk=new_unit.pk).exists():
        raise TransitionNotAllowed(
            _("%(new)s did not succeed %(old)s: open petitions move only to a successor unit.")
            % {"new": new_unit, "old": old_unit}
        )
    moved = 0
    for petition in Petition.objects.select_for_update().filter(unit=old_unit, status__in=OPEN_STATUSES):
        petition.unit = new_unit
        petition.save(update_fields=["unit", "updated_at"])
        record_event(
            obj=petition,
            action="unit_transferred",
            by=by,
            ip=ip,
            data={"from_unit": old_unit.pk, "to_unit": new_unit.pk},
            note=f"{_with_validity(old_unit)} → {_with_validity(new_unit)}",
        )
        moved += 1
    return moved
