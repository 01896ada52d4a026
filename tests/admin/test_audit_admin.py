"""The audit log in the admin: superusers only, readable actions."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.admin import action_label
from audit.services import record_event


def test_action_labels_are_readable():
    assert action_label("status:announced") == "Status → Announced"
    assert action_label("status:in_progress") == "Status → In progress"
    assert action_label("minutes:approved") == "Minutes → Approved"
    assert action_label("conclusion_added") == "Conclusion added"


@pytest.mark.django_db
def test_only_superusers_see_the_audit_log(client, superuser, staff_alice, admin_world):
    record_event(obj=admin_world.a.conference, action="status:announced", by=superuser)
    url = reverse("admin:audit_auditevent_changelist")
    staff_alice.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    client.force_login(staff_alice)
    assert client.get(url).status_code == 403
    assert "audit" not in [app["app_label"] for app in client.get(reverse("admin:index")).context["app_list"]]
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 200
    assert "Status → Announced" in response.content.decode()
