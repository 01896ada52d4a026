"""The conference and minutes workflows, pinned by hand (the plan's is pinned in test_services.py).

The service tests walk every pair and follow the tables in conferences/models.py; these are written
out independently, so an edge added to or dropped from a table fails here.
"""

from conferences.models import CONFERENCE_TRANSITIONS, MINUTES_TRANSITIONS, ConferenceStatus, MinutesStatus

EXPECTED_CONFERENCE = {
    ("planned", "announced"),
    ("planned", "postponed"),
    ("planned", "cancelled"),
    ("announced", "held"),
    ("announced", "postponed"),
    ("announced", "cancelled"),
    ("postponed", "planned"),  # rescheduled
    ("postponed", "announced"),
    ("postponed", "cancelled"),
    ("held", "concluded"),  # its notice is published
    ("concluded", "closed"),  # every conclusion carried out
}

EXPECTED_MINUTES = {
    ("none", "draft"),
    ("draft", "approved"),
    ("approved", "locked"),
    ("approved", "draft"),  # returned for correction before it is locked
}


def pairs(table):
    return {(str(current), str(target)) for current, targets in table.items() for target in targets}


def test_conference_transitions_are_exactly_the_written_workflow():
    assert pairs(CONFERENCE_TRANSITIONS) == EXPECTED_CONFERENCE
    assert {str(s) for s in CONFERENCE_TRANSITIONS} == set(ConferenceStatus.values)


def test_minutes_transitions_are_exactly_the_written_workflow():
    assert pairs(MINUTES_TRANSITIONS) == EXPECTED_MINUTES
    assert {str(s) for s in MINUTES_TRANSITIONS} == set(MinutesStatus.values)
