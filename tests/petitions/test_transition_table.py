"""The petition workflow, pinned by hand.

`tests/petitions/test_services.py` walks every (current, target) pair through the services and
follows PETITION_TRANSITIONS; this table is written out independently, so a transition added to
or dropped from the model (say resolved → accepted) fails here until someone decides it is right.
"""

from petitions.models import PETITION_TRANSITIONS, PetitionStatus

EXPECTED = {
    ("submitted", "accepted"),
    ("submitted", "rejected"),
    ("submitted", "answered_on_spot"),
    ("accepted", "in_progress"),
    ("accepted", "transferred"),
    ("accepted", "answered_on_spot"),
    ("accepted", "answered"),
    ("accepted", "rejected"),
    ("in_progress", "in_progress"),  # reassigned to another organisation
    ("in_progress", "transferred"),
    ("in_progress", "answered"),
    ("in_progress", "rejected"),
    ("transferred", "in_progress"),
    ("transferred", "transferred"),
    ("transferred", "answered"),
    ("answered_on_spot", "resolved"),
    ("answered_on_spot", "in_progress"),  # the citizen says it is not resolved: reopened
    ("answered", "resolved"),
    ("answered", "in_progress"),
    ("resolved", "in_progress"),
    ("rejected", "accepted"),  # a rejection reconsidered
}


def pairs(table):
    return {(str(current), str(target)) for current, targets in table.items() for target in targets}


def test_petition_transitions_are_exactly_the_written_workflow():
    assert pairs(PETITION_TRANSITIONS) == EXPECTED


def test_every_petition_status_has_a_row_and_no_other_key():
    assert {str(s) for s in PETITION_TRANSITIONS} == set(PetitionStatus.values)
