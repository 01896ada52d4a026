"""Rule.clean (the admin's check): validity periods of one kind and level never overlap, to the day."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from rules.models import Rule, RuleKey
from units.models import UnitLevel

D = datetime.date
KEY = RuleKey.NOTICE_DEADLINE_DAYS


@pytest.fixture
def rule_2025(db):
    """The only rule of its kind for communes: in force through 2025."""
    Rule.objects.filter(key=KEY).delete()
    return Rule.objects.create(
        key=KEY, level=UnitLevel.COMMUNE, value=10, valid_from=D(2025, 1, 1), valid_to=D(2025, 12, 31)
    )


def candidate(valid_from, valid_to=None, level=UnitLevel.COMMUNE, key=KEY):
    return Rule(key=key, level=level, value=12, valid_from=valid_from, valid_to=valid_to)


def test_a_rule_may_be_in_force_for_a_single_day(rule_2025):
    candidate(D(2026, 3, 1), D(2026, 3, 1)).clean()


def test_a_rule_cannot_end_before_it_starts(rule_2025):
    with pytest.raises(ValidationError) as error:
        candidate(D(2026, 3, 2), D(2026, 3, 1)).clean()
    assert "valid_to" in error.value.message_dict


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [
        (D(2026, 1, 1), None),  # the day after the old one ends
        (D(2024, 1, 1), D(2024, 12, 31)),  # ends the day before the old one starts
    ],
)
def test_periods_that_only_touch_do_not_clash(rule_2025, valid_from, valid_to):
    candidate(valid_from, valid_to).clean()


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [
        (D(2025, 12, 31), None),  # starts on the old one's last day
        (D(2024, 1, 1), D(2025, 1, 1)),  # ends on the old one's first day
        (D(2025, 6, 1), D(2025, 6, 30)),  # inside it
        (D(2024, 1, 1), None),  # around it
    ],
)
def test_periods_sharing_a_day_clash(rule_2025, valid_from, valid_to):
    with pytest.raises(ValidationError):
        candidate(valid_from, valid_to).clean()


def test_an_open_ended_rule_clashes_with_any_later_start(rule_2025):
    rule_2025.valid_to = None
    rule_2025.save()
    with pytest.raises(ValidationError):
        candidate(D(2030, 1, 1), D(2030, 12, 31)).clean()


def test_another_level_or_another_kind_does_not_clash(rule_2025):
    candidate(D(2025, 6, 1), level=UnitLevel.DISTRICT).clean()
    candidate(D(2025, 6, 1), key=RuleKey.INVITATION_LEAD_DAYS).clean()


def test_a_rule_does_not_clash_with_itself_when_edited(rule_2025):
    rule_2025.value = 11
    rule_2025.clean()
