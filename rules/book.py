"""The rule in force on a date: the one lookup every check uses.

A rule applies on `day` when `valid_from <= day <= valid_to` (open-ended without `valid_to`). A
rule for the unit's level wins over one for every level; among those, the latest start wins.
`RuleBook` loads the rules of some keys in one query and answers from memory, so a loop over
many rows (a reminder scan, a list page) costs one query; the module functions answer a single
question with one query. Reports turn the same rules into SQL with `RuleBook.condition`, one
branch per validity segment (`RuleBook.segments`).

When no rule is in force — one policy, two questions:
- `value_on` answers what a deadline *must* be (a petition's answer or acknowledgement date, a
  reminder's lead time or threshold): it falls back to the value `rules.defaults.DEFAULT_RULES`
  gives the key (for the level, else for every level), and logs a warning once per book, key
  and level, so nothing is silently left without a deadline;
- `in_force` answers whether something can be *judged* (a figure, a warning, a requirement, the
  deadline shown for a notice): it returns None, and the caller judges nothing.
"""

import datetime
import logging

from django.db.models import Q

from rules.defaults import default_value
from rules.models import Rule, RuleNotFound

logger = logging.getLogger(__name__)

# (level, valid_from, valid_to, value), one validity segment of a rule.
Segment = tuple[str, datetime.date, datetime.date | None, int]


class RuleBook:
    """The rules of `keys` (every key when none is given), loaded in one query, answered from memory."""

    def __init__(self, *keys: str):
        rules = Rule.objects.all()
        if keys:
            rules = rules.filter(key__in=[str(k) for k in keys])
        self._segments: dict[str, list[Segment]] = {}
        for key, level, valid_from, valid_to, value in rules.values_list(
            "key", "level", "valid_from", "valid_to", "value"
        ):
            self._segments.setdefault(key, []).append((level, valid_from, valid_to, value))
        for segments in self._segments.values():
            segments.sort(key=lambda s: (s[0] == "", -s[1].toordinal()))
        self._warned: set[tuple[str, str]] = set()

    def segments(self, key: str) -> list[Segment]:
        """Return the rules of `key` as (level, valid_from, valid_to, value), in order of precedence.

        Rules for a level come before rules for every level; among those, the latest start first.
        So the first segment that applies to a (level, day) is the rule in force.
        """
        return self._segments.get(str(key), [])

    def in_force(self, key: str, day: datetime.date, level: str = "") -> int | None:
        """Return the value of rule `key` in force on `day` for `level`, or None when no rule is in force."""
        for rule_level, valid_from, valid_to, value in self.segments(key):
            if rule_level in ("", level) and valid_from <= day and (valid_to is None or day <= valid_to):
                return value
        return None

    def value_on(self, key: str, day: datetime.date, level: str = "") -> int:
        """Return the value in force on `day` for `level`, else the default of `DEFAULT_RULES` (logged).

        Raise RuleNotFound when neither a rule nor a default exists for the key and level.
        """
        value = self.in_force(key, day, level)
        if value is not None:
            return value
        value = default_value(key, level)
        if value is None:
            raise RuleNotFound(f"No rule '{key}' in force on {day:%d/%m/%Y} and no default")
        if (str(key), str(level)) not in self._warned:
            self._warned.add((str(key), str(level)))
            logger.warning(
                "No rule %s in force on %s for level %r; using the default %s", str(key), day, str(level), value
            )
        return value

    def largest(self, key: str) -> int:
        """Return the largest value rule `key` ever takes, or its default (a scan's horizon)."""
        values = [segment[3] for segment in self.segments(key)]
        return max(values) if values else default_value(key) or 0

    def condition(self, key: str, *, level_field: str, date_field: str, test) -> Q:
        """Return a condition true for the rows whose rule in force (by level and date) satisfies `test(value)`.

        `test` maps a rule value to a Q. Rules are few, so the condition is a small OR of
        (this rule is the one in force for the row) AND test; a row with no rule in force matches
        none of them (as `in_force` → None: nothing is judged).
        """
        condition, shadowed = None, None
        for rule_level, valid_from, valid_to, value in self.segments(key):
            applies = Q(**{f"{date_field}__gte": valid_from})
            if valid_to:
                applies &= Q(**{f"{date_field}__lte": valid_to})
            if rule_level:
                applies &= Q(**{level_field: rule_level})
            branch = applies & test(value) if shadowed is None else applies & ~shadowed & test(value)
            condition = branch if condition is None else condition | branch
            shadowed = applies if shadowed is None else shadowed | applies
        return condition if condition is not None else Q(pk__in=[])


def in_force(key: str, day: datetime.date, level: str = "") -> int | None:
    """Return the value of rule `key` in force on `day` for `level`, or None (one query; see `RuleBook.in_force`)."""
    return RuleBook(key).in_force(key, day, level)


def value_on(key: str, day: datetime.date, level: str = "") -> int:
    """Return the value in force on `day` for `level`, else the default (one query; see `RuleBook.value_on`)."""
    return RuleBook(key).value_on(key, day, level)
