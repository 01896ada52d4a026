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


def can_correct_records(user, conference) -> bool:
    """Return True if `user` may correct a conference's conclusions and attachments: its unit's own
    officials or chair (never a supervisor above the unit). Whether they are still correctable
    (no notice published yet) is the service's check."""
    unit = conference.unit
    return can_see_unit(user, unit) and has_role(user, Role.UNIT_OFFICIAL, Role.CHAIR, unit=unit)


def can_correct_conclusion(user, item) -> bool:
    """Return True if `user` may edit or withdraw the conclusion item `item` (see `can_correct_records`)."""
    return can_correct_records(user, item.conference)


def can_remove_attachment(user, attachment) -> bool:
    """Return True if `user` may remove an attachment uploaded by mistake (see `can_correct_records`)."""
    return can_correct_records(user, attachment.conference)
