"""Greetings: Vietnamese names family name first; other languages "first last"."""

import datetime
from types import SimpleNamespace

import pytest

from notifications.models import NotificationKind, NotificationPreference
from tests import factories as f
from tests.notifications.conftest import at, messages_of
from tests.notifications.test_reminders import run_twice
from units.models import Role
from units.names import display_name

pytestmark = pytest.mark.django_db


def test_greeting_name_puts_the_family_name_first_in_vietnamese():
    user = SimpleNamespace(first_name="Minh", last_name="Trần Văn", get_username=lambda: "minh")
    assert display_name(user, "vi") == "Trần Văn Minh"
    assert display_name(user, "en") == "Minh Trần Văn"
    nameless = SimpleNamespace(first_name="", last_name="", get_username=lambda: "minh")
    assert display_name(nameless, "vi") == "minh"


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


def test_overdue_digest_tells_the_recipients_own_petitions_from_those_under_their_supervision(world, now_day):
    from petitions.models import PetitionStatus
    from tests.notifications.test_reminders import petition

    empty = f.UnitFactory(parent=world.district, valid_from=datetime.date(2020, 1, 1))  # nobody to answer there
    theirs = petition(world, now_day - datetime.timedelta(days=2), unit=world.ward_a)
    unattended = f.PetitionFactory(
        unit=empty,
        status=PetitionStatus.ACCEPTED,
        handling_org=None,
        due_on=now_day - datetime.timedelta(days=2),
        category=world.category,
    )
    run_twice("overdue", now_day)
    digests = {m.to[0]: m for m in messages_of(NotificationKind.OVERDUE_DIGEST)}
    sam, hana = digests["sam@example.vn"].body, digests["hana@example.vn"].body
    # Sam supervises the empty ward: its petition is not "his".
    assert "Các đơn vị bạn giám sát có 1 kiến nghị quá hạn" in sam and "Bạn có" not in sam
    assert unattended.display_code in sam
    # Hana's handling unit answers the other one: hers.
    assert "Bạn có 1 kiến nghị quá hạn" in hana and "giám sát" not in hana
    assert theirs.display_code in hana
