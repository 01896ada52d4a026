"""The demo's clock: services run on the real clock, and what a step stamped is dated on the story's day."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from audit.services import record_event
from dialogue_portal.demo.clock import DemoClock, at

DAY = datetime.date(2024, 5, 16)


@pytest.fixture
def user(db):
    return get_user_model().objects.create(username="lan")


def test_a_step_is_dated_on_the_story_day_and_the_services_see_the_real_clock(user):
    clock = DemoClock()
    earlier = record_event(obj=user, action="earlier")
    with clock.on(DAY, 10) as moment:
        assert timezone.now() > moment  # nothing is patched under the services
        event = record_event(obj=user, action="created")
    event.refresh_from_db()
    assert moment == at(DAY, 10)
    assert moment <= event.created_at < moment + datetime.timedelta(seconds=5)
    earlier.refresh_from_db()
    assert earlier.created_at > timezone.now() - datetime.timedelta(minutes=5)  # written before the step: untouched


def test_two_steps_on_the_same_moment_keep_their_order(user):
    clock = DemoClock()
    with clock.on(DAY, 10):
        first = record_event(obj=user, action="first")
    with clock.on(DAY, 10):
        second = record_event(obj=user, action="second")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.created_at < second.created_at < at(DAY, 10) + datetime.timedelta(seconds=5)


def test_the_clock_refuses_a_moment_that_has_not_come():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValueError, match="in the past"), DemoClock().on(tomorrow):
        pass
