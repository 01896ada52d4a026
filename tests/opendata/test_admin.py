"""API keys are managed in the admin: issued once (shown, stored hashed), revoked, never deleted."""

import re

import pytest

from audit.models import AuditEvent
from opendata.models import ApiClient
from opendata.services import client_for_key, issue_api_client
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return f.UserFactory(username="root", is_staff=True, is_superuser=True)


def test_adding_a_client_in_the_admin_shows_its_key_once_and_stores_its_hash(client, root):
    client.force_login(root)
    response = client.post(
        "/admin/opendata/apiclient/add/", {"name": "Zalo mini-app", "contact_email": "zalo@example.vn"}, follow=True
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    [key] = [re.search(r": (\S+)$", m).group(1) for m in shown if "shown only now" in m]
    stored = ApiClient.objects.get()
    assert client_for_key(key) == stored and key not in stored.key_hash
    assert AuditEvent.objects.for_object(stored).filter(action="api_key_issued", actor=root).exists()
    assert key not in client.get(f"/admin/opendata/apiclient/{stored.pk}/change/").content.decode()


def test_the_revoke_action_refuses_the_key_and_clients_cannot_be_deleted(client, root):
    stored, key = issue_api_client(name="Cổng dữ liệu", contact_email="data@example.vn")
    client.force_login(root)
    client.post("/admin/opendata/apiclient/", {"action": "revoke", "_selected_action": [stored.pk]}, follow=True)
    assert client_for_key(key) is None
    assert AuditEvent.objects.for_object(stored).filter(action="api_key_revoked", actor=root).exists()
    assert client.get(f"/admin/opendata/apiclient/{stored.pk}/delete/").status_code == 403


def test_issuing_a_calendar_address_in_the_admin_shows_it_once(client, root):
    official = f.UserFactory(username="alice")
    client.force_login(root)
    response = client.post("/admin/opendata/calendartoken/add/", {"user": official.pk}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    [url] = [re.search(r": (\S+)$", m).group(1) for m in shown if "shown only now" in m]
    assert "/lich/can-bo/" in url
    client.logout()
    assert client.get(url.replace("http://testserver", "")).status_code == 200
