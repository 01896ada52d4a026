"""The Content-Security-Policy on every response, its report endpoint, and pages that break none of it."""

import json
import logging

import pytest
from django.urls import reverse

from tests.conftest import sign_in

REQUIRED = ["script-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"]


def _policy(response) -> str:
    return response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["citizens:home", "citizens:petition_new", "login"])
def test_every_page_has_a_strict_policy(client, name):
    policy = _policy(client.get(reverse(name)))
    for directive in REQUIRED:
        assert directive in policy
    script = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script and "unsafe-eval" not in script


@pytest.mark.django_db
def test_officials_pages_and_the_admin_have_the_policy_too(client, world):
    client.force_login(world.alice)
    assert "script-src 'self'" in _policy(client.get(reverse("petitions:inbox")))


def test_htmx_is_told_not_to_inject_its_style(client, db):
    page = client.get(reverse("citizens:home")).content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in page


def test_violation_reports_are_logged_as_one_warning(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "https://portal.example/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
            "original-policy": "x" * 5000,
        }
    }
    with caplog.at_level(logging.WARNING, logger="dialogue_portal.csp"):
        response = client.post(reverse("csp_report"), json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    (record,) = [r for r in caplog.records if r.name == "dialogue_portal.csp"]
    assert "script-src-elem" in record.getMessage() and "xxxx" not in record.getMessage()


def test_garbage_report_is_answered_without_error(client):
    assert client.post(reverse("csp_report"), b"\xff{not json", content_type="application/json").status_code == 204
    assert client.get(reverse("csp_report")).status_code == 405


# --- In Chromium: the main pages raise no CSP violation -------------------------------------------

PUBLIC_PAGES = ["citizens:home", "citizens:petition_new", "citizens:track", "login"]
OFFICIAL_PAGES = ["dashboard", "petitions:inbox", "petitions:petition_create"]


def _collect_violations(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_and_officials_pages_raise_no_csp_violation(world, desktop_page, live_server):
    violations = _collect_violations(desktop_page)
    for name in PUBLIC_PAGES:
        desktop_page.goto(live_server.url + reverse(name))
        desktop_page.wait_for_load_state("networkidle")
    sign_in(desktop_page, live_server.url, "alice")
    for name in OFFICIAL_PAGES:
        desktop_page.goto(live_server.url + reverse(name))
        desktop_page.wait_for_load_state("networkidle")
    assert violations == []
    # An inline script must be refused: the policy is really enforced, not only sent.
    desktop_page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; "
        "document.body.appendChild(s); }"
    )
    desktop_page.wait_for_timeout(300)
    assert desktop_page.evaluate("() => window.__ran") is None
    assert violations, "the injected inline script raised no CSP violation"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_pages_raise_no_csp_violation(world, desktop_page, live_server):
    from tests import factories as f

    f.UserFactory(username="root", is_staff=True, is_superuser=True)
    violations = _collect_violations(desktop_page)
    sign_in(desktop_page, live_server.url, "root")
    for path in (
        "/admin/",
        "/admin/petitions/petition/",
        "/admin/petitions/petition/add/",
        "/admin/conferences/conference/add/",
    ):
        desktop_page.goto(live_server.url + path)
        desktop_page.wait_for_load_state("networkidle")
    assert violations == []
