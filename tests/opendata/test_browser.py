"""In Chromium: the open-data page draws its charts under the CSP, and it and the e-mail alerts' pages
(subscribe, confirm, unsubscribe) have no accessibility violation at all (axe, every impact)."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from conferences.models import ConferenceKind, ConferenceStatus
from notifications.models import AlertSubscription
from tests import factories as f
from tests.conftest import run_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = timezone.localdate().year


def watch(page) -> list[str]:
    """Collect console errors, page errors and CSP violations."""
    found: list[str] = []

    def console(message):
        url = message.location.get("url", "")
        if url.endswith("/favicon.ico"):  # the portal has no icon; browsers ask for one anyway
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            found.append(f"{message.text} {url}")

    page.on("console", console)
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


def assert_axe_clean(page):
    violations = run_axe(page, impacts=None)
    assert not violations, [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_open_data_page_draws_its_charts_and_passes_axe(world, desktop_page, phone_page, live_server):
    start = timezone.make_aware(datetime.datetime(YEAR, 1, 5, 8, 0))
    for kind, n in ((ConferenceKind.PERIODIC, 6), (ConferenceKind.ADHOC, 2)):
        for _ in range(n):
            f.ConferenceFactory(
                unit=world.ward_a, kind=kind, status=ConferenceStatus.HELD, planned_start=start, held_on=start.date()
            )
    for page, name in ((desktop_page, "desktop"), (phone_page, "phone")):
        problems = watch(page)
        page.goto(f"{live_server.url}/du-lieu-mo/?year={YEAR}")
        page.wait_for_load_state("networkidle")
        for key in ("conferences", "opinions", "answers"):
            canvas = page.locator(f"#chart-{key}")
            assert canvas.count() == 1
            assert page.evaluate(f"() => !!Chart.getChart(document.getElementById('chart-{key}'))"), key
            box = canvas.bounding_box()
            assert box["width"] > 100 and box["height"] > 100, (key, box)
        # The suppressed ad-hoc count (2 < 5) is no bar: Chart.js holds null, not 2.
        charted = page.evaluate(
            "() => Chart.getChart(document.getElementById('chart-conferences')).data.datasets.map(d => d.data)"
        )
        assert 6 in charted[0] and 2 not in charted[1] and None in charted[1]
        assert problems == []
        assert_axe_clean(page)
        if name == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(page, f"opendata-open-data-{name}")


def test_alert_pages_pass_axe(world, phone_page, live_server, captcha_passes, settings):
    page, base = phone_page, live_server.url
    problems = watch(page)
    page.goto(f"{base}/tin/dang-ky/?ward={world.ward_a.pk}")
    assert_axe_clean(page)
    screenshot(page, "opendata-alert-subscribe")
    page.fill("input[name=email]", "hoa.nguyen@example.vn")
    page.fill("input[name=captcha_1]", "WRONG")
    page.click("button[type=submit]")
    assert page.locator("#error-summary").count() == 1
    assert_axe_clean(page)
    screenshot(page, "opendata-alert-subscribe-error")
    page.fill("input[name=captcha_1]", "PASSED")
    page.click("button[type=submit]")
    page.wait_for_url("**/tin/dang-ky/da-gui/")
    assert_axe_clean(page)
    screenshot(page, "opendata-alert-requested")
    (confirmation,) = mail.outbox
    link = re.findall(r"http\S+/tin/xac-nhan/\S+/", confirmation.body)[0]
    page.goto(base + "/" + link.split("/", 3)[3])
    assert_axe_clean(page)
    screenshot(page, "opendata-alert-confirm-ask")
    page.click("button[type=submit]")
    assert page.locator(".alert-success").count() == 1
    assert AlertSubscription.objects.get().confirmed_at is not None
    assert_axe_clean(page)
    screenshot(page, "opendata-alert-confirmed")
    from notifications.alerts import unsubscribe_token

    page.goto(f"{base}/tin/huy/{unsubscribe_token(AlertSubscription.objects.get())}/")
    assert page.locator(".alert-success").count() == 1 and not AlertSubscription.objects.exists()
    assert_axe_clean(page)
    screenshot(page, "opendata-alert-unsubscribed")
    page.goto(f"{base}/tin/xac-nhan/khong-hop-le/")
    assert_axe_clean(page)
    screenshot(page, "opendata-alert-confirm-invalid")
    assert [p for p in problems if "404" not in p] == []
