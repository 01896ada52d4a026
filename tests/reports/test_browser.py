"""In Chromium: the supervisor's dashboard, the compliance board, and a report built while the page polls."""

import datetime

import pytest
from django.utils import timezone

from conferences.models import ConferenceStatus
from tests import factories as f
from tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sam_follows_the_dashboard_to_the_board_and_builds_a_pdf_report(world, desktop_page, live_server):
    day = timezone.localdate().replace(month=3, day=2)
    f.ConferenceFactory(
        unit=world.ward_a,
        status=ConferenceStatus.CLOSED,
        held_on=day,
        planned_start=timezone.make_aware(datetime.datetime.combine(day, datetime.time(8))),
    )
    page = desktop_page
    sign_in(page, live_server.url, "sam")
    assert page.url.endswith("/portal/")
    screenshot(page, "reports-dashboard")

    page.goto(f"{live_server.url}/portal/compliance/")
    assert page.locator("tbody tr").count() == 3
    assert page.get_by_text("Phường An").count() >= 1
    screenshot(page, "reports-compliance-board")

    page.goto(f"{live_server.url}/portal/reports/")
    page.select_option("select[name=unit]", str(world.district.pk))
    page.select_option("select[name=period]", "year")
    page.select_option("select[name=format]", "pdf")
    page.click("#report-request button[type=submit]")
    page.wait_for_url("**/portal/reports/*/")
    download_link = page.locator("a[href$='/download/']")
    download_link.wait_for(timeout=30000)
    screenshot(page, "reports-report-detail")
    with page.expect_download() as info:
        download_link.click()
    assert info.value.suggested_filename.startswith("bao-cao-999-")
