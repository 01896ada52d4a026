"""A citizen on a 360-pixel phone: sends a petition with a photo through the preview, follows it,
sees the official's answer and gives a verdict. Every public page passes axe (no serious or
critical violations) and fits the screen."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from petitions.models import Petition, PetitionStatus
from petitions.services import accept_petition, answer_petition, assign_petition
from tests import factories as f
from tests.citizens.conftest import PDF_BYTES, jpeg_bytes
from tests.conftest import run_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_page(page, name):
    """Assert the page fits a 360-pixel screen and has no serious accessibility violation; save a screenshot."""
    violations = run_axe(page)
    assert not violations, [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} is {width}px wide"
    screenshot(page, f"citizens-{name}")


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "den-hong.jpg"
    path.write_bytes(jpeg_bytes(size=(64, 48)))
    return str(path)


def test_citizen_sends_follows_and_gives_a_verdict_on_a_phone(
    world, phone_page, live_server, captcha_passes, photo, settings
):
    page, base = phone_page, live_server.url
    f.ConferenceFactory(
        unit=world.ward_a,
        status="announced",
        title="Hội nghị đối thoại quý IV",
        planned_start=timezone.now() + datetime.timedelta(days=10),
    )

    page.goto(f"{base}/?ward={world.ward_a.pk}")
    assert "Hội nghị đối thoại quý IV" in page.content()
    check_page(page, "01-home")

    page.click(f"a[href='/gui-kien-nghi/?ward={world.ward_a.pk}']")
    page.select_option("select[name=unit]", str(world.ward_a.pk))
    page.check("input[name=kind][value=phan_anh]")
    page.select_option("select[name=category]", str(world.category.pk))
    page.fill("input[name=title]", "Đèn chiếu sáng ngõ 12 bị hỏng")
    page.fill("textarea[name=content]", "Đèn chiếu sáng ngõ 12 hỏng hơn một tháng, buổi tối rất tối.")
    page.fill("input[name=location]", "Ngõ 12 phố Phú Diễn")
    page.set_input_files("input[name=attachments]", photo)
    page.fill("input[name=petitioner_name]", "Nguyễn Thị Hoa")
    page.fill("input[name=petitioner_phone]", "0912 345 678")
    page.fill("input[name=petitioner_email]", "hoa.nguyen@example.vn")
    assert not page.is_checked("input[name=consent]")
    assert not page.is_checked("input[name=show_name_publicly]")
    page.check("input[name=consent]")
    check_page(page, "02-form")
    page.click("form button[type=submit]")

    page.wait_for_url(f"{base}/gui-kien-nghi/xem-lai/")
    assert "den-hong.jpg" in page.content()
    check_page(page, "03-preview")
    page.fill("input[name=captcha_1]", "PASSED")
    page.click("form button[type=submit]")

    page.wait_for_url(f"{base}/gui-kien-nghi/da-gui/")
    shown = page.inner_text("#tracking-code").strip()
    petition = Petition.objects.get()
    assert shown == petition.display_code
    assert petition.attachments.get().content_type == "image/jpeg"
    check_page(page, "04-sent")

    page.click(f"a[href='/tra-cuu/{petition.tracking_code}/']")
    page.wait_for_url(f"{base}/tra-cuu/{petition.tracking_code}/")
    check_page(page, "05-tracking-received")

    # An official of ward A accepts it, assigns it to the land office, whose officer answers with evidence.
    accept_petition(petition=petition, by=world.alice)
    assign_petition(petition=petition, organisation=world.land_a, by=world.alice)
    answer_petition(
        petition=petition,
        text="Phường đã thay bóng đèn ngõ 12 ngày 20/11.",
        document_number="123/UBND-KT",
        document_date=datetime.date(2026, 11, 20),
        evidence=ContentFile(PDF_BYTES, name="tra-loi.pdf"),
        by=world.hana,
    )

    # The citizen follows it by typing the code loosely in the look-up form.
    page.goto(f"{base}/tra-cuu/")
    check_page(page, "06-track-form")
    page.fill("input[name=code]", shown.lower().replace("-", " "))
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/tra-cuu/{petition.tracking_code}/")
    content = page.content()
    assert "Phường đã thay bóng đèn ngõ 12" in content and "123/UBND-KT" in content
    assert "Nguyễn Thị Hoa" not in content and "hoa.nguyen@example.vn" not in content
    check_page(page, "07-tracking-answered")

    with page.expect_download() as download:
        page.click("a[href*='/van-ban/']")
    assert download.value.suggested_filename.endswith(".pdf")

    page.check("input[name=verdict][value=resolved]")
    page.check("input[name=rating][value='4']")
    page.fill("textarea[name=comment]", "Cảm ơn phường.")
    page.click("form[action$='/danh-gia/'] button[type=submit]")
    page.wait_for_url(f"{base}/tra-cuu/{petition.tracking_code}/")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RESOLVED and petition.rating == 4
    assert page.locator("form[action$='/danh-gia/']").count() == 0
    check_page(page, "08-tracking-verdict")


def test_public_pages_pass_axe_on_a_phone(world, phone_page, live_server, submitted):
    page, base = phone_page, live_server.url
    held = f.ConferenceFactory(
        unit=world.ward_a,
        status="concluded",
        held_on=datetime.date(2026, 10, 5),
        planned_start=timezone.now() - datetime.timedelta(days=50),
        chair="Ông Trần Văn B, Bí thư Đảng ủy phường",
        attendance=120,
        opinions_raised_count=14,
        answered_on_spot_count=9,
    )
    notice = f.NoticeFactory(
        unit=world.ward_a, conference=held, status="published", published_at=timezone.now(), number="5/TB-UBND"
    )
    notice.petitions.add(submitted())
    for name, path in [
        ("10-notices", "/thong-bao/"),
        ("11-notice", f"/thong-bao/{notice.pk}/"),
        ("12-conferences", "/hoi-nghi/"),
        ("13-conference", f"/hoi-nghi/{held.pk}/"),
        ("14-my-data", "/du-lieu-cua-toi/"),
        ("15-not-found", "/tra-cuu/0000000000/"),
    ]:
        page.goto(base + path)
        check_page(page, name)
    # The form with its errors shown is accessible too.
    page.goto(base + "/gui-kien-nghi/")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#error-summary").count() == 1
    check_page(page, "16-form-errors")
    page.goto(base + "/gui-kien-nghi/")
    page.check("input[name=kind][value=khieu_nai]")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    check_page(page, "17-routed-out")
    assert os.path.exists(screenshot(page, "citizens-17-routed-out"))


@pytest.fixture
def no_js_page(browser, live_server):
    """A 360×740 phone page with JavaScript turned off (old phones, data savers, strict browsers)."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="vi-VN")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_citizen_sends_and_follows_a_petition_without_javascript(world, no_js_page, live_server, captcha_passes):
    page, base = no_js_page, live_server.url
    page.goto(f"{base}/gui-kien-nghi/")
    page.select_option("select[name=unit]", str(world.ward_a.pk))
    page.check("input[name=kind][value=kien_nghi]")
    page.select_option("select[name=category]", str(world.category.pk))
    page.fill("input[name=title]", "Đề nghị lắp đèn ngõ 12")
    page.fill("textarea[name=content]", "Ngõ 12 chưa có đèn chiếu sáng, buổi tối rất tối.")
    page.fill("input[name=petitioner_name]", "Nguyễn Thị Hoa")
    page.fill("input[name=petitioner_phone]", "0912 345 678")
    page.check("input[name=consent]")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/gui-kien-nghi/xem-lai/")
    assert page.locator("#captcha-alternative").is_visible()
    page.click("#captcha-refresh")  # a plain link: a new picture without JavaScript
    page.wait_for_url(f"{base}/gui-kien-nghi/xem-lai/")
    page.fill("input[name=captcha_1]", "PASSED")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/gui-kien-nghi/da-gui/")
    petition = Petition.objects.get()
    shown = page.inner_text("#tracking-code").strip()
    assert shown == petition.display_code
    screenshot(page, "citizens-20-no-js-sent")

    page.goto(f"{base}/tra-cuu/")
    page.fill("input[name=code]", shown)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/tra-cuu/{petition.tracking_code}/")
    assert "Đề nghị lắp đèn ngõ 12" in page.content()
    assert "Acknowledgement due by" in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"tracking page is {width}px wide"
    screenshot(page, "citizens-21-no-js-tracking")


def test_officials_sign_in_is_reachable_on_a_phone_without_javascript(db, no_js_page, phone_page, live_server):
    no_js_page.goto(live_server.url + "/")
    sign_in = no_js_page.get_by_role("link", name="Officials' sign-in")
    assert sign_in.is_visible()
    assert not no_js_page.locator(".navbar-toggler").is_visible()  # a button that does nothing is hidden
    screenshot(no_js_page, "citizens-22-no-js-navbar")
    # With JavaScript the menu stays collapsed behind its button, as before.
    phone_page.goto(live_server.url + "/")
    assert not phone_page.get_by_role("link", name="Officials' sign-in").is_visible()
    phone_page.click(".navbar-toggler")
    phone_page.get_by_role("link", name="Officials' sign-in").wait_for(state="visible")


def test_rate_limited_and_my_data_pages_pass_axe_on_a_phone(world, phone_page, live_server, submitted, settings):
    page, base = phone_page, live_server.url
    petition = submitted()
    settings.CITIZENS_RATE_TRACK_PER_IP = "1/h"
    page.goto(f"{base}/tra-cuu/0000000000/")
    response = page.goto(f"{base}/tra-cuu/0000000000/")
    assert response.status == 429
    check_page(page, "18-rate-limited")

    page.goto(f"{base}/du-lieu-cua-toi/")
    page.fill("input[name=code]", petition.display_code)
    page.fill("input[name=contact]", "0912 345 678")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/du-lieu-cua-toi/ket-qua/")
    assert petition.display_code in page.content()
    check_page(page, "19-my-data-result")
    page.click("a[href='/du-lieu-cua-toi/xoa/']")
    page.wait_for_url(f"{base}/du-lieu-cua-toi/xoa/")
    check_page(page, "19-my-data-erase")
