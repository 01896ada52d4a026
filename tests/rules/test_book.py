"""The rule in force, preloaded for loops, and the one default policy when no rule is in force."""

import datetime
import logging

import pytest

from rules.book import RuleBook, in_force, value_on
from rules.defaults import default_value, install_default_rules
from rules.models import Rule, RuleKey, RuleNotFound
from units.models import UnitLevel

D = datetime.date


@pytest.fixture
def rules(db):
    install_default_rules()
    # The answer deadline changed on 1/7/2025; communes got their own invitation lead time then.
    Rule.objects.filter(key=RuleKey.ANSWER_WORKING_DAYS).update(valid_to=D(2025, 6, 30))
    Rule.objects.create(key=RuleKey.ANSWER_WORKING_DAYS, value=20, valid_from=D(2025, 7, 1))
    Rule.objects.create(key=RuleKey.INVITATION_LEAD_DAYS, level=UnitLevel.COMMUNE, value=10, valid_from=D(2025, 7, 1))


def test_a_book_loads_its_rules_in_one_query_and_answers_as_rule_value_on(rules, django_assert_num_queries):
    with django_assert_num_queries(1):
        book = RuleBook(RuleKey.ANSWER_WORKING_DAYS, RuleKey.INVITATION_LEAD_DAYS)
    with django_assert_num_queries(0):
        answers = [
            book.in_force(key, day, level)
            for key in (RuleKey.ANSWER_WORKING_DAYS, RuleKey.INVITATION_LEAD_DAYS)
            for day in (D(2017, 5, 24), D(2025, 6, 30), D(2025, 7, 1), D(2026, 3, 1))
            for level in ("", UnitLevel.COMMUNE, UnitLevel.DISTRICT)
        ]
    expected = []
    for key in (RuleKey.ANSWER_WORKING_DAYS, RuleKey.INVITATION_LEAD_DAYS):
        for day in (D(2017, 5, 24), D(2025, 6, 30), D(2025, 7, 1), D(2026, 3, 1)):
            for level in ("", UnitLevel.COMMUNE, UnitLevel.DISTRICT):
                try:
                    expected.append(Rule.value_on(key, day, level))
                except RuleNotFound:
                    expected.append(None)
    assert answers == expected
    assert expected[:3] == [None, None, None]  # before Decision 2200
    assert book.in_force(RuleKey.ANSWER_WORKING_DAYS, D(2025, 6, 30)) == 30
    assert book.in_force(RuleKey.ANSWER_WORKING_DAYS, D(2025, 7, 1)) == 20
    assert book.in_force(RuleKey.INVITATION_LEAD_DAYS, D(2026, 3, 1), UnitLevel.COMMUNE) == 10
    assert book.in_force(RuleKey.INVITATION_LEAD_DAYS, D(2026, 3, 1), UnitLevel.DISTRICT) == 7


def test_segments_come_in_order_of_precedence(rules):
    segments = RuleBook(RuleKey.INVITATION_LEAD_DAYS).segments(RuleKey.INVITATION_LEAD_DAYS)
    assert [(level, value) for level, _f, _t, value in segments] == [(UnitLevel.COMMUNE, 10), ("", 7)]
    answer = RuleBook(RuleKey.ANSWER_WORKING_DAYS).segments(RuleKey.ANSWER_WORKING_DAYS)
    assert [value for *_rest, value in answer] == [20, 30]  # the latest start first


def test_without_a_rule_in_force_value_on_falls_back_to_the_default_and_logs_once(rules, caplog):
    Rule.objects.filter(key=RuleKey.ANSWER_WORKING_DAYS).delete()
    book = RuleBook(RuleKey.ANSWER_WORKING_DAYS)
    assert book.in_force(RuleKey.ANSWER_WORKING_DAYS, D(2026, 3, 1), UnitLevel.COMMUNE) is None
    with caplog.at_level(logging.WARNING, logger="rules.book"):
        for _ in range(3):
            assert book.value_on(RuleKey.ANSWER_WORKING_DAYS, D(2026, 3, 1), UnitLevel.COMMUNE) == 30
    assert [r.getMessage() for r in caplog.records].count(
        "No rule answer_working_days in force on 2026-03-01 for level 'commune'; using the default 30"
    ) == 1
    assert value_on(RuleKey.ANSWER_WORKING_DAYS, D(2026, 3, 1)) == default_value(RuleKey.ANSWER_WORKING_DAYS) == 30
    assert in_force(RuleKey.ANSWER_WORKING_DAYS, D(2026, 3, 1)) is None


def test_the_default_follows_the_level_and_a_level_without_one_has_none(db):
    assert default_value(RuleKey.MIN_PERIODIC_CONFERENCES, UnitLevel.COMMUNE) == 1
    assert default_value(RuleKey.MIN_PERIODIC_CONFERENCES, UnitLevel.CITY) is None
    assert default_value(RuleKey.INVITATION_LEAD_DAYS, UnitLevel.COMMUNE) == 7  # the rule for every level
    with pytest.raises(RuleNotFound):
        RuleBook(RuleKey.MIN_PERIODIC_CONFERENCES).value_on(RuleKey.MIN_PERIODIC_CONFERENCES, D(2026, 1, 1), "city")


def test_a_petition_deadline_without_a_rule_in_force_uses_the_default(db):
    from petitions.services import answer_due_date
    from rules.workdays import add_working_days
    from tests.factories import UnitFactory

    unit = UnitFactory()
    Rule.objects.all().delete()
    assert answer_due_date(unit=unit, start=D(2026, 3, 2)) == add_working_days(D(2026, 3, 2), 30)
