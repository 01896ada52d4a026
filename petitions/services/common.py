"""What every petition service shares: the `petition_changed` signal, the deadlines counted from a day,
the status change with its audit row, the row lock and the tracking code."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from audit.transitions import check_transition
from petitions.codes import new_tracking_code
from petitions.models import (
    PETITION_TRANSITIONS,
    Petition,
    PetitionStatus,
)
from rules.book import value_on as rule_value_on
from rules.models import RuleKey
from rules.workdays import add_working_days
from units.models import AdministrativeUnit

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from django.contrib.auth.models import User

    from conferences.models import Conference


# Sent after a petition changed: sender=Petition, petition=, action=, by=. Receivers run inside
# the service's transaction; they must only write rows (an outbox), never call the network.
petition_changed = Signal()

CITIZEN = "citizen"


def _changed(petition: Petition, action: str, by: User | None = None, **extra: Any) -> None:
    petition_changed.send(sender=Petition, petition=petition, action=action, by=by, **extra)


def answer_due_date(*, unit: AdministrativeUnit, start: datetime.date) -> datetime.date:
    """Return the answer deadline for a petition of `unit` assigned on `start`, in working days."""
    return add_working_days(start, rule_value_on(RuleKey.ANSWER_WORKING_DAYS, start, unit.level))


def acknowledgement_due_date(*, unit: AdministrativeUnit, start: datetime.date) -> datetime.date:
    """Return the acknowledgement deadline for a petition of `unit` received on `start`."""
    return add_working_days(start, rule_value_on(RuleKey.ACKNOWLEDGEMENT_WORKING_DAYS, start, unit.level))


def _set_status(
    petition: Petition,
    status: str,
    *,
    by: User | None,
    ip: str | None = None,
    note: str = "",
    action: str | None = None,
    extra_fields: Iterable[str] = (),
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> Petition:
    check_transition(PETITION_TRANSITIONS, petition.status, status, what=_("The petition"), choices=PetitionStatus)
    previous = petition.status
    petition.status = status
    petition.save(update_fields=["status", "updated_at", *extra_fields])
    record_event(
        obj=petition,
        action=action or f"status:{status}",
        by=by,
        ip=ip,
        from_status=previous,
        to_status=status,
        note=note,
        data=data,
        actor_label=actor_label,
    )
    _changed(petition, action or status, by)
    return petition


def _locked(petition: Petition) -> Petition:
    return Petition.objects.select_related("unit").select_for_update().get(pk=petition.pk)


def _unique_code() -> str:
    for _attempt in range(10):
        code = new_tracking_code()
        if not Petition.objects.filter(tracking_code=code).exists():
            return code
    raise IntegrityError("could not draw a unique tracking code")


def _raised_at(conference: Conference) -> datetime.datetime:
    """Return when an opinion at `conference` was raised: the day it was held, at the time it started
    (actual, else planned), never later than now."""
    start = conference.actual_start or conference.planned_start
    at = timezone.make_aware(datetime.datetime.combine(conference.held_on, timezone.localtime(start).time()))  # type: ignore[arg-type]
    return min(at, timezone.now())
