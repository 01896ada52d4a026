"""The e-mail alerts' subscribe page: the ward's pages lead to it, the CAPTCHA and the rate limits guard it,
and a valid request sends only the confirmation e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import AlertSubscription, NotificationKind
from tests import factories as f

SUBSCRIBE = reverse("opendata:alert_subscribe")
EMAIL = "hoa.nguyen@example.vn"


@pytest.fixture
def form(world, captcha_passes):
    def build(**overrides):
        data = {"email": EMAIL, "ward": world.ward_a.pk, "captcha_0": "x", "captcha_1": "PASSED", "website": ""}
        data.update(overrides)
        return data

    return build


def test_a_request_sends_only_the_confirmation(client, world, form, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBSCRIBE, form())
    assert response.status_code == 302 and response["Location"] == reverse("opendata:alert_requested")
    page = client.get(response["Location"]).content.decode()
    assert "Check your e-mail" in page and str(world.ward_a) in page and EMAIL not in page
    (sent,) = mail.outbox
    assert sent.to == [EMAIL] and sent.extra_headers["X-Portal-Kind"] == NotificationKind.ALERT_CONFIRM
    subscription = AlertSubscription.objects.get()
    assert subscription.unit == world.ward_a and subscription.confirmed_at is None


def test_a_wrong_captcha_or_address_is_a_clear_error_and_nothing_is_recorded(client, world, form):
    wrong = client.post(SUBSCRIBE, form(captcha_1="WRONG"))
    assert wrong.status_code == 200 and "do not match the picture" in wrong.content.decode()
    bad = client.post(SUBSCRIBE, form(email="not-an-address"))
    assert "Enter a valid e-mail address" in bad.content.decode()
    assert 'value="not-an-address"' in bad.content.decode()  # what was typed stays
    old_ward = f.UnitFactory(
        name="Cũ", code="99909", parent=world.district, valid_from="2014-01-01", valid_to="2025-06-30"
    )
    gone = client.post(SUBSCRIBE, form(ward=old_ward.pk))
    assert gone.context["form"].errors["ward"]
    assert not AlertSubscription.objects.exists() and mail.outbox == []


def test_the_honeypot_refuses_robots(client, world, form):
    response = client.post(SUBSCRIBE, form(website="http://spam.example"))
    assert response.status_code == 200 and not AlertSubscription.objects.exists()


def test_requests_are_rate_limited_per_address_typed(client, world, form, settings):
    settings.CITIZENS_RATE_ALERTS_PER_EMAIL = "3/h"
    statuses = [client.post(SUBSCRIBE, form(), REMOTE_ADDR=f"203.0.113.{i}").status_code for i in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_requests_are_rate_limited_per_network_address(client, world, form, settings):
    settings.CITIZENS_RATE_ALERTS_PER_IP = "2/h"
    statuses = [client.post(SUBSCRIBE, form(email=f"p{i}@example.vn")).status_code for i in range(3)]
    assert statuses == [302, 302, 429]


def test_the_wards_pages_and_the_open_data_page_lead_to_the_form(client, world):
    conference = f.ConferenceFactory(unit=world.ward_a)
    link = f'href="{SUBSCRIBE}?ward={world.ward_a.pk}"'
    assert link in client.get(reverse("citizens:notice_list"), {"ward": world.ward_a.pk}).content.decode()
    assert link in client.get(reverse("citizens:conference_calendar"), {"ward": world.ward_a.pk}).content.decode()
    assert link in client.get(reverse("citizens:conference_detail", args=[conference.pk])).content.decode()
    assert f'href="{SUBSCRIBE}"' in client.get(reverse("opendata:open_data")).content.decode()
    page = client.get(SUBSCRIBE, {"ward": world.ward_a.pk})
    assert page.context["form"]["ward"].value() == world.ward_a.pk


def test_the_subscribe_page_is_vietnamese(vi_client, world):
    page = vi_client.get(SUBSCRIBE).content.decode()
    assert "Nhận tin qua e-mail" in page
