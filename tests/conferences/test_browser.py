"""Alice carries a conference in a real browser: schedule → announce → held → opinions → conclusion.

Screenshots of the list, calendar, detail and opinions pages land in test-artifacts/screenshots/.
"""

import datetime

import pytest
from django.utils import timezone

from conferences.models import ConclusionItem, Conference, ConferenceStatus
from petitions.models import Petition, PetitionStatus
from tests import factories as f
from tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, form="main form[method=post]"):
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def test_alice_runs_a_conference_from_scheduling_to_conclusions(world, desktop_page, live_server):
    page, base = desktop_page, live_server.url
    today = timezone.localdate()
    sign_in(page, base, "alice")

    # Schedule an ad-hoc conference: a start in the past is refused, one in a few minutes accepted.
    page.goto(f"{base}/portal/conferences/new/")
    page.select_option("select[name=kind]", "adhoc")
    page.select_option("select[name=format]", "thematic")
    page.fill("input[name=title]", "Đối thoại về bồi thường dự án Vành đai 3")
    page.fill("input[name=planned_start]", f"{timezone.localtime() - datetime.timedelta(hours=1):%d/%m/%Y %H:%M}")
    submit(page)
    assert page.locator("#id_planned_start.is-invalid").count() == 1 and not Conference.objects.exists()
    soon = timezone.localtime() + datetime.timedelta(minutes=10)
    page.fill("input[name=planned_start]", f"{soon:%d/%m/%Y %H:%M}")
    page.fill("input[name=venue]", "Hội trường UBND phường An")
    page.fill("input[name=related_project]", "Vành đai 3")
    submit(page)
    conference = Conference.objects.get()
    assert page.url.endswith(f"/portal/conferences/{conference.pk}/")

    # Announce it: the lead time in force shows before confirming; invitations sent today are
    # refused until the short notice has a reason, then accepted with a warning.
    page.click(f"a[href='/portal/conferences/{conference.pk}/announce/']")
    assert "7" in page.locator("#id_invitation_sent_on_helptext").inner_text()
    page.fill("input[name=invitation_sent_on]", f"{today:%d/%m/%Y}")
    submit(page)
    assert page.locator("#id_short_notice_reason.is-invalid").count() == 1
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.PLANNED
    page.fill("textarea[name=short_notice_reason]", "Dân đề nghị đối thoại gấp về giá bồi thường")
    submit(page)
    assert page.locator(".alert-warning").count() == 1
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.ANNOUNCED

    # Record it as held today, with participants by organisation.
    page.click(f"a[href='/portal/conferences/{conference.pk}/outcome/']")
    page.fill("input[name=held_on]", f"{today:%d/%m/%Y}")
    page.fill("input[name=attendance]", "120")
    page.select_option("select[name=participants-0-organisation]", str(world.front.pk))
    page.fill("input[name=participants-0-count]", "15")
    page.fill("input[name=participants-1-group]", "Cử tri tổ dân phố số 3")
    page.fill("input[name=participants-1-count]", "60")
    page.fill("textarea[name=minutes_text]", "Biên bản hội nghị đối thoại.")
    submit(page)
    assert page.url.endswith(f"/portal/conferences/{conference.pk}/opinions/")
    conference.refresh_from_db()
    assert (conference.status, conference.held_on, conference.attendance) == (ConferenceStatus.HELD, today, 120)

    # Three opinions in a row; the form is cleared after each, the table grows.
    opinions = [
        ("Mức giá bồi thường đất nông nghiệp", "Đề nghị xem xét lại đơn giá bồi thường.", ""),
        ("Tiến độ bố trí tái định cư", "Bao giờ có nhà tái định cư?", "Quý 2 năm sau bàn giao nhà tái định cư."),
        ("Đường tạm bị ngập", "Đường tạm của dự án ngập khi mưa.", ""),
    ]
    for number, (title, content, answer) in enumerate(opinions, start=1):
        page.select_option("select[name=category]", str(world.category.pk))
        page.fill("input[name=title]", title)
        page.fill("textarea[name=content]", content)
        if answer:
            page.fill("input[name=petitioner_name]", "Lê Văn Cường")
            page.fill("textarea[name=answer_on_spot]", answer)
        submit(page, "#opinion-form")
        assert page.locator("#opinions-table tbody tr").count() == number
        assert page.input_value("input[name=title]") == ""
    assert Petition.objects.filter(conference=conference).count() == 3
    answered = Petition.objects.get(title="Tiến độ bố trí tái định cư")
    assert answered.status == PetitionStatus.ANSWERED_ON_SPOT
    screenshot(page, "conferences-opinions")

    # A conclusion assigned to the ward's land office, settling the first opinion.
    first = Petition.objects.get(title=opinions[0][0])
    page.click(f"a[href='/portal/conferences/{conference.pk}/conclusions/']")
    page.fill("textarea[name=text]", "Giao Phòng Kinh tế - Hạ tầng rà soát đơn giá bồi thường.")
    page.select_option("select[name=assignee]", str(world.land_a.pk))
    page.fill("input[name=deadline]", f"{today + datetime.timedelta(days=30):%d/%m/%Y}")
    page.check(f"input[name=petitions][value='{first.pk}']")
    submit(page, "#conclusion-form")
    assert page.locator("#conclusions-table tbody tr").count() == 1
    item = ConclusionItem.objects.get()
    assert (item.assignee, list(item.petitions.all())) == (world.land_a, [first])
    screenshot(page, "conferences-conclusions")

    page.goto(f"{base}/portal/conferences/{conference.pk}/")
    screenshot(page, "conferences-detail")
    page.goto(f"{base}/portal/conferences/")
    assert page.locator(f"a[href='/portal/conferences/{conference.pk}/']").count() == 1
    screenshot(page, "conferences-list")
    page.goto(f"{base}/portal/conferences/calendar/")
    assert page.locator(f"a[href='/portal/conferences/{conference.pk}/']").count() >= 1
    screenshot(page, "conferences-calendar")


def test_pages_fit_a_phone(world, phone_page, live_server):
    plan = f.PlanFactory(unit=world.ward_a)
    item = f.PlanItemFactory(plan=plan)
    conference = f.ConferenceFactory(
        unit=world.ward_a, plan_item=item, status=ConferenceStatus.HELD, held_on=timezone.localdate()
    )
    f.PetitionFactory(unit=world.ward_a, conference=conference)
    sign_in(phone_page, live_server.url, "alice")
    pages = {
        "plans-detail-phone": f"/portal/plans/{plan.pk}/",
        "conferences-list-phone": "/portal/conferences/",
        "conferences-calendar-phone": "/portal/conferences/calendar/",
        "conferences-detail-phone": f"/portal/conferences/{conference.pk}/",
        "conferences-opinions-phone": f"/portal/conferences/{conference.pk}/opinions/",
    }
    for name, path in pages.items():
        phone_page.goto(live_server.url + path)
        # Nothing wider than the screen: the page does not scroll sideways.
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360, path
        screenshot(phone_page, name)
