"""Signing in: lockout after repeated failures, idle sessions ended, landing on the dashboard."""

import time

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_official_lands_on_dashboard_after_sign_in(client, world):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_repeated_failures_lock_the_account(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "/portal/" not in response.get("Location", "")


def test_idle_session_is_ended(client, world, settings):
    client.force_login(world.alice)
    assert client.get("/portal/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_lasts_twelve_hours_at_most(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
