"""My data: with a tracking code and the contact given, download what the portal holds, or erase it."""

import json

from django.urls import reverse

from petitions.models import Petition
from tests.citizens.conftest import EMAIL, NAME, PHONE_FORMS

MY_DATA = reverse("citizens:my_data")


def prove(client, code, contact):
    return client.post(MY_DATA, {"code": code, "contact": contact})


def test_code_and_phone_in_any_format_open_the_data(client, world, submitted):
    petition = submitted()
    for phone in PHONE_FORMS:
        client.session.flush()
        response = prove(client, petition.display_code.lower(), phone)
        assert response.status_code == 302, phone
        assert response["Location"] == reverse("citizens:my_data_result")


def test_download_lists_every_petition_of_that_contact_and_nothing_of_others(client, world, submitted):
    mine, also_mine = submitted(), submitted(title="Thứ hai", petitioner_email="")
    other = submitted(title="Của người khác", petitioner_phone="+84987654321", petitioner_email="x@example.vn")
    prove(client, mine.tracking_code, "0912345678")
    response = client.get(reverse("citizens:my_data_download"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    codes = {p["tracking_code"] for p in data["petitions"]}
    assert codes == {mine.display_code, also_mine.display_code}
    assert other.display_code not in codes
    first = data["petitions"][0]
    assert first["name"] == NAME and first["email"] == EMAIL and first["address"] == "Số 15 ngõ 12"
    assert first["recorded_addresses"][0]["ip_address"] == "203.0.113.5"


def test_email_opens_the_data_case_insensitively(client, world, submitted):
    petition = submitted()
    assert prove(client, petition.tracking_code, EMAIL.upper()).status_code == 302


def test_wrong_contact_or_code_gets_the_same_generic_answer(client, world, submitted):
    petition = submitted()
    wrong_contact = prove(client, petition.tracking_code, "0987654321")
    wrong_code = prove(client, "0000000000", "0912345678")
    for response in (wrong_contact, wrong_code):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
    assert client.get(reverse("citizens:my_data_download"))["Location"] == MY_DATA


def test_erasure_needs_a_confirmation_and_keeps_the_substance(client, world, submitted):
    petition = submitted()
    prove(client, petition.tracking_code, EMAIL)
    confirm = client.get(reverse("citizens:my_data_erase"))
    assert confirm.status_code == 200
    assert Petition.objects.get(pk=petition.pk).petitioner_name == NAME  # nothing erased on GET
    response = client.post(reverse("citizens:my_data_erase"))
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.anonymised_at is not None
    assert (petition.petitioner_name, petition.petitioner_email, str(petition.petitioner_phone)) == ("", "", "")
    assert petition.title == "Đề nghị sửa đèn chiếu sáng ngõ 12"
    # The proof is used up; the contact no longer matches anything.
    assert client.get(reverse("citizens:my_data_result"))["Location"] == MY_DATA
    assert prove(client, petition.tracking_code, EMAIL).status_code == 200


def test_proof_expires(client, world, submitted, monkeypatch):
    import time

    petition = submitted()
    prove(client, petition.tracking_code, EMAIL)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 16 * 60)
    assert client.get(reverse("citizens:my_data_result"))["Location"] == MY_DATA


# --- E-mail alerts of the same addresses ----------------------------------------------------------


def alert_subscription(world, email=EMAIL, ward=None, confirmed=True):
    from django.utils import timezone

    from notifications.models import AlertSubscription

    return AlertSubscription.objects.create(
        email=email.lower(), unit=ward or world.ward_a, confirmed_at=timezone.now() if confirmed else None
    )


def test_download_includes_the_alert_subscriptions_of_the_addresses_given(client, world, submitted):
    petition = submitted()
    alert_subscription(world)
    alert_subscription(world, ward=world.ward_b, confirmed=False)
    alert_subscription(world, email="someone.else@example.vn")
    prove(client, petition.tracking_code, "0912345678")
    page = client.get(reverse("citizens:my_data_result")).content.decode()
    assert "e-mail alerts of" in page and str(world.ward_b) in page
    data = json.loads(client.get(reverse("citizens:my_data_download")).content)
    found = sorted((s["email"], s["ward"], s["confirmed_at"] is None) for s in data["alert_subscriptions"])
    assert found == sorted([(EMAIL.lower(), str(world.ward_a), False), (EMAIL.lower(), str(world.ward_b), True)])


def test_erasure_deletes_the_alert_subscriptions_of_the_addresses_given(client, world, submitted):
    from notifications.models import AlertSubscription

    petition = submitted()
    alert_subscription(world)
    alert_subscription(world, ward=world.ward_b, confirmed=False)
    kept = alert_subscription(world, email="someone.else@example.vn")
    prove(client, petition.tracking_code, EMAIL)
    assert (
        "alert subscriptions (2 wards) will be deleted"
        in client.get(reverse("citizens:my_data_erase")).content.decode()
    )
    client.post(reverse("citizens:my_data_erase"))
    assert list(AlertSubscription.objects.all()) == [kept]
