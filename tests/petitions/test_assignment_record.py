"""What an assignment leaves behind, and deadlines by the unit's level (found by `make mutate`:
these mutants of petitions/services.py survived the rest of the suite)."""

import datetime

from django.utils import timezone

from audit.models import AuditEvent
from petitions import services
from petitions.models import AssignmentKind
from rules.models import Rule, RuleKey
from rules.workdays import add_working_days
from tests.petitions.conftest import accepted


def test_an_assignment_records_who_assigned_it_and_its_audit_event_names_the_organisation(world):
    petition = accepted(world, world.ward_a, world.alice)
    due_on = timezone.localdate() + datetime.timedelta(days=20)
    services.assign_petition(petition=petition, organisation=world.land_a, by=world.alice, due_on=due_on)

    assignment = petition.assignments.get()
    assert (assignment.kind, assignment.organisation, assignment.assigned_by) == (
        AssignmentKind.ASSIGN,
        world.land_a,
        world.alice,
    )
    assert assignment.note == "" and assignment.due_on == due_on
    event = AuditEvent.objects.for_object(petition).get(action="assigned")
    assert event.actor == world.alice
    assert event.data == {
        "organisation": world.land_a.pk,
        "organisation_name": world.land_a.name,
        "due_on": due_on.isoformat(),
    }


def test_the_answer_and_acknowledgement_deadlines_follow_the_rule_of_the_units_level(world):
    start = datetime.date(2026, 11, 2)
    level = world.ward_a.level
    for key, days in ((RuleKey.ANSWER_WORKING_DAYS, 4), (RuleKey.ACKNOWLEDGEMENT_WORKING_DAYS, 2)):
        Rule.objects.create(key=key, level=level, value=days, valid_from=datetime.date(2026, 1, 1))
    assert services.answer_due_date(unit=world.ward_a, start=start) == add_working_days(start, 4)
    assert services.acknowledgement_due_date(unit=world.ward_a, start=start) == add_working_days(start, 2)
