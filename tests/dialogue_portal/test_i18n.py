"""Vietnamese first: whatever the browser says, until the person switches language."""

import datetime

import pytest
from django import forms
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_vietnamese_whatever_the_browser_says(vi_client):
    response = vi_client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()


def test_language_switch_persists_in_a_cookie(vi_client):
    client = vi_client
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    again = client.get("/accounts/login/")
    assert again["Content-Language"] == "en"
    assert '<html lang="en">' in again.content.decode()


def test_unknown_language_cookie_falls_back_to_vietnamese(vi_client):
    client = vi_client
    client.cookies["django_language"] = "fr"
    assert client.get("/accounts/login/")["Content-Language"] == "vi"


class _DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_date_input_accepts_dd_mm_yyyy(language):
    with translation.override(language):
        form = _DateForm(data={"day": "25/11/2026"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2026, 11, 25)


def test_dates_are_shown_dd_mm_yyyy():
    from django.utils.formats import date_format

    with translation.override("vi"):
        assert date_format(datetime.date(2026, 11, 5), "SHORT_DATE_FORMAT") == "05/11/2026"


def test_csrf_failure_page_is_vietnamese_and_plain():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "alice", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Không gửi được biểu mẫu" in page and '<html lang="vi">' in page
    assert "CSRF verification failed" not in page and "DEBUG=True" not in page


def test_nul_character_error_is_vietnamese():
    class TitleForm(forms.Form):
        title = forms.CharField()

    with translation.override("vi"):
        form = TitleForm(data={"title": "abc\x00def"})
        assert not form.is_valid()
        assert form.errors["title"] == ["Không được dùng ký tự rỗng (NUL)."]
