"""units.services: a role's group follows the user's memberships, with history."""

import pytest
from django.contrib.auth.models import Group

from audit.models import AuditEvent
from units import services
from units.models import ROLE_GROUPS, Membership, Role


def _groups(user):
    return set(user.groups.values_list("name", flat=True))


@pytest.mark.django_db
def test_grant_role_adds_the_roles_group_and_history(world):
    user = world.stranger
    membership = services.grant_role(user=user, unit=world.ward_a, role=Role.CHAIR, by=world.sam, title="Chủ tịch")
    assert membership.role == Role.CHAIR and membership.unit == world.ward_a
    assert ROLE_GROUPS[Role.CHAIR] in _groups(user)
    event = AuditEvent.objects.for_object(user).get(action="role_granted")
    assert event.actor == world.sam and event.data["role"] == Role.CHAIR
    # Idempotent.
    services.grant_role(user=user, unit=world.ward_a, role=Role.CHAIR, by=world.sam, title="Chủ tịch")
    assert Membership.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.for_object(user).filter(action="role_granted").count() == 1


@pytest.mark.django_db
def test_revoke_role_keeps_a_group_another_membership_backs(world):
    user = world.stranger
    a = services.grant_role(user=user, unit=world.ward_a, role=Role.UNIT_OFFICIAL, by=world.sam)
    b = services.grant_role(user=user, unit=world.ward_b, role=Role.UNIT_OFFICIAL, by=world.sam)
    Group.objects.get_or_create(name="Biên tập viên")[0].user_set.add(user)  # not a role group: left alone
    services.revoke_role(membership=a, by=world.sam)
    assert ROLE_GROUPS[Role.UNIT_OFFICIAL] in _groups(user)
    services.revoke_role(membership=b, by=world.sam)
    assert _groups(user) == {"Biên tập viên"}
    assert AuditEvent.objects.for_object(user).filter(action="role_revoked").count() == 2


@pytest.mark.django_db
def test_an_ended_membership_no_longer_gives_the_group(world):
    user = world.stranger
    membership = services.grant_role(user=user, unit=world.ward_a, role=Role.HANDLING_OFFICER, by=world.sam)
    membership.is_active = False
    services.update_role(membership=membership, by=world.sam, changed=["is_active"])
    assert ROLE_GROUPS[Role.HANDLING_OFFICER] not in _groups(user)
    services.grant_role(user=user, unit=world.ward_a, role=Role.HANDLING_OFFICER, by=world.sam)  # reactivates
    assert Membership.objects.get(pk=membership.pk).is_active
    assert ROLE_GROUPS[Role.HANDLING_OFFICER] in _groups(user)
