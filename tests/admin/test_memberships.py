"""Memberships saved in the admin give (and take) the role's Django group."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.admin.formdata import change_form_data
from units.models import ROLE_GROUPS, Membership, Role


def _groups(user):
    return set(user.groups.values_list("name", flat=True))


@pytest.mark.django_db
def test_membership_added_changed_and_deleted_in_the_admin_follows_the_group(client, superuser, admin_world):
    user = admin_world.stranger
    client.force_login(superuser)
    add_url = reverse("admin:units_membership_add")
    data = change_form_data(client.get(add_url))
    data.update({"user": str(user.pk), "unit": str(admin_world.ward_a.pk), "role": Role.CHAIR, "is_active": "on"})
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    membership = Membership.objects.get(user=user)
    assert ROLE_GROUPS[Role.CHAIR] in _groups(user)
    assert AuditEvent.objects.for_object(user).filter(action="role_granted", actor=superuser).exists()

    change_url = reverse("admin:units_membership_change", args=[membership.pk])
    data = change_form_data(client.get(change_url), role=Role.FRONT_SUPERVISOR)
    assert client.post(change_url, data).status_code == 302
    assert ROLE_GROUPS[Role.FRONT_SUPERVISOR] in _groups(user)
    assert ROLE_GROUPS[Role.CHAIR] not in _groups(user)

    delete_url = reverse("admin:units_membership_delete", args=[membership.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(user=user).exists()
    assert not (_groups(user) & set(ROLE_GROUPS.values()))
    assert AuditEvent.objects.for_object(user).filter(action="role_revoked").exists()


@pytest.mark.django_db
def test_membership_added_in_the_user_page_gives_the_group(client, superuser, admin_world):
    user = admin_world.stranger
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = change_form_data(client.get(url))
    data.update(
        {
            "memberships-TOTAL_FORMS": str(int(data["memberships-TOTAL_FORMS"]) + 1),
            "memberships-0-unit": str(admin_world.ward_a.pk),
            "memberships-0-role": Role.UNIT_OFFICIAL,
            "memberships-0-is_active": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ROLE_GROUPS[Role.UNIT_OFFICIAL] in _groups(user)
