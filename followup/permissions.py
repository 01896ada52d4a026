"""Who may do what with notices, supervision and commendations: predicates over the one matrix
(`units.access`). Used by views, templates and the admin; the services ask `require` themselves."""

from units.access import allowed
from units.models import Role
from units.permissions import has_role


def can_draft_notice(user, conference) -> bool:
    """Return True if `user` may draft a follow-up notice for `conference` (its unit's officials and chair)."""
    return allowed(user, "notice.draft", conference.unit)


def can_edit_notice(user, notice) -> bool:
    """Return True if `user` may edit a notice of its unit: its officials and chair, while it is a draft
    (an approved notice must be returned to draft first)."""
    return notice.status == "draft" and allowed(user, "notice.edit", notice.unit)


def can_approve_notice(user, notice) -> bool:
    """Return True if `user` may approve, return and publish a notice: the unit's chair."""
    return allowed(user, "notice.approve", notice.unit)


def can_record_posting(user, notice) -> bool:
    """Return True if `user` may record where a published notice was posted (its unit's officials and chair)."""
    return notice.status == "published" and allowed(user, "notice.record_posting", notice.unit)


def can_supervise(user, unit) -> bool:
    """Return True if `user` may record supervision findings on `unit` (a supervisor or Front supervisor above it)."""
    return allowed(user, "supervision.record", unit)


def is_front_supervisor(user) -> bool:
    """Return True if `user` supervises for the Front somewhere (or is a superuser): their work views."""
    return has_role(user, Role.FRONT_SUPERVISOR)


def can_record_commendation(user, unit) -> bool:
    """Return True if `user` may record a commendation decision for `unit` (a supervising official above it)."""
    return allowed(user, "commendation.record", unit)


def is_supervising_official(user) -> bool:
    """Return True if `user` may record a commendation decision somewhere (or is a superuser)."""
    return allowed(user, "commendation.record")
