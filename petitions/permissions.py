"""Who may do what with a petition: predicates over the one matrix (`units.access`).

Used by views, templates and the admin; the services ask `units.access.require` themselves.
"""

from units.access import allowed


def can_manage_petition(user, petition) -> bool:
    """Return True if `user` may accept, reject, assign, extend, resolve or reopen `petition`:
    its unit's officials and chair (those above the unit read it, they do not handle it)."""
    return allowed(user, "petition.accept", obj=petition)


def can_answer(user, petition) -> bool:
    """Return True if `user` may answer `petition`: its unit's officials and chair, or the officers
    of the handling unit it is assigned to."""
    return allowed(user, "petition.answer", obj=petition)


def can_see_contacts(user, petition) -> bool:
    """Return True if `user` may see the petitioner's name and contacts: only those who handle it."""
    return allowed(user, "petition.view_contacts", obj=petition)


def can_transfer_open_petitions(user, old_unit, new_unit=None) -> bool:
    """Return True if `user` may move `old_unit`'s open petitions to a successor (`new_unit`, when given).

    An administrator, or a supervising official above the old unit (and the new one): the transfer
    is decided above the wards. The successor's officials read the old unit's petitions
    (`units.permissions.readable_unit_ids`) but do not take them over themselves.
    """
    if not allowed(user, "petition.transfer_unit", old_unit):
        return False
    return new_unit is None or allowed(user, "petition.transfer_unit", new_unit)
