"""The rules in force by default: Decision 2200-QĐ/TU as adapted since (see `rules.models`).

Loaded by a data migration and by `load_demo`; the same values as the tests'
`install_default_rules`. An administrator edits them (closing a rule with `valid_to` and adding
a new one) when the rules change.
"""

import datetime

from rules.models import RuleKey
from units.models import UnitLevel

VALID_FROM = datetime.date(2017, 5, 25)
DECISION_2200 = "Quyết định 2200-QĐ/TU ngày 25/5/2017 của Thành ủy Hà Nội"

# (key, level, value, legal basis)
DEFAULT_RULES: list[tuple[str, str, int, str]] = [
    (RuleKey.INVITATION_LEAD_DAYS, "", 7, DECISION_2200),
    (RuleKey.NOTICE_DEADLINE_DAYS, "", 10, DECISION_2200),
    (RuleKey.ACKNOWLEDGEMENT_WORKING_DAYS, "", 10, f"{DECISION_2200}; Quy định 11-QĐi/TW"),
    (RuleKey.ANSWER_WORKING_DAYS, "", 30, DECISION_2200),
    (RuleKey.OVERDUE_ESCALATION_WORKING_DAYS, "", 5, DECISION_2200),
    (RuleKey.PLAN_APPROVAL_DEADLINE_DAY_OF_YEAR, "", 31, DECISION_2200),
    (RuleKey.MIN_PERIODIC_CONFERENCES, UnitLevel.COMMUNE, 1, DECISION_2200),
    (RuleKey.MIN_PERIODIC_CONFERENCES, UnitLevel.DISTRICT, 1, DECISION_2200),
]


def install_default_rules(rule_model=None) -> int:
    """Create the default rules that are missing; return how many were created (idempotent).

    `rule_model` lets a data migration pass its historical model.
    """
    if rule_model is None:
        from rules.models import Rule as rule_model
    created = 0
    for key, level, value, basis in DEFAULT_RULES:
        _rule, was_created = rule_model.objects.get_or_create(
            key=str(key), level=str(level), valid_from=VALID_FROM, defaults={"value": value, "legal_basis": basis}
        )
        created += was_created
    return created


def default_value(key: str, level: str = "") -> int | None:
    """Return the value `DEFAULT_RULES` gives `key` for `level`, else for every level; None when it gives none.

    The fallback of `rules.book.RuleBook.value_on` when no rule is in force on the date checked.
    """
    values: dict[str, dict[str, int]] = {str(k): {} for k, _l, _v, _b in DEFAULT_RULES}
    for k, rule_level, value, _basis in DEFAULT_RULES:
        values[str(k)][str(rule_level)] = value
    by_level = values.get(str(key), {})
    return by_level.get(str(level), by_level.get(""))
