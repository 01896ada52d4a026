"""Fixtures for the follow-up tests: held conferences with conclusions and petitions, and notices."""

import datetime

import pytest
from django.utils import timezone

from conferences.services import add_conclusion_item, announce_conference, record_conference_held
from followup import services
from petitions.models import Channel
from tests import factories as f


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The cast's passwords are hashed for every test; a fast hasher keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_held_conference(unit, *, by, held_days_ago: int = 3, items: int = 1, petitions: int = 2, **fields):
    """Return a conference of `unit` moved to held through the services, with conclusions and petitions."""
    today = timezone.localdate()
    held_on = today - datetime.timedelta(days=held_days_ago)
    conference = f.ConferenceFactory(
        unit=unit, planned_start=timezone.now() - datetime.timedelta(days=held_days_ago), **fields
    )
    announce_conference(conference=conference, invitation_sent_on=held_on - datetime.timedelta(days=10), by=by)
    record_conference_held(conference=conference, held_on=held_on, by=by, attendance=120)
    raised = [
        f.PetitionFactory(
            unit=unit, conference=conference, channel=Channel.CONFERENCE, title=f"Ý kiến số {n + 1} tại hội nghị"
        )
        for n in range(petitions)
    ]
    for n in range(items):
        add_conclusion_item(
            conference=conference,
            text=f"Kết luận {n + 1}: giao Phòng Kinh tế - Hạ tầng kiểm tra, xử lý",
            by=by,
            deadline=today + datetime.timedelta(days=30),
            petitions=raised[:1],
        )
    conference.refresh_from_db()
    return conference


@pytest.fixture
def held_conference(world):
    """A conference of ward A held three days ago, with one conclusion item and two petitions raised."""
    return make_held_conference(world.ward_a, by=world.alice)


@pytest.fixture
def held_conference_b(world):
    return make_held_conference(world.ward_b, by=world.bob)


@pytest.fixture
def draft_notice(world, held_conference):
    return services.draft_notice_from_conference(conference=held_conference, by=world.alice)


@pytest.fixture
def numbered_notice(draft_notice):
    """A draft notice with its number and date of issue, ready for approval."""
    draft_notice.number = "12-TB/ĐU"
    draft_notice.issued_on = timezone.localdate()
    draft_notice.save(update_fields=["number", "issued_on"])
    return draft_notice


@pytest.fixture
def approved_notice(world, numbered_notice):
    return services.approve_notice(notice=numbered_notice, by=world.chris)


@pytest.fixture
def notice_b(world, held_conference_b):
    return services.draft_notice_from_conference(conference=held_conference_b, by=world.bob)
