"""Who sees which units.

A person's scope is the set of units they may see: their own unit for most roles, and the
whole subtree (past and present units) for supervising officials and Front supervisors.
Superusers see everything. Every `visible_to(user)` queryset in the project starts here.
"""

from units.models import SUBTREE_ROLES, AdministrativeUnit, Membership, Role


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
