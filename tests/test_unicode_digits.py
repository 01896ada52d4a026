"""Digits that are not ASCII: "³".isdigit() is True but int("³") raises, so a query parameter or a posted id
written with a superscript must be ignored (or read as the number it is), never turn into a server error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOSTILE = ["³", "²⁰²⁶", "①"]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_conference_calendar_ignores_a_unit_written_in_superscripts(client, world, value):
    client.force_login(world.alice)
    assert client.get(reverse("conferences:conference_calendar"), {"unit": value}).status_code == 200


@pytest.mark.parametrize("value", HOSTILE)
def test_bulk_assign_ignores_ids_written_in_superscripts(client, world, value):
    client.force_login(world.alice)
    response = client.post(reverse("petitions:bulk_assign"), {"ids": [value]})
    assert response.status_code == 302  # back to the inbox: "tick the petitions you may assign first"


@pytest.mark.parametrize("value", HOSTILE)
def test_open311_service_definition_of_a_superscript_code_is_a_404(client, value):
    assert client.get(f"/open311/v2/services/{value}.json").status_code == 404
