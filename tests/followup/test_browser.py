"""In a real browser: the chair carries a held conference to a published notice, and the Front
supervisor records a "not met" finding on one of its conclusions."""

import datetime

import pytest
from django.utils import timezone

from conferences.models import ConferenceStatus
from followup.models import FollowUpNotice, NoticeStatus, Supervision
from tests.conftest import run_axe as _run_axe
from tests.conftest import screenshot, sign_in
from tests.followup.conftest import make_held_conference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_axe(page):
    violations = _run_axe(page)
    return [(v["id"], [n["html"][:200] for n in v["nodes"]]) for v in violations]


SUBMIT = "main form[method=post] button[type=submit]"


def test_chair_publishes_a_notice_and_front_supervisor_records_a_finding(world, desktop_page, live_server):
    page, base = desktop_page, live_server.url
    conference = make_held_conference(world.ward_a, by=world.alice, title="Hội nghị đối thoại quý IV phường An")
    item = conference.conclusions.get()

    # The chair builds a draft from the held conference.
    sign_in(page, base, "chris")
    page.goto(f"{base}/portal/notices/conferences-without-notice/")
    assert "Hội nghị đối thoại quý IV phường An" in page.content()
    page.click(f"form[action='/portal/notices/from-conference/{conference.pk}/'] button[type=submit]")
    page.wait_for_url("**/edit/")
    notice = FollowUpNotice.objects.get(conference=conference)

    # … gives it its number and date of issue …
    page.fill("input[name=number]", "25-TB/ĐU")
    page.fill("input[name=issued_on]", timezone.localdate().isoformat())
    page.click(SUBMIT)
    page.wait_for_url(f"**/portal/notices/{notice.pk}/")

    # … approves it after confirming …
    page.click(f"a[href='/portal/notices/{notice.pk}/approve/']")
    page.click(SUBMIT)
    page.wait_for_url(f"**/portal/notices/{notice.pk}/")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.APPROVED and notice.approved_by == world.chris

    # … and publishes it, saying where it was posted.
    page.click(f"a[href='/portal/notices/{notice.pk}/publish/']")
    page.fill("textarea[name=posted_at]", "Bảng tin UBND phường An; loa phát thanh tổ dân phố")
    page.click(SUBMIT)
    page.wait_for_url(f"**/portal/notices/{notice.pk}/")
    notice.refresh_from_db()
    conference.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED and "loa phát thanh" in notice.posted_at
    assert conference.status == ConferenceStatus.CONCLUDED
    assert "25-TB/ĐU" in page.content() and "Bảng tin UBND phường An" in page.content()
    assert run_axe(page) == []
    screenshot(page, "followup-notice-detail")
    page.goto(f"{base}/portal/notices/")
    assert f"/portal/notices/{notice.pk}/" in page.content()
    assert run_axe(page) == []
    screenshot(page, "followup-notice-list")

    # The Front supervisor records a "not met" finding on the conference's conclusion.
    page.context.clear_cookies()
    sign_in(page, base, "fiona")
    page.goto(f"{base}/portal/supervision/")
    page.click(f"a[href='/portal/supervision/new/?conclusion_item={item.pk}']")
    recheck = timezone.localdate() + datetime.timedelta(days=21)
    page.check("input[name=finding][value=not_met]")
    page.fill("textarea[name=recommendation]", "Đề nghị UBND phường xử lý dứt điểm trước ngày 31/12")
    page.fill("input[name=recheck_on]", recheck.isoformat())
    page.click(SUBMIT)
    page.wait_for_url("**/portal/supervision/")
    supervision = Supervision.objects.get()
    assert (supervision.conclusion_item, supervision.finding, supervision.recheck_on) == (item, "not_met", recheck)
    assert supervision.supervisor == world.fiona
    assert "Đề nghị UBND phường xử lý dứt điểm" in page.content()
    assert run_axe(page) == []
    screenshot(page, "followup-supervision-list")


def test_follow_up_lists_fit_a_phone(world, phone_page, live_server):
    conference = make_held_conference(world.ward_a, by=world.alice)
    FollowUpNotice.objects.create(unit=world.ward_a, conference=conference, title="Thông báo kết luận", text="…")
    sign_in(phone_page, live_server.url, "fiona")
    for path, name in [
        ("/portal/notices/", "followup-notice-list-phone"),
        ("/portal/supervision/", "followup-supervision-list-phone"),
    ]:
        phone_page.goto(f"{live_server.url}{path}")
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(phone_page, name)
