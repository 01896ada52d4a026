"""Hostile input on every public form: a clear message, never a 500, never an unescaped echo; rate limits."""

import unicodedata

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from petitions.models import Petition

SCRIPT = "<script>alert('x')</script>"
HOSTILE = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE petitions_petition; --",
    "1 OR 1=1",
    "abc\x00def",
    "\x00",
    "A" * 20000,
    unicodedata.normalize("NFD", "Đường ngập úng nghiêm trọng ở ngõ 12") * 10,
    "𝕳𝖊𝖑𝖑𝖔 \u202e\u200b\ufeff",
    "../../etc/passwd",
    "{{ settings.SECRET_KEY }}",
    "%(name)s {0} %s",
]
TEXT_FIELDS = [
    "title",
    "content",
    "location",
    "petitioner_name",
    "petitioner_phone",
    "petitioner_email",
    "unit",
    "category",
    "kind",
    "requested_conference",
]


def assert_safe(response):
    assert response.status_code < 500
    assert b"<script>alert" not in response.content
    assert b"<img src=x" not in response.content
    assert django_settings.SECRET_KEY.encode() not in response.content


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_petition_form_survives_hostile_values(client, world, form_data, field, value):
    response = client.post(reverse("citizens:petition_new"), form_data(**{field: value}))
    assert_safe(response)
    if response.status_code == 302:  # accepted as a draft: it must then preview safely
        assert_safe(client.get(reverse("citizens:petition_preview")))


@pytest.mark.parametrize("value", HOSTILE)
def test_nul_bytes_and_overlong_text_are_refused_by_the_form(client, world, form_data, value):
    response = client.post(reverse("citizens:petition_new"), form_data(title=value, content=value))
    if "\x00" in value or len(value) > 10000:
        assert response.status_code == 200 and response.context["form"].errors


def test_decomposed_vietnamese_is_stored_composed(client, world, send):
    nfd = unicodedata.normalize("NFD", "Đường ngập úng ở ngõ 12")
    assert nfd != unicodedata.normalize("NFC", nfd)
    petition = send(title=nfd, content=nfd, petitioner_name=unicodedata.normalize("NFD", "Nguyễn Thị Hoa"))
    assert petition.title == unicodedata.normalize("NFC", nfd)
    assert unicodedata.is_normalized("NFC", petition.content)
    assert petition.petitioner_name == "Nguyễn Thị Hoa"


def test_script_in_a_sent_petition_is_escaped_everywhere(client, world, send, answered):
    petition = send(title=SCRIPT, content=SCRIPT, location=SCRIPT, petitioner_name=SCRIPT)
    assert petition.title == SCRIPT
    for url in [
        reverse("citizens:track_detail", args=[petition.tracking_code]),
        reverse("citizens:petition_sent"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert_safe(response)
        assert "&lt;script&gt;" in response.content.decode() or url.endswith("da-gui/")


@pytest.mark.parametrize("value", HOSTILE)
def test_tracking_survives_hostile_codes(client, world, value):
    assert_safe(client.get(reverse("citizens:track"), {"code": value}))
    path_value = value.replace("/", "_")[:200] or "x"
    assert_safe(client.get(reverse("citizens:track_detail", args=["x"]).replace("x/", "") + path_value + "/"))


@pytest.mark.parametrize("value", HOSTILE)
def test_verdict_form_survives_hostile_values(client, world, submitted, answered, value):
    petition = submitted()
    answered(petition)
    url = reverse("citizens:verdict", args=[petition.tracking_code])
    response = client.post(url, {"verdict": "resolved", "rating": value, "comment": value})
    assert_safe(response)
    response = client.post(url, {"verdict": value, "rating": "3", "comment": value})
    assert_safe(response)


@pytest.mark.parametrize("value", HOSTILE)
def test_my_data_form_survives_hostile_values(client, world, submitted, value):
    petition = submitted()
    assert_safe(client.post(reverse("citizens:my_data"), {"code": value, "contact": value}))
    assert_safe(client.post(reverse("citizens:my_data"), {"code": petition.tracking_code, "contact": value}))


@pytest.mark.parametrize("value", HOSTILE)
def test_send_step_survives_hostile_captcha_values(client, world, form_data, value):
    client.post(reverse("citizens:petition_new"), form_data())
    response = client.post(
        reverse("citizens:petition_preview"), {"captcha_0": value, "captcha_1": value, "website": value}
    )
    assert_safe(response)
    assert not Petition.objects.exists()


@pytest.mark.parametrize("value", HOSTILE)
def test_list_filters_survive_hostile_values(client, world, value):
    for name in ["citizens:notice_list", "citizens:conference_calendar", "citizens:home"]:
        assert_safe(client.get(reverse(name), {"ward": value, "year": value, "page": value}))


def test_huge_body_is_refused_cleanly(client, world, form_data):
    response = client.post(reverse("citizens:petition_new"), form_data(content="A" * (13 * 1024 * 1024)))
    assert response.status_code == 400


def test_wrong_content_type_body_is_not_a_500(client, world):
    response = client.generic(
        "POST", reverse("citizens:petition_new"), b"\x00\xff{not json", content_type="application/json"
    )
    assert_safe(response)
    response = client.generic(
        "POST", reverse("citizens:petition_new"), b"--x\r\nbroken", content_type="multipart/form-data; boundary=x"
    )
    assert_safe(response)


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=texts, content=texts, name=texts, phone=texts, email=texts, location=texts)
def test_petition_form_never_fails_on_any_text(client, world, form_data, title, content, name, phone, email, location):
    data = form_data(
        title=title,
        content=content,
        petitioner_name=name,
        petitioner_phone=phone,
        petitioner_email=email,
        location=location,
    )
    response = client.post(reverse("citizens:petition_new"), data)
    assert response.status_code in (200, 302)
    assert b"<script>alert" not in response.content


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=texts, contact=texts)
def test_tracking_and_my_data_never_fail_on_any_text(client, world, code, contact, settings):
    settings.CITIZENS_RATE_TRACK_PER_IP = "100000/h"
    settings.CITIZENS_RATE_MY_DATA_PER_IP = "100000/h"
    assert client.get(reverse("citizens:track"), {"code": code}).status_code in (302, 404)
    assert client.post(reverse("citizens:my_data"), {"code": code, "contact": contact}).status_code == 200


# --- Rate limits -------------------------------------------------------------------------------------


def test_failed_captchas_do_not_lock_a_phone_number(client, world, form_data, captcha_passes):
    """Someone typing wrong CAPTCHAs with a victim's number (from many addresses) does not stop the victim."""
    client.post(reverse("citizens:petition_new"), form_data())
    statuses = [
        client.post(
            reverse("citizens:petition_preview"), {"captcha_0": "x", "captcha_1": "bad"}, REMOTE_ADDR=f"198.51.100.{n}"
        ).status_code
        for n in range(12)
    ]
    assert statuses == [200] * 12
    response = client.post(reverse("citizens:petition_preview"), {"captcha_0": "x", "captcha_1": "PASSED"})
    assert response.status_code == 302 and Petition.objects.count() == 1


def test_petitions_sent_are_limited_per_phone_number(client, world, send):
    for n in range(5):
        assert send(remote_addr=f"198.51.100.{n}") is not None
    assert send(remote_addr="198.51.100.77") is None  # the sixth within the hour, from another address
    assert Petition.objects.count() == 5
    # Another number is not affected.
    assert send(remote_addr="198.51.100.78", petitioner_phone="0987 654 321") is not None


def test_sending_is_limited_per_address(client, world, send, settings):
    """Only petitions sent count against the address (20 an hour by default), whatever the phone number."""
    settings.CITIZENS_RATE_SEND_PER_IP = "3/h"
    for n in range(3):
        assert send(petitioner_phone=f"09123456{n:02d}") is not None
    assert send(petitioner_phone="0912345699") is None
    assert Petition.objects.count() == 3


def test_wrong_captchas_do_not_use_up_the_sending_allowance_of_an_address(client, world, form_data, send):
    """A conference hall's Wi-Fi shares one address: people mistyping the picture must not stop the others."""
    client.post(reverse("citizens:petition_new"), form_data())
    statuses = [
        client.post(reverse("citizens:petition_preview"), {"captcha_0": "x", "captcha_1": "bad"}).status_code
        for _ in range(25)
    ]
    assert statuses == [200] * 25
    assert send(remote_addr="127.0.0.1") is not None


def test_wrong_captchas_have_their_own_budget_per_address(client, world, form_data, captcha_passes, settings):
    settings.CITIZENS_RATE_CAPTCHA_FAILURES_PER_IP = "3/h"
    client.post(reverse("citizens:petition_new"), form_data())
    preview = reverse("citizens:petition_preview")
    statuses = [client.post(preview, {"captcha_0": "x", "captcha_1": "bad"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Over the budget even a right answer waits for the window: guessing the picture gains nothing.
    assert client.post(preview, {"captcha_0": "x", "captcha_1": "PASSED"}).status_code == 429
    assert Petition.objects.count() == 0


def test_the_429_page_and_retry_after_tell_the_real_window(client, world, settings):
    settings.CITIZENS_RATE_TRACK_PER_IP = "1/h"
    unknown = reverse("citizens:track_detail", args=["0000000000"])
    client.get(unknown)
    response = client.get(unknown)
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 3600
    minutes = -(-retry_after // 60)
    assert f"Please try again in {minutes} minute" in response.content.decode()

    settings.CITIZENS_RATE_TRACK_PER_IP = "1/d"
    client.get(unknown, REMOTE_ADDR="192.0.2.9")
    response = client.get(unknown, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429 and int(response["Retry-After"]) > 3600


def test_the_429_page_is_vietnamese(client, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    settings.CITIZENS_RATE_TRACK_PER_IP = "1/h"
    unknown = reverse("citizens:track_detail", args=["0000000000"])
    client.get(unknown)
    assert "Vui lòng thử lại sau" in client.get(unknown).content.decode()


def test_rate_limits_can_be_switched_off_for_a_load_test(client, world, settings):
    settings.RATELIMIT_ENABLE = False
    settings.CITIZENS_RATE_TRACK_PER_IP = "1/h"
    unknown = reverse("citizens:track_detail", args=["0000000000"])
    assert [client.get(unknown).status_code for _ in range(5)] == [404] * 5


def test_tracking_counts_only_unknown_codes_per_address(client, world, submitted):
    """People behind one carrier address (CGNAT) may all follow their petitions; guessers are stopped."""
    petition = submitted()
    own = reverse("citizens:track_detail", args=[petition.tracking_code])
    for _ in range(40):
        assert client.get(own).status_code == 200
        assert client.get(reverse("citizens:track"), {"code": petition.tracking_code}).status_code == 302
    unknown = reverse("citizens:track_detail", args=["0000000000"])
    assert [client.get(unknown).status_code for _ in range(31)] == [404] * 30 + [429]
    response = client.get(unknown)
    assert response.status_code == 429 and "Too many requests" in response.content.decode()
    # Over the limit, a right code is refused too: the answer tells a guesser nothing.
    assert client.get(own).status_code == 429
    assert client.get(reverse("citizens:track"), {"code": petition.tracking_code}).status_code == 429
    # Guessing through the form counts the same way, per address.
    other = {"REMOTE_ADDR": "192.0.2.1"}
    statuses = [client.get(reverse("citizens:track"), {"code": "0000000000"}, **other).status_code for _ in range(31)]
    assert statuses == [404] * 30 + [429]


def test_my_data_is_limited_per_contact_across_addresses(client, world, submitted):
    petition = submitted()
    data = {"code": "0000000000", "contact": "0912 345 678"}
    statuses = [
        client.post(reverse("citizens:my_data"), data, REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(11)
    ]
    assert statuses == [200] * 10 + [429]
    # Another contact, from another address, is not affected.
    other = submitted(petitioner_phone="+84987654321", petitioner_email="")
    response = client.post(
        reverse("citizens:my_data"),
        {"code": other.tracking_code, "contact": "0987654321"},
        REMOTE_ADDR="198.51.100.200",
    )
    assert response.status_code == 302
    assert petition.pk != other.pk


def test_my_data_is_limited_per_address(client, world):
    statuses = [
        client.post(reverse("citizens:my_data"), {"code": "0000000000", "contact": "0912345678"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_petition_is_saved_when_the_rate_limit_cache_is_down(client, world, send, monkeypatch):
    import redis
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "add", down)
    monkeypatch.setattr(cache, "incr", down)
    petition = send()
    assert petition is not None and petition.tracking_code
