"""A hung Redis (accepts, never answers) costs a page about a second, once per outage, with one warning line;
an ordinary 403 or 404 logs one line, no traceback."""

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.test import RequestFactory, override_settings
from django.urls import reverse

from citizens.ratelimits import _Outage
from dialogue_portal.settings import redis_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_redis():
    """A TCP server that accepts every connection and never answers: a hung, not stopped, Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.1)
    stop, accepted = threading.Event(), []

    def accept_forever():
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join(timeout=2)
    for connection in accepted:
        connection.close()
    server.close()


def test_pages_answer_within_two_seconds_with_redis_hung_and_warn_once(client, world, hung_redis, caplog):
    unknown = reverse("citizens:track_detail", args=["0000000000"])
    client.get(unknown)  # warm up: URLs, templates and translations loaded before timing
    hung = {"default": redis_cache(hung_redis, timeout=django_settings.REDIS_TIMEOUT)}
    _Outage.until = 0.0
    try:
        with override_settings(CACHES=hung), caplog.at_level(logging.WARNING, logger="citizens.ratelimits"):
            timings = []
            for _ in range(5):
                start = time.monotonic()
                assert client.get(unknown).status_code == 404
                timings.append(time.monotonic() - start)
    finally:
        _Outage.until = 0.0
    assert timings[0] < 2.0, timings
    assert max(timings[1:]) < 0.5, timings
    warnings = [r for r in caplog.records if r.name == "citizens.ratelimits"]
    assert len(warnings) == 1 and warnings[0].exc_info is None
    assert "cache is unavailable" in warnings[0].getMessage()


def test_cache_and_broker_wait_about_a_second_for_redis():
    code = (
        "import json; from dialogue_portal import settings as s; "
        "print(json.dumps([s.CACHES['default']['OPTIONS'], s.CELERY_BROKER_TRANSPORT_OPTIONS, "
        "s.CELERY_REDIS_SOCKET_TIMEOUT, s.CELERY_BROKER_CONNECTION_TIMEOUT]))"
    )
    env = {**os.environ, "DEBUG": "true", "REDIS_URL": "redis://127.0.0.1:6390/0"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    cache, broker, results, connection = json.loads(result.stdout.strip().splitlines()[-1])
    assert cache == {"socket_timeout": 1.0, "socket_connect_timeout": 1.0}
    assert broker["socket_timeout"] == 1.0 and broker["socket_connect_timeout"] == 1.0
    assert results == 1.0 and connection == 1.0


def test_a_403_logs_one_line_without_a_traceback(caplog):
    request = RequestFactory().get("/portal/somewhere/")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = response_for_exception(request, PermissionDenied())
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1 and records[0].exc_info is None
    assert "Forbidden" in records[0].getMessage() and "/portal/somewhere/" in records[0].getMessage()


def test_a_404_logs_one_line_without_a_traceback(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/portal/no-such-page/").status_code == 404
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1 and records[0].exc_info is None
