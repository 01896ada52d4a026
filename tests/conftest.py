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
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from tests import factories as f

CI = os.environ.get("CI") == "true"


def service_available(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def redis_address(url: str) -> tuple[str, int]:
    """Return the (host, port) a redis:// or rediss:// URL names (Redis's defaults where it names none)."""
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 6379


def redis_reachable(url: str) -> bool:
    """Return True if something accepts connections where `url` says Redis is."""
    if not url:
        return False
    if url.startswith("unix://"):
        path = urlsplit(url).path
        try:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(1)
                sock.connect(path)
                return True
        except OSError:
            return False
    return service_available(*redis_address(url))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test is a failure: CI must run everything."""
    outcome = yield
    report = outcome.get_result()
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI=true (not allowed): {report.longrepr}"


def pytest_collection_modifyitems(items):
    """Give every transactional test a serialized rollback.

    A transactional test ends by flushing the database, which would also delete the rows the data
    migrations install (categories, rules, holidays, role groups, the beat schedule) for every test
    after it; with a serialized rollback each one starts from the migrated state instead.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A flush re-creates content types under new ids: never trust ids cached by an earlier test."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_in_tests():
    """Tests read the English source strings. The portal's Vietnamese-first behaviour is tested
    explicitly with `vi_client` and `vi_page`, which carry no language cookie."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def client(client):
    """pytest-django's client, with the language switch set to English (see `_english_in_tests`)."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def vi_client():
    """A client as a first-time visitor: no language cookie, so the portal answers in Vietnamese."""
    return Client()


@pytest.fixture(autouse=True)
def _celery_eager_unless_worker(request, settings):
    """Run Celery tasks in the test process, as the embedded default does, except in tests marked
    `worker`, which start a real worker on Redis (CI sets CELERY_TASK_ALWAYS_EAGER=false globally)."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    from dialogue_portal.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Tests hash many passwords; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    if not redis_reachable(settings.REDIS_URL):
        pytest.skip(
            f"Redis is not configured or not running at {settings.REDIS_URL or '(unset)'}"
            " (set REDIS_URL=redis://127.0.0.1:6379/0)"
        )


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


# --- Browser tests (Playwright driving Debian's Chromium) -------------------------------------
# Playwright's sync API runs an event loop in the test thread; Django must allow its ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SCREENSHOTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts", "screenshots")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def _playwright_browser():
    if not os.path.exists("/usr/bin/chromium"):
        yield None
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(requires_chromium, _playwright_browser):
    """Return the session's Chromium browser (skips when Debian's chromium is missing)."""
    return _playwright_browser


@pytest.fixture
def desktop_page(browser, live_server):
    """A 1280×800 page; `page.goto(live_server.url + path)`."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A 360×740 phone page with touch, as citizens use the portal."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def vi_page(browser, live_server):
    """A phone page as a first-time Vietnamese visitor (no language cookie): for Vietnamese screenshots."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="en-US"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def screenshot(page, name: str) -> str:
    """Save a full-page screenshot under test-artifacts/screenshots/ and return its path."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.join(SCREENSHOTS, f"{name}.png")
    page.screenshot(path=path, full_page=True)
    return path


def sign_in(page, base_url: str, username: str, password: str = f.PASSWORD):
    """Sign in through the login form."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def run_axe(page, impacts=("serious", "critical")) -> list[dict]:
    """Inject the vendored axe-core and return the violations on the page of `impacts` (None: every one)."""
    from urllib.parse import urljoin

    from django.conf import settings as dj_settings

    assert os.path.exists(os.path.join(dj_settings.BASE_DIR, "static", "vendor", "axe", "axe.min.js"))
    # Loaded from the portal's static files, not inlined: the CSP (script-src 'self') refuses inline scripts.
    page.add_script_tag(url=urljoin(page.url, f"/{dj_settings.STATIC_URL.strip('/')}/vendor/axe/axe.min.js"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if impacts is None or v.get("impact") in impacts]
