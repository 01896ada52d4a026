"""The form to request a report: a unit in the person's scope, a period, a format."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import Report
from reports.services import ReportError, period_bounds
from units.forms import UnitChoiceField
from units.models import AdministrativeUnit, UnitLevel
from units.permissions import unit_ids_in_scope

PERIOD_CHOICES = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("half", _("First 6 months")),
    ("nine_months", _("First 9 months")),
    ("year", _("Year")),
    ("range", _("Any range of dates")),
]


class ReportRequestForm(forms.Form):
    unit = UnitChoiceField(
        label=_("Unit"), queryset=AdministrativeUnit.objects.none(), help_text=_("The unit and every unit below it.")
    )
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, initial="year")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    part = forms.IntegerField(
        label=_("Month or quarter"), min_value=1, max_value=12, required=False, help_text=_("For a month or a quarter.")
    )
    start = forms.DateField(label=_("From"), required=False, help_text=_("For a range of dates."))
    end = forms.DateField(label=_("To"), required=False)
    format = forms.ChoiceField(label=_("Format"), choices=Report.Format.choices, initial=Report.Format.PDF)
    as_of_today_units = forms.BooleanField(label=_("Count abolished units' records on today's units"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = unit_ids_in_scope(user)
        units = AdministrativeUnit.objects.select_related("parent").filter(
            level__in=[UnitLevel.CITY, UnitLevel.DISTRICT, UnitLevel.COMMUNE]
        )
        self.fields["unit"].queryset = units if scope is None else units.filter(pk__in=scope)
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period == "range":
            if not data.get("start") or not data.get("end"):
                raise forms.ValidationError(_("Give both dates of the range."))
            if data["end"] < data["start"]:
                raise forms.ValidationError(_("The end of the period cannot be before its start."))
        elif period:
            try:
                data["start"], data["end"] = period_bounds(
                    period, data.get("year") or timezone.localdate().year, data.get("part")
                )
            except ReportError as exc:
                raise forms.ValidationError(str(exc))
        if data.get("end") and data["end"] > datetime.date(2100, 1, 1):
            raise forms.ValidationError(_("The period is too far in the future."))
        return {
            "unit": data.get("unit"),
            "start": data.get("start"),
            "end": data.get("end"),
            "format": data.get("format"),
            "as_of_today_units": data.get("as_of_today_units", False),
        }
