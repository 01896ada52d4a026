"""The conference import in the admin: a button on the changelist, a form, the errors or a summary."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conferences.models import Conference

HEADER = "unit_code,held_on,kind,status,title,external_ref"


@pytest.fixture
def old_wards(world):
    for ward in (world.ward_a, world.ward_b):
        ward.valid_from = datetime.date(2008, 8, 1)
        ward.save()
    return world


def _upload(*rows):
    return SimpleUploadedFile("old.csv", ("\ufeff" + "\n".join([HEADER, *rows]) + "\n").encode(), "text/csv")


URL = "admin:conferences_conference_import"


@pytest.mark.django_db
def test_changelist_offers_the_import(client, superuser, old_wards):
    client.force_login(superuser)
    response = client.get(reverse("admin:conferences_conference_changelist"))
    assert reverse(URL) in response.content.decode()
    assert client.get(reverse(URL)).status_code == 200


@pytest.mark.django_db
def test_import_view_shows_each_bad_line_and_imports_nothing(client, superuser, old_wards):
    client.force_login(superuser)
    response = client.post(
        reverse(URL),
        {"file": _upload("99901,2019-03-15,periodic,held,Tốt,R1", "99901,2019-03-15,yearly,held,Xấu,R2")},
    )
    assert response.status_code == 200
    assert [e.line for e in response.context["result"].errors] == [3]
    assert "yearly" in response.content.decode()
    assert Conference.objects.count() == 0


@pytest.mark.django_db
def test_import_view_dry_run_then_import(client, superuser, old_wards):
    client.force_login(superuser)
    response = client.post(reverse(URL), {"file": _upload("99901,2019-03-15,periodic,held,Tốt,R1"), "dry_run": "on"})
    assert response.status_code == 200
    assert response.context["result"].created == 1
    assert Conference.objects.count() == 0
    response = client.post(reverse(URL), {"file": _upload("99901,2019-03-15,periodic,held,Tốt,R1")})
    assert response.status_code == 302
    conference = Conference.objects.get()
    assert conference.external_ref == "R1" and conference.created_by == superuser


@pytest.mark.django_db
def test_ward_a_staff_cannot_import_for_ward_b(client, staff_alice, old_wards):
    from django.contrib.auth.models import Permission

    staff_alice.user_permissions.add(Permission.objects.get(codename="add_conference"))
    client.force_login(staff_alice)
    response = client.post(reverse(URL), {"file": _upload("99902,2019-03-15,periodic,held,Của phường B,R1")})
    assert response.status_code == 200
    assert [e.line for e in response.context["result"].errors] == [2]
    assert not Conference.objects.filter(external_ref="R1").exists()


@pytest.mark.django_db
def test_staff_without_add_permission_gets_403(client, staff_alice):
    client.force_login(staff_alice)
    assert client.get(reverse(URL)).status_code == 403


@pytest.mark.django_db
def test_supervisor_cannot_import_conferences_for_the_wards_below(client, old_wards):
    # The permission matrix: a supervising official reads the wards' conferences, never records them.
    from django.contrib.auth.models import Permission

    sam = old_wards.sam
    sam.is_staff = True
    sam.save(update_fields=["is_staff"])
    sam.user_permissions.add(*Permission.objects.filter(codename__in=["add_conference", "change_conference"]))
    client.force_login(sam)
    response = client.post(reverse(URL), {"file": _upload("99901,2019-03-15,periodic,held,Của phường A,R1")})
    assert response.status_code == 200
    assert [e.line for e in response.context["result"].errors] == [2]
    assert not Conference.objects.filter(external_ref="R1").exists()
