"""Greetings: Vietnamese names family name first; other languages "first last"."""

import datetime
from types import SimpleNamespace

import pytest

from notifications.emails import greeting_name
from notifications.models import NotificationKind, NotificationPreference
from tests import factories as f
from tests.notifications.conftest import at, messages_of
from tests.notifications.test_reminders import run_twice
from units.models import Role

pytestmark = pytest.mark.django_db


def test_greeting_name_puts_the_family_name_first_in_vietnamese():
    user = SimpleNamespace(
        first_name="Minh", last_name="Trần Văn", get_full_name=lambda: "Minh Trần Văn", get_username=lambda: "minh"
    )
    assert greeting_name(user, "vi") == "Trần Văn Minh"
    assert greeting_name(user, "en") == "Minh Trần Văn"
    nameless = SimpleNamespace(first_name="", last_name="", get_full_name=lambda: "", get_username=lambda: "minh")
    assert greeting_name(nameless, "vi") == "minh"


def test_reminder_greets_a_vietnamese_official_family_name_first(world, now_day):
    minh = f.UserFactory(username="minh", first_name="Minh", last_name="Trần Văn", email="minh@example.vn")
    lan = f.UserFactory(username="lan", first_name="Lan", last_name="Nguyễn Thị", email="lan@example.vn")
    f.MembershipFactory(user=minh, unit=world.ward_b, role=Role.CHAIR)
    f.MembershipFactory(user=lan, unit=world.ward_b, role=Role.CHAIR)
    NotificationPreference.objects.create(user=lan, language="en")
    f.ConferenceFactory(unit=world.ward_b, planned_start=at(now_day + datetime.timedelta(days=1)))
    run_twice("conference_upcoming", now_day)
    by_address = {m.to[0]: m for m in messages_of(NotificationKind.CONFERENCE_UPCOMING)}
    assert "Trần Văn Minh" in by_address["minh@example.vn"].body
    assert "Minh Trần Văn" not in by_address["minh@example.vn"].body
    assert "Lan Nguyễn Thị" in by_address["lan@example.vn"].body
