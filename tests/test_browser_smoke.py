import pytest

from tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_official_signs_in_and_lands_on_dashboard(world, desktop_page, live_server):
    sign_in(desktop_page, live_server.url, "alice")
    assert "/portal/" in desktop_page.url
    screenshot(desktop_page, "smoke-dashboard")
