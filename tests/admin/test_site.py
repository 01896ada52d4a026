"""The admin's header: translatable titles and the portal's language switch."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.functional import Promise


def test_admin_titles_are_translatable_english_source_strings():
    for title in (admin.site.site_header, admin.site.site_title, admin.site.index_title):
        assert isinstance(title, Promise), title
    assert str(admin.site.site_header) == "Direct dialogue portal — Decision 2200-QĐ/TU"
    assert str(admin.site.site_title) == "Dialogue portal administration"
    assert str(admin.site.index_title) == "System administration"


@pytest.mark.django_db
def test_admin_header_carries_the_language_switch(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    html = response.content.decode()
    assert "Direct dialogue portal — Decision 2200-QĐ/TU" in html
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language"' in html


@pytest.mark.django_db
def test_admin_login_page_carries_the_language_switch(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert f'action="{reverse("set_language")}"' in html


@pytest.mark.django_db
def test_switching_language_from_the_admin_persists(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("set_language"), {"language": "vi", "next": reverse("admin:index")})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "vi"
