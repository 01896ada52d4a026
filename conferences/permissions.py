"""Who may do what with plans and conferences. Plain predicates, used by views, templates and services."""

from units.models import Role
from units.permissions import can_see_unit, has_role


def can_view_unit_records(user, unit) -> bool:
    """Return True if `user` may see the plans and conferences of `unit`."""
    return can_see_unit(user, unit)


def can_manage_conferences(user, unit) -> bool:
    """Return True if `user` may schedule, announce and record conferences of `unit`."""
    return can_see_unit(user, unit) and has_role(user, Role.UNIT_OFFICIAL, Role.CHAIR, Role.SUPERVISOR, unit=unit)


def can_edit_plan(user, plan) -> bool:
    """Return True if `user` may edit `plan` (its unit's officials, while it is a draft)."""
    return plan.status == "draft" and can_manage_conferences(user, plan.unit)


def can_approve_plan(user, plan) -> bool:
    """Return True if `user` may approve `plan`: the unit's chair or a supervising official above it."""
    return can_see_unit(user, plan.unit) and has_role(user, Role.CHAIR, Role.SUPERVISOR, unit=plan.unit)


def can_approve_minutes(user, conference) -> bool:
    """Return True if `user` may approve or lock a conference's minutes (the chair or a supervisor)."""
    return can_see_unit(user, conference.unit) and has_role(user, Role.CHAIR, Role.SUPERVISOR, unit=conference.unit)


def can_correct_conclusion(user, item) -> bool:
    """Return True if `user` may edit or withdraw a conclusion item: its unit's own officials or chair
    (never a supervisor above the unit). Whether it is still correctable is the service's check."""
    unit = item.conference.unit
    return can_see_unit(user, unit) and has_role(user, Role.UNIT_OFFICIAL, Role.CHAIR, unit=unit)


def can_remove_attachment(user, attachment) -> bool:
    """Return True if `user` may remove a conference's attachment uploaded by mistake: its unit's own
    officials or chair."""
    unit = attachment.conference.unit
    return can_see_unit(user, unit) and has_role(user, Role.UNIT_OFFICIAL, Role.CHAIR, unit=unit)
