"""Who may do what with a petition. Plain predicates used by views, templates and services."""

from units.models import Role
from units.permissions import can_see_unit, has_role, roles_of


def _handles(user, petition) -> bool:
    if not petition.handling_org_id or not getattr(user, "is_authenticated", False):
        return False
    orgs = getattr(user, "_handling_orgs_cache", None)
    if orgs is None:
        orgs = set(
            user.memberships.filter(is_active=True, organisation__isnull=False).values_list(
                "organisation_id", flat=True
            )
        )
        user._handling_orgs_cache = orgs
    return petition.handling_org_id in orgs


def can_view_petition(user, petition) -> bool:
    """Return True if `user` may open `petition` in the officials' portal."""
    return can_see_unit(user, petition.unit) or _handles(user, petition)


def _supervises_directly(user, unit) -> bool:
    """Return True if `user` is a supervising official of `unit` itself (not of a unit above it)."""
    roles_of(user)  # fills the per-request cache of (role, unit_id, path)
    unit_id = getattr(unit, "pk", unit)
    return any(role == Role.SUPERVISOR and uid == unit_id for role, uid, _path in getattr(user, "_roles_cache", ()))


def can_manage_petition(user, petition) -> bool:
    """Return True if `user` may accept, reject, assign, extend, resolve or reopen `petition`.

    Its unit's officials and chair may; a supervising official only for petitions addressed to
    their own unit — one above a ward reads the ward's petitions but does not handle them.
    """
    if not can_see_unit(user, petition.unit):
        return False
    if has_role(user, Role.UNIT_OFFICIAL, Role.CHAIR, unit=petition.unit):
        return True
    return _supervises_directly(user, petition.unit)


def can_answer(user, petition) -> bool:
    """Return True if `user` may answer `petition`: its unit's officials or the assigned handling unit's officers."""
    return can_manage_petition(user, petition) or _handles(user, petition)


def can_see_contacts(user, petition) -> bool:
    """Return True if `user` may see the petitioner's name and contacts: only those who handle it."""
    if getattr(user, "is_superuser", False):
        return True
    return (
        can_see_unit(user, petition.unit)
        and has_role(user, Role.UNIT_OFFICIAL, Role.CHAIR, unit=petition.unit)
        or _handles(user, petition)
    )


def can_transfer_open_petitions(user, old_unit, new_unit=None) -> bool:
    """Return True if `user` may move `old_unit`'s open petitions to a successor (`new_unit`, when given).

    An administrator, or a supervising official whose own scope holds the old unit (and the new
    one): the transfer is decided above the wards. The successor's officials read the old unit's
    petitions (`units.permissions.readable_unit_ids`) but do not take them over themselves.
    """
    if getattr(user, "is_superuser", False):
        return True
    if not can_see_unit(user, old_unit) or not has_role(user, Role.SUPERVISOR, unit=old_unit):
        return False
    return new_unit is None or (can_see_unit(user, new_unit) and has_role(user, Role.SUPERVISOR, unit=new_unit))
