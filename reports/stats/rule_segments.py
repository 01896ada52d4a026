"""The rules in force as SQL: one condition per validity segment of a rule."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Q

from rules.models import Rule

# --- Rules in force, as SQL ------------------------------------------------------------------------


def _rule_segments(key: str) -> list[tuple[str, datetime.date, datetime.date | None, int]]:
    """Return the rules of `key` as (level, valid_from, valid_to, value), in `Rule.value_on`'s precedence.

    A rule for a level wins over one for every level; among those, the latest start wins.
    """
    rules = list(Rule.objects.filter(key=key).values_list("level", "valid_from", "valid_to", "value"))
    rules.sort(key=lambda r: (r[0] == "", -r[1].toordinal()))
    return rules


def _rule_value(segments, day: datetime.date, level: str) -> int | None:
    """Return the value in force on `day` for `level` from preloaded segments (as `Rule.value_on`)."""
    for rule_level, valid_from, valid_to, value in segments:
        if rule_level in ("", level) and valid_from <= day and (valid_to is None or day <= valid_to):
            return value
    return None


def _in_force(level_field: str, date_field: str, rule_level: str, valid_from, valid_to) -> Q:
    q = Q(**{f"{date_field}__gte": valid_from})
    if valid_to:
        q &= Q(**{f"{date_field}__lte": valid_to})
    if rule_level:
        q &= Q(**{level_field: rule_level})
    return q


def _first_matching_rule(segments, level_field: str, date_field: str, test: Callable[[int], Q]) -> Q:
    """Return a condition true when the rule in force for the row (by level and date) satisfies `test(value)`.

    Rules are few, so the condition is a small OR of (this rule is the one in force) AND test.
    """
    condition, shadowed = None, None
    for rule_level, valid_from, valid_to, value in segments:
        applies = _in_force(level_field, date_field, rule_level, valid_from, valid_to)
        branch = applies & test(value) if shadowed is None else applies & ~shadowed & test(value)
        condition = branch if condition is None else condition | branch
        shadowed = applies if shadowed is None else shadowed | applies
    return condition if condition is not None else Q(pk__in=[])
