"""Sessions: 12 hours from sign-in whatever the activity, 30 minutes idle, a new key at sign-in,
ended server-side at sign-out, and purged every night (with the petition drafts they hold)."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from dialogue_portal.celery import app
from dialogue_portal.sessions import LAST_SEEN, SIGNED_IN_AT
from dialogue_portal.tasks import clear_expired_sessions
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _row(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_activity_never_extends_a_session_past_twelve_hours_from_sign_in(client, world, settings):
    client.force_login(world.alice)
    session = client.session
    now = int(time.time())
    session[SIGNED_IN_AT] = now - settings.SESSION_COOKIE_AGE + 120  # two minutes from its end
    session[LAST_SEEN] = now - 90  # the middleware writes the session on this request
    session.save()
    assert client.get("/portal/").status_code == 200
    assert _row(client).expire_date <= timezone.now() + datetime.timedelta(seconds=125)


def test_a_session_signed_in_twelve_hours_ago_is_ended(client, world, settings):
    client.force_login(world.alice)
    session = client.session
    now = int(time.time())
    session[SIGNED_IN_AT] = now - settings.SESSION_COOKIE_AGE - 5
    session[LAST_SEEN] = now - 10
    session.save()
    response = client.get("/portal/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_database_row_expires_after_thirty_minutes_idle(client, world, settings):
    client.force_login(world.alice)
    expiry = _row(client).expire_date
    idle = datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 60)
    assert expiry <= timezone.now() + idle
    assert expiry > timezone.now() + idle - datetime.timedelta(seconds=30)


def test_sign_in_rotates_the_session_key_and_stamps_the_time(client, world):
    session = client.session
    session["citizens_petition_draft"] = {"title": "x"}
    session.save()
    before = session.session_key
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert abs(client.session[SIGNED_IN_AT] - time.time()) < 30


def test_sign_out_ends_the_session_on_the_server(client, world):
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    key = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie gets nothing.
    client.cookies["sessionid"] = key
    response = client.get("/portal/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_expired_sessions_and_the_drafts_in_them_are_purged_nightly(client, world):
    session = client.session
    session["citizens_petition_draft"] = {"petitioner_name": "Nguyễn Thị Hoa", "petitioner_phone": "+84912345678"}
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now())
    alive = client.session.__class__()
    alive["x"] = 1
    alive.save()
    clear_expired_sessions.delay().get()
    assert not Session.objects.filter(session_key=session.session_key).exists()
    assert Session.objects.filter(session_key=alive.session_key).exists()
    assert "dialogue_portal.tasks.clear_expired_sessions" in app.tasks
    task = PeriodicTask.objects.select_related("crontab").get(task="dialogue_portal.tasks.clear_expired_sessions")
    assert (task.crontab.hour, task.crontab.minute) == ("3", "15")
