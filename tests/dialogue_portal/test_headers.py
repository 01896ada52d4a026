"""Personal pages are never stored by a browser or a proxy; every page turns off unused browser features."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_officials_pages_are_not_stored(client):
    client.force_login(f.UserFactory())
    response = client.get(reverse("petitions:inbox"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_citizens_draft_page_is_not_stored_once_the_session_holds_data(client):
    session = client.session
    session["citizens_petition_draft"] = {"fields": {"petitioner_name": "Nguyễn Thị Hoa"}}
    session.save()
    response = client.get(reverse("citizens:petition_new"))
    assert "no-store" in response["Cache-Control"]


def test_public_page_without_session_stays_cacheable_and_carries_the_policies(client):
    response = client.get(reverse("citizens:home"))
    assert "no-store" not in response.get("Cache-Control", "")
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
