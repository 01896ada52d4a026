"""Postponement keeps history (issue 8 §4): figures per quarter for postponed conferences.

A conference postponed out of a quarter counts as postponed in that quarter, and as held in the
quarter where it was held; the date first planned stays on the conference and on its plan item.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conferences import services
from conferences.models import ConferenceStatus, PlanStatus
from reports import stats
from tests import factories as f

pytestmark = pytest.mark.django_db

Q3 = (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
Q4 = (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
Q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


def at(day, hour=8):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def quarter(world, bounds) -> dict:
    """Return ward A's periodic conferences of a quarter: held, planned, postponed, cancelled."""
    scope = stats.Scope.for_unit(world.ward_a, *bounds)
    not_held = stats.conferences_not_held(scope)["periodic"]
    return {"held": stats.conferences_held(scope)["periodic"]["total"], **not_held}


def announce_and_hold(conference, world, day):
    services.announce_conference(
        conference=conference, invitation_sent_on=day - datetime.timedelta(days=8), by=world.alice
    )
    services.record_conference_held(conference=conference, held_on=day, by=world.alice)


@pytest.fixture
def planned_in_q3(world):
    plan = f.PlanFactory(unit=world.ward_a, year=2025, status=PlanStatus.APPROVED)
    item = f.PlanItemFactory(plan=plan, quarter=3)
    return f.ConferenceFactory(
        unit=world.ward_a, plan_item=item, status=ConferenceStatus.PLANNED, planned_start=at(datetime.date(2025, 8, 15))
    )


def test_a_conference_postponed_from_q3_into_q4_counts_as_postponed_in_q3_and_held_in_q4(client, world, planned_in_q3):
    conference = planned_in_q3
    assert quarter(world, Q3) == {"held": 0, "planned": 1, "postponed": 0, "cancelled": 0}
    services.postpone_conference(
        conference=conference, reason="Trùng lịch họp HĐND", new_start=at(datetime.date(2025, 10, 20)), by=world.alice
    )
    # Postponed to a date in Q4, not yet held: postponed in Q3, planned in Q4.
    assert quarter(world, Q3) == {"held": 0, "planned": 0, "postponed": 1, "cancelled": 0}
    assert quarter(world, Q4) == {"held": 0, "planned": 1, "postponed": 0, "cancelled": 0}

    announce_and_hold(conference, world, datetime.date(2025, 10, 20))
    assert quarter(world, Q3) == {"held": 0, "planned": 0, "postponed": 1, "cancelled": 0}
    assert quarter(world, Q4) == {"held": 1, "planned": 0, "postponed": 0, "cancelled": 0}

    conference.refresh_from_db()
    assert conference.originally_planned_start == at(datetime.date(2025, 8, 15))
    assert conference.plan_item.quarter == 3  # the plan item keeps its quarter
    # The plan page shows the date first planned beside the conference.
    client.force_login(world.alice)
    html = client.get(reverse("conferences:plan_detail", args=[conference.plan_item.plan_id])).content.decode()
    assert "15/08/2025" in html and "data-original-start" in html


def test_two_successive_postponements_count_in_each_quarter_they_left(world, planned_in_q3):
    conference = planned_in_q3
    services.postpone_conference(
        conference=conference, reason="Trùng lịch", new_start=at(datetime.date(2025, 10, 20)), by=world.alice
    )
    services.announce_conference(conference=conference, invitation_sent_on=datetime.date(2025, 10, 10), by=world.alice)
    services.postpone_conference(
        conference=conference, reason="Mưa bão", new_start=at(datetime.date(2026, 1, 15)), by=world.alice
    )
    announce_and_hold(conference, world, datetime.date(2026, 1, 15))

    assert quarter(world, Q3) == {"held": 0, "planned": 0, "postponed": 1, "cancelled": 0}
    assert quarter(world, Q4) == {"held": 0, "planned": 0, "postponed": 1, "cancelled": 0}
    assert quarter(world, Q1) == {"held": 1, "planned": 0, "postponed": 0, "cancelled": 0}
    # The whole of 2025: it left the year once; counted once.
    assert quarter(world, (Q3[0].replace(month=1), Q4[1]))["postponed"] == 1
    moves = [(m.from_start, m.to_start, m.reason) for m in conference.postponements.all()]
    assert moves == [
        (at(datetime.date(2025, 8, 15)), at(datetime.date(2025, 10, 20)), "Trùng lịch"),
        (at(datetime.date(2025, 10, 20)), at(datetime.date(2026, 1, 15)), "Mưa bão"),
    ]
    conference.refresh_from_db()
    assert conference.originally_planned_start == at(datetime.date(2025, 8, 15))


def test_a_postponement_within_the_quarter_is_not_a_postponement_of_the_quarter(world, planned_in_q3):
    services.postpone_conference(
        conference=planned_in_q3, reason="Đổi hội trường", new_start=at(datetime.date(2025, 9, 20)), by=world.alice
    )
    announce_and_hold(planned_in_q3, world, datetime.date(2025, 9, 20))
    assert quarter(world, Q3) == {"held": 1, "planned": 0, "postponed": 0, "cancelled": 0}


def test_a_postponement_without_a_new_date_counts_as_postponed_where_it_was_planned(world, planned_in_q3):
    services.postpone_conference(conference=planned_in_q3, reason="Chờ ý kiến của quận", by=world.alice)
    assert quarter(world, Q3)["postponed"] == 1
    services.reschedule_conference(
        conference=planned_in_q3, planned_start=at(datetime.date(2025, 11, 5)), by=world.alice
    )
    move = planned_in_q3.postponements.get()
    assert move.to_start == at(datetime.date(2025, 11, 5))  # the one postponement gets its new date
    assert quarter(world, Q3)["postponed"] == 1
    assert quarter(world, Q4) == {"held": 0, "planned": 1, "postponed": 0, "cancelled": 0}
