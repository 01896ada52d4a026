"""Shared fixtures: the fixed cast of personas across two wards, and service detection.

The cast (habit 12): an official of ward A (`alice`), an official of ward B (`bob`), a
supervisor above both (`sam`), a Front supervisor above both (`fiona`), a handling officer of
ward A's land office (`hana`), the chair of ward A (`chris`), and a stranger with no role.
Citizens have no account: they are anonymous clients.
"""

import datetime
import os
import shutil
import socket

import pytest
from django.core.cache import cache

from tests import factories as f

CI = os.environ.get("CI") == "true"


def service_available(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test is a failure: CI must run everything."""
    outcome = yield
    report = outcome.get_result()
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI=true (not allowed): {report.longrepr}"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_ROOT = tmp_path / "media" / "reports"


@pytest.fixture
def requires_postgres(settings):
    if not settings.IS_POSTGRES:
        pytest.skip("PostgreSQL is not configured (set DATABASE_URL=postgres://…)")


@pytest.fixture
def requires_redis(settings):
    if not settings.REDIS_URL or not service_available("127.0.0.1", 6379):
        pytest.skip("Redis is not configured or not running (set REDIS_URL=redis://127.0.0.1:6379/0)")


@pytest.fixture
def requires_chromium():
    if not shutil.which("chromium") and not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install --no-install-recommends chromium)")


@pytest.fixture
def world(db):
    """Build the two wards, their district and city, and the cast of personas."""
    return f.build_world()


@pytest.fixture
def today():
    return datetime.date(2026, 11, 25)
