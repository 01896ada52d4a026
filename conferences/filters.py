"""Filters of the conference list. The unit choices are the units the official may see."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from conferences.forms import date_input
from conferences.models import Conference, ConferenceFormat, ConferenceKind, ConferenceStatus
from units.models import AdministrativeUnit


class ConferenceFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=AdministrativeUnit.objects.none(), empty_label=_("All units")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ConferenceKind.choices, empty_label=_("All kinds"))
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=ConferenceFormat.choices, empty_label=_("All formats")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ConferenceStatus.choices, empty_label=_("All statuses")
    )
    year = django_filters.NumberFilter(
        label=_("Year"),
        field_name="planned_start",
        lookup_expr="year",
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "placeholder": "yyyy"}),
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="planned_start", lookup_expr="date__gte", widget=date_input()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="planned_start", lookup_expr="date__lte", widget=date_input()
    )

    class Meta:
        model = Conference
        fields = ["unit", "kind", "format", "status", "year", "date_from", "date_to"]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.filters["unit"].queryset = units
