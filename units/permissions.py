"""Who sees which units.

A person's scope is the set of units they may see: their own unit for most roles, and the
whole subtree (past and present units) for supervising officials and Front supervisors.
Superusers see everything.

Two scopes come out of it:

- the *own* scope (`unit_ids_in_scope`, `can_see_unit`): the units whose records the person
  keeps. Every write predicate starts from it.
- the *read* scope (`readable_unit_ids`, `can_read_unit`): the own scope plus the units those
  units succeeded after a reform (`UnitSuccession`, whole or part, transitively). Every
  `visible_to(user)` queryset starts from it, so the new Xuân Đỉnh's officials read the 2024
  records of the old wards it took over, while no predicate lets them change those records
  (`is_predecessor_record` tells the templates to mark them read-only).
"""

from units.models import SUBTREE_ROLES, AdministrativeUnit, Membership, Role, UnitSuccession


def unit_ids_in_scope(user) -> frozenset[int] | None:
    """Return the ids of the units `user` may see, or None when the user may see all of them.

    The result is cached on the user object for the length of the request.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.is_superuser:
        return None
    cached = getattr(user, "_unit_scope_cache", None)
    if cached is not None:
        return cached
    ids: set[int] = set()
    subtree_paths = []
    for unit_id, role, path in (
        Membership.objects.active().filter(user=user).values_list("unit_id", "role", "unit__path")
    ):
        ids.add(unit_id)
        if role in SUBTREE_ROLES:
            subtree_paths.append(path)
    for path in subtree_paths:
        ids.update(AdministrativeUnit.objects.filter(path__startswith=path).values_list("pk", flat=True))
    result = frozenset(ids)
    user._unit_scope_cache = result
    return result


def predecessor_ids(unit_ids) -> frozenset[int]:
    """Return the ids of every unit that `unit_ids` succeeded, whole or part, transitively.

    A unit that succeeded a unit which had itself succeeded others sees the whole chain. The
    ids in `unit_ids` are left out unless one of them also succeeded another of them. One
    query over the succession table, which stays small (a few hundred rows after a reform).
    """
    wanted = set(unit_ids)
    if not wanted:
        return frozenset()
    by_successor: dict[int, set[int]] = {}
    for predecessor_id, successor_id in UnitSuccession.objects.values_list("predecessor_id", "successor_id"):
        by_successor.setdefault(successor_id, set()).add(predecessor_id)
    found: set[int] = set()
    frontier = wanted
    while frontier:
        step = {p for s in frontier for p in by_successor.get(s, ())} - found
        found |= step
        frontier = step
    return frozenset(found)


def readable_unit_ids(user) -> frozenset[int] | None:
    """Return the ids of the units whose records `user` may read, or None for all of them.

    The own scope (`unit_ids_in_scope`) plus the predecessors of its units: the officials of a
    successor unit follow up what the units it took over left open. Reading only — every write
    predicate keeps the own scope, so nothing of a predecessor can be changed from here.

    A predecessor's petitioner contacts stay hidden (`petitions.permissions.can_see_contacts`
    asks the own scope): the successor's officials read the petition to follow it up, but the
    contacts were given to the old unit, and they pass to the successor only when a supervisor
    transfers the open petition to it (`transfer_open_petitions`), which makes it its own.

    The result is cached on the user object for the length of the request.
    """
    own = unit_ids_in_scope(user)
    if own is None:
        return None
    cached = getattr(user, "_readable_scope_cache", None)
    if cached is not None:
        return cached
    result = own | predecessor_ids(own) if own else own
    if getattr(user, "is_authenticated", False):
        user._readable_scope_cache = result
    return result


def can_read_unit(user, unit) -> bool:
    """Return True if `user` may read the records of `unit` (their own scope or its predecessors)."""
    scope = readable_unit_ids(user)
    return scope is None or getattr(unit, "pk", unit) in scope


def is_predecessor_record(user, unit) -> bool:
    """Return True if `user` reads the records of `unit` only as a successor's (not their own: read-only)."""
    return can_read_unit(user, unit) and not can_see_unit(user, unit)


def memberships_of(user) -> list[tuple[str, int, str]]:
    """Return the active (role, unit id, unit path) of `user`, cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_roles_cache", None)
    if cache is None:
        cache = list(Membership.objects.active().filter(user=user).values_list("role", "unit_id", "unit__path"))
        user._roles_cache = cache
    return cache


def handling_org_ids(user) -> frozenset[int]:
    """Return the ids of the handling organisations whose petitions `user` handles (as a handling officer).

    The one query behind "assigned to their organisation": the petitions' querysets, the
    predicates, the admin and the dashboard all use it. Cached on the user for the request.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_handling_org_ids_cache", None)
    if cached is None:
        cached = frozenset(
            Membership.objects.active()
            .filter(user=user, role=Role.HANDLING_OFFICER, organisation__isnull=False)
            .values_list("organisation_id", flat=True)
        )
        user._handling_org_ids_cache = cached
    return cached


def roles_of(user, unit=None) -> set[str]:
    """Return the roles `user` holds (in `unit`, when given; subtree roles count below their unit)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = memberships_of(user)
    if unit is None:
        return {role for role, _u, _p in cache}
    unit_path = unit.path if hasattr(unit, "path") else AdministrativeUnit.objects.get(pk=unit).path
    found = set()
    for role, unit_id, path in cache:
        if unit_id == getattr(unit, "pk", unit) or (role in SUBTREE_ROLES and unit_path.startswith(path)):
            found.add(role)
    return found


def can_see_unit(user, unit) -> bool:
    """Return True if `user` may see the records of `unit`."""
    scope = unit_ids_in_scope(user)
    return scope is None or getattr(unit, "pk", unit) in scope


def has_role(user, *roles: Role, unit=None) -> bool:
    """Return True if `user` is a superuser or holds one of `roles` (in `unit`, when given)."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(roles_of(user, unit) & set(roles))
