"""Who may do what with plans and conferences: predicates over the one matrix (`units.access`).

Used by views, templates and the admin; the services ask `units.access.require` themselves.
"""

from units.access import allowed


def can_manage_conferences(user, unit) -> bool:
    """Return True if `user` may schedule, announce and record conferences of `unit` (its officials and chair)."""
    return allowed(user, "conference.edit", unit)


def can_edit_plan(user, plan) -> bool:
    """Return True if `user` may edit `plan` (its unit's officials and chair, while it is a draft)."""
    return plan.status == "draft" and allowed(user, "plan.edit", plan.unit)


def can_approve_plan(user, plan) -> bool:
    """Return True if `user` may approve `plan` or return it to draft: the unit's chair."""
    return allowed(user, "plan.approve", plan.unit)


def can_approve_minutes(user, conference) -> bool:
    """Return True if `user` may approve or lock a conference's minutes: the unit's chair."""
    return allowed(user, "minutes.approve", conference.unit)
