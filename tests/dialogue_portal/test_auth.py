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


PROXY = "10.0.0.1"


def _sign_in(client, password, forwarded_for):
    return client.post(
        "/accounts/login/",
        {"username": "alice", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_failures_from_one_address_through_the_proxy_do_not_lock_the_official_out_elsewhere(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "wrong", "203.0.113.5")
    assert _sign_in(client, PASSWORD, "203.0.113.5").status_code == 429
    response = _sign_in(client, PASSWORD, "198.51.100.7")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_spoofed_left_most_forwarded_for_changes_nothing(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(settings.AXES_FAILURE_LIMIT):
        # The attacker varies the entries it controls; the proxy appends the real address.
        _sign_in(client, "wrong", f"192.0.2.{number}, 198.51.100.7, 203.0.113.5")
    assert _sign_in(client, PASSWORD, "1.2.3.4, 203.0.113.5").status_code == 429
    # Pretending to be the official's address (left-most) does not lock the official's own address.
    assert _sign_in(client, PASSWORD, "198.51.100.7").status_code == 302


def test_the_locked_out_page_and_retry_after_tell_the_real_cool_off(client, world, settings):
    settings.AXES_COOLOFF_TIME = 2  # hours
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert response["Retry-After"] == str(2 * 60 * 60)
    assert "Vui lòng chờ 120 phút" in response.content.decode()
