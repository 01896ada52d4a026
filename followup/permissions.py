"""Who may do what with notices, supervision and commendations. Plain predicates, used by views and templates."""

from units.models import Role
from units.permissions import can_see_unit, has_role

NOTICE_WRITERS = (Role.UNIT_OFFICIAL, Role.CHAIR, Role.SUPERVISOR)


def can_draft_notice(user, conference) -> bool:
    """Return True if `user` may draft a follow-up notice for `conference` (its unit's officials)."""
    return can_see_unit(user, conference.unit) and has_role(user, *NOTICE_WRITERS, unit=conference.unit)


def can_edit_notice(user, notice) -> bool:
    """Return True if `user` may edit a notice of its unit: its officials, while it is a draft
    (an approved notice must be returned to draft first)."""
    return (
        notice.status == "draft"
        and can_see_unit(user, notice.unit)
        and has_role(user, *NOTICE_WRITERS, unit=notice.unit)
    )


def can_approve_notice(user, notice) -> bool:
    """Return True if `user` may approve, return and publish a notice: the unit's chair or a supervisor above it."""
    return can_see_unit(user, notice.unit) and has_role(user, Role.CHAIR, Role.SUPERVISOR, unit=notice.unit)


def can_record_posting(user, notice) -> bool:
    """Return True if `user` may record where a published notice was posted (its unit's officials)."""
    return (
        notice.status == "published"
        and can_see_unit(user, notice.unit)
        and has_role(user, *NOTICE_WRITERS, unit=notice.unit)
    )


def can_supervise(user, unit) -> bool:
    """Return True if `user` may record Front supervision findings on `unit`."""
    return can_see_unit(user, unit) and has_role(user, Role.FRONT_SUPERVISOR, unit=unit)


def is_front_supervisor(user) -> bool:
    """Return True if `user` supervises for the Front somewhere (or is a superuser)."""
    return has_role(user, Role.FRONT_SUPERVISOR)


def can_record_commendation(user, unit) -> bool:
    """Return True if `user` may record a commendation decision for `unit` (a supervising official)."""
    return can_see_unit(user, unit) and has_role(user, Role.SUPERVISOR, unit=unit)


def is_supervising_official(user) -> bool:
    """Return True if `user` is a supervising official somewhere (or is a superuser)."""
    return has_role(user, Role.SUPERVISOR)


def can_draft_correction(user, notice) -> bool:
    """Return True if `user` may start a corrected version of the unit's published notices (those who
    draft its notices); the new version is approved and published like any notice. Whether this
    notice can still be corrected (published, not replaced yet) is the service's check."""
    return can_see_unit(user, notice.unit) and has_role(user, *NOTICE_WRITERS, unit=notice.unit)
