"""People are named family name first in Vietnamese ("Lê Thu Hà"), everywhere."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tests import factories as f
from units.names import display_name

pytestmark = pytest.mark.django_db


def test_display_name_puts_the_family_name_first_in_vietnamese():
    ha = f.UserFactory(username="ha", first_name="Hà", last_name="Lê Thu")
    with translation.override("vi"):
        assert display_name(ha) == "Lê Thu Hà"
    with translation.override("en"):
        assert display_name(ha) == "Hà Lê Thu"
    assert display_name(ha, "vi") == "Lê Thu Hà"
    assert display_name(f.UserFactory(username="nameless", first_name="", last_name="")) == "nameless"
    assert display_name(None) == ""


def test_the_template_filter_and_the_conference_tags_agree():
    ha = f.UserFactory(username="ha", first_name="Hà", last_name="Lê Thu")
    with translation.override("vi"):
        units = Template("{% load units_tags %}{{ user|person_name }}").render(Context({"user": ha}))
        conferences = Template("{% load conference_tags %}{{ user|person_name }}").render(Context({"user": ha}))
    assert units == conferences == "Lê Thu Hà"


def test_the_officials_menu_names_the_person_family_name_first(client, world):
    world.alice.first_name, world.alice.last_name = "Hà", "Lê Thu"
    world.alice.save()
    client.force_login(world.alice)
    client.cookies["django_language"] = "vi"
    page = client.get("/portal/conferences/").content.decode()
    assert "Lê Thu Hà" in page and "Hà Lê Thu" not in page


def test_the_admin_history_names_who_changed_a_record_family_name_first(client, world):
    from conferences.services import cancel_conference

    world.alice.first_name, world.alice.last_name = "Hà", "Lê Thu"
    world.alice.save()
    conference = f.ConferenceFactory(unit=world.ward_a)
    cancel_conference(conference=conference, reason="Mưa bão", by=world.alice)
    conference.history.update(history_user=world.alice)
    client.force_login(f.UserFactory(username="root", is_superuser=True, is_staff=True))
    client.cookies["django_language"] = "vi"
    page = client.get(f"/admin/conferences/conference/{conference.pk}/history/").content.decode()
    assert "Lê Thu Hà" in page
