"""Rules as data: the rule in force on the date checked, level-specific over generic."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from rules.defaults import DEFAULT_RULES, VALID_FROM, install_default_rules
from rules.models import Rule, RuleKey, RuleNotFound
from tests.factories import install_default_rules as install_test_rules
from units.models import UnitLevel

D = datetime.date


@pytest.fixture
def rules(db):
    install_default_rules()


def test_default_rules_are_those_of_decision_2200(rules):
    assert Rule.value_on(RuleKey.INVITATION_LEAD_DAYS, D(2026, 1, 1)) == 7
    assert Rule.value_on(RuleKey.NOTICE_DEADLINE_DAYS, D(2026, 1, 1)) == 10
    assert Rule.value_on(RuleKey.ACKNOWLEDGEMENT_WORKING_DAYS, D(2026, 1, 1)) == 10
    assert Rule.value_on(RuleKey.ANSWER_WORKING_DAYS, D(2026, 1, 1)) == 30
    assert Rule.value_on(RuleKey.OVERDUE_ESCALATION_WORKING_DAYS, D(2026, 1, 1)) == 5
    assert Rule.value_on(RuleKey.PLAN_APPROVAL_DEADLINE_DAY_OF_YEAR, D(2026, 1, 1)) == 31
    assert Rule.value_on(RuleKey.MIN_PERIODIC_CONFERENCES, D(2026, 1, 1), UnitLevel.COMMUNE) == 1
    assert Rule.value_on(RuleKey.MIN_PERIODIC_CONFERENCES, D(2026, 1, 1), UnitLevel.DISTRICT) == 1
    assert all("2200-QĐ/TU" in rule.legal_basis for rule in Rule.objects.filter(valid_from=VALID_FROM))
    assert "11-QĐi/TW" in Rule.objects.get(key=RuleKey.ACKNOWLEDGEMENT_WORKING_DAYS, valid_from=VALID_FROM).legal_basis


def test_default_rules_and_the_test_rules_coexist(rules):
    count = Rule.objects.count()
    install_test_rules()
    assert install_default_rules() == 0
    assert Rule.objects.count() == count == len(DEFAULT_RULES)


def test_no_rule_before_decision_2200(rules):
    with pytest.raises(RuleNotFound):
        Rule.value_on(RuleKey.ANSWER_WORKING_DAYS, D(2017, 5, 24))


def test_the_rule_in_force_on_the_date_checked_wins(rules):
    Rule.objects.filter(key=RuleKey.ANSWER_WORKING_DAYS, level="").update(valid_to=D(2025, 6, 30))
    Rule.objects.create(key=RuleKey.ANSWER_WORKING_DAYS, level="", value=20, valid_from=D(2025, 7, 1))
    assert Rule.value_on(RuleKey.ANSWER_WORKING_DAYS, D(2025, 6, 30)) == 30
    assert Rule.value_on(RuleKey.ANSWER_WORKING_DAYS, D(2025, 7, 1)) == 20
    assert Rule.value_on(RuleKey.ANSWER_WORKING_DAYS, D(2026, 3, 1), UnitLevel.COMMUNE) == 20


def test_a_rule_for_the_level_wins_over_the_generic_rule(rules):
    Rule.objects.create(key=RuleKey.INVITATION_LEAD_DAYS, level=UnitLevel.COMMUNE, value=10, valid_from=D(2025, 7, 1))
    assert Rule.value_on(RuleKey.INVITATION_LEAD_DAYS, D(2026, 1, 1), UnitLevel.COMMUNE) == 10
    assert Rule.value_on(RuleKey.INVITATION_LEAD_DAYS, D(2026, 1, 1), UnitLevel.DISTRICT) == 7
    assert Rule.value_on(RuleKey.INVITATION_LEAD_DAYS, D(2026, 1, 1)) == 7
    # Before the level's own rule existed, the generic one applied.
    assert Rule.value_on(RuleKey.INVITATION_LEAD_DAYS, D(2025, 6, 30), UnitLevel.COMMUNE) == 7


def test_a_level_without_its_own_rule_and_no_generic_rule_has_none(rules):
    with pytest.raises(RuleNotFound):
        Rule.value_on(RuleKey.MIN_PERIODIC_CONFERENCES, D(2026, 1, 1), UnitLevel.CITY)


def test_clean_rejects_two_rules_of_one_kind_and_level_in_force_together(rules):
    clash = Rule(key=RuleKey.ANSWER_WORKING_DAYS, level="", value=15, valid_from=D(2026, 1, 1))
    with pytest.raises(ValidationError):
        clash.clean()
    Rule.objects.filter(key=RuleKey.ANSWER_WORKING_DAYS, level="").update(valid_to=D(2025, 12, 31))
    clash.clean()  # no longer overlapping
