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
