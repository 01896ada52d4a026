"""Who may do what with notices, supervision and commendations."""

from units.models import Role
from units.permissions import can_see_unit, has_role


def can_edit_notice(user, notice) -> bool:
    """Return True if `user` may draft or edit a notice of its unit (its officials, before publication)."""
    return (
        notice.status != "published"
        and can_see_unit(user, notice.unit)
        and has_role(user, Role.UNIT_OFFICIAL, Role.CHAIR, Role.SUPERVISOR, unit=notice.unit)
    )


def can_approve_notice(user, notice) -> bool:
    """Return True if `user` may approve and publish a notice: the unit's chair or a supervisor above it."""
    return can_see_unit(user, notice.unit) and has_role(user, Role.CHAIR, Role.SUPERVISOR, unit=notice.unit)


def can_supervise(user, unit) -> bool:
    """Return True if `user` may record Front supervision findings on `unit`."""
    return can_see_unit(user, unit) and has_role(user, Role.FRONT_SUPERVISOR, unit=unit)


def can_record_commendation(user, unit) -> bool:
    """Return True if `user` may record a commendation decision for `unit` (a supervising official)."""
    return can_see_unit(user, unit) and has_role(user, Role.SUPERVISOR, unit=unit)
