"""Officials' screens fit the screens they are used on (issue 12 §5).

At 1366×768, the laptop most ward offices have, the petitions inbox shows petitions on the first
screen: the viewport is 1366×650, what is left of 768 pixels under the browser's own bars. At 390 px
(a phone) the opinions raised at a conference stay readable: titles keep their line, nothing
scrolls sideways.
"""

import datetime

import pytest
from django.utils import timezone

from conferences.models import ConferenceStatus
from tests import factories as f
from tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def laptop_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 650}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_390(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_the_inbox_shows_its_first_petitions_on_the_first_screen_of_a_laptop(world, laptop_page, live_server):
    other = f.CategoryFactory(name="Môi trường, vệ sinh")
    for n in range(8):
        f.PetitionFactory(unit=world.ward_a, category=world.category, title=f"Kiến nghị về đèn đường số {n}")
    f.PetitionFactory(unit=world.ward_a, category=other, title="Công trình xây dựng sai phép tại tổ dân phố 7")
    page = laptop_page
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/portal/petitions/")
    screenshot(page, "layout-inbox-1366")
    rows = page.locator("#inbox-table tbody tr")
    assert rows.count() == 9
    for i in range(3):  # the first three petitions are whole on the first screen
        box = rows.nth(i).bounding_box()
        assert box["y"] + box["height"] <= 650, f"row {i + 1} ends at {box['y'] + box['height']:.0f} px"

    # The rarer filters are folded away until asked for, and the day-to-day flags are one click.
    more = page.locator("#more-filters")
    assert not more.is_visible()
    page.click("#more-filters-toggle")
    more.wait_for(state="visible")
    page.select_option("#id_category", str(other.pk))
    page.click("#inbox-filters button[type=submit]")
    page.wait_for_url("**category=*")
    assert page.locator("#inbox-table tbody tr").count() == 1
    # A filter under "More filters" is set: the bar opens on it and says how many are set.
    assert page.locator("#more-filters").is_visible()
    assert page.locator("#more-filters-toggle .badge").inner_text() == "1"


def test_the_opinions_of_a_conference_are_readable_on_a_phone(world, phone_390, live_server):
    conference = f.ConferenceFactory(
        unit=world.ward_a,
        status=ConferenceStatus.HELD,
        held_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    titles = [
        "Khiếu nại quyết định thu hồi đất năm 2019",
        "Công trình xây dựng sai phép tại tổ dân phố 7",
        "Đèn chiếu sáng ngõ 12 Xuân Đỉnh bị hỏng",
    ]
    for title in titles:
        f.PetitionFactory(unit=world.ward_a, conference=conference, category=world.category, title=title)
    page = phone_390
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/portal/conferences/{conference.pk}/opinions/")
    screenshot(page, "layout-opinions-390")
    cells = page.locator("#opinions-table tbody td.opinion-cell")
    assert cells.count() == 3
    for i in range(3):
        # The title has the width of the phone, not of one word: ~330 px of 390.
        assert cells.nth(i).bounding_box()["width"] >= 300
        # and the code and the status are still there, under it.
        assert cells.nth(i).locator("a.font-monospace").is_visible()
        assert cells.nth(i).locator(".badge").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
