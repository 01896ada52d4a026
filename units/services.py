"""People's roles in units: a membership (which records) and its role's Django group (which kinds of records).

Every grant, change and revocation goes through here, so that the group always follows the
memberships and the history (on the user) says who gave or took the role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.db import transaction

from audit.services import record_event
from units.models import ROLE_GROUPS, Membership

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import User

    from units.models import AdministrativeUnit, Organisation


def sync_user_groups(user: User) -> None:
    """Give `user` the group of each role they hold in an active membership, and take away the role
    groups no active membership backs any more (other groups are left alone)."""
    wanted = {
        ROLE_GROUPS[role]
        for role in Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True)
        if role in ROLE_GROUPS
    }
    role_groups = {g.name: g for g in Group.objects.filter(name__in=ROLE_GROUPS.values())}
    missing = [name for name in wanted if name not in role_groups]
    for name in missing:
        role_groups[name] = Group.objects.create(name=name)
    current = set(user.groups.filter(name__in=ROLE_GROUPS.values()).values_list("name", flat=True))
    if wanted - current:
        user.groups.add(*[role_groups[name] for name in wanted - current])
    if current - wanted:
        user.groups.remove(*[role_groups[name] for name in current - wanted])


def _data(membership: Membership) -> dict:
    return {
        "membership": membership.pk,
        "unit": membership.unit_id,
        "role": membership.role,
        "organisation": membership.organisation_id,
        "is_active": membership.is_active,
    }


@transaction.atomic
def grant_role(
    *,
    user: User,
    unit: AdministrativeUnit,
    role: str,
    by: User,
    organisation: Organisation | None = None,
    title: str = "",
    ip: str | None = None,
) -> Membership:
    """Give `user` `role` in `unit` (reactivating an ended membership) and the role's group. Idempotent."""
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"organisation": organisation, "title": title}
    )
    if not created:
        changed = []
        for name, value in (("organisation", organisation), ("title", title or membership.title), ("is_active", True)):
            if getattr(membership, name) != value:
                setattr(membership, name, value)
                changed.append(name)
        if changed:
            membership.save(update_fields=changed)
        elif user.groups.filter(name=ROLE_GROUPS.get(role)).exists():
            return membership  # nothing to do
    sync_user_groups(user)
    record_event(obj=user, action="role_granted", by=by, ip=ip, note=str(membership), data=_data(membership))
    return membership


@transaction.atomic
def update_role(*, membership: Membership, by: User, ip: str | None = None, changed: Iterable[str] = ()) -> Membership:
    """Record a membership changed in place (role, unit, organisation, active) and resynchronise the groups."""
    membership.save()
    sync_user_groups(membership.user)
    record_event(
        obj=membership.user,
        action="role_changed",
        by=by,
        ip=ip,
        note=str(membership),
        data={**_data(membership), "fields": list(changed)},
    )
    return membership


@transaction.atomic
def revoke_role(*, membership: Membership, by: User, ip: str | None = None) -> None:
    """Remove a membership; the user keeps the role's group only if another active membership backs it."""
    user, data, label = membership.user, _data(membership), str(membership)
    membership.delete()
    sync_user_groups(user)
    record_event(obj=user, action="role_revoked", by=by, ip=ip, note=label, data=data)
