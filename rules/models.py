"""Rules as data, each valid for a period, and the working-day calendar.

The text of Decision 2200 is not at hand and the rules have changed since (Law on Local
Government 2025, Art. 43; Quy định 11-QĐi/TW), so the minimum number of conferences, lead
times and deadlines are records an administrator edits. Every check uses the rule in force
on the date checked.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import UnitLevel


class RuleKey(models.TextChoices):
    MIN_PERIODIC_CONFERENCES = "min_periodic_conferences", _("Minimum periodic conferences per year")
    INVITATION_LEAD_DAYS = "invitation_lead_days", _("Invitation lead time (calendar days before)")
    NOTICE_DEADLINE_DAYS = "notice_deadline_days", _("Follow-up notice deadline (calendar days after)")
    ACKNOWLEDGEMENT_WORKING_DAYS = "acknowledgement_working_days", _("Acknowledgement deadline (working days)")
    ANSWER_WORKING_DAYS = "answer_working_days", _("Answer deadline (working days)")
    OVERDUE_ESCALATION_WORKING_DAYS = (
        "overdue_escalation_working_days",
        _("Copy the supervisor when overdue by more than (working days)"),
    )
    PLAN_APPROVAL_DEADLINE_DAY_OF_YEAR = (
        "plan_approval_deadline_day",
        _("Yearly plan approved by (day of the year, 1–366)"),
    )


class RuleNotFound(LookupError):
    """No rule of that key is in force on that date."""


class Rule(models.Model):
    key = models.CharField(_("rule"), max_length=64, choices=RuleKey.choices)
    level = models.CharField(
        _("level"),
        max_length=16,
        choices=UnitLevel.choices,
        blank=True,
        help_text=_("Empty: applies to every level. A rule for a level wins over one for every level."),
    )
    value = models.PositiveIntegerField(_("value"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["key", "level", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "level", "valid_from"], name="rule_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="rule_valid_to_after_valid_from",
            ),
        ]

    def __str__(self):
        return f"{self.get_key_display()}: {self.value}"

    def clean(self):
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end of validity cannot be before its start.")})
        clash = Rule.objects.filter(key=self.key, level=self.level).exclude(pk=self.pk)
        clash = clash.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to:
            clash = clash.filter(valid_from__lte=self.valid_to)
        if clash.exists():
            raise ValidationError(_("Another rule of this kind and level is in force during the same period."))

    @classmethod
    def value_on(cls, key: str, day: datetime.date, level: str = "") -> int:
        """Return the value of rule `key` in force on `day` for `level` (raise RuleNotFound if none).

        The strict single lookup; `rules.book` has the batch form and the default policy.
        """
        from rules.book import in_force

        value = in_force(key, day, level)
        if value is None:
            raise RuleNotFound(f"No rule '{key}' in force on {day:%d/%m/%Y}")
        return value


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    DAY_OFF = "day_off", _("Swapped day off")
    WORKING_DAY = "working_day", _("Make-up working day (a weekend day worked)")


class Holiday(models.Model):
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=HolidayKind.choices, default=HolidayKind.HOLIDAY)
    name = models.CharField(_("name"), max_length=150, help_text=_("E.g. 'Tết Nguyên đán'."))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"
