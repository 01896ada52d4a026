"""Filters of the conference list. The unit choices are the units the official may see."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conferences.forms import date_input
from conferences.models import HELD_STATUSES, Conference, ConferenceFormat, ConferenceKind, ConferenceStatus
from units.forms import UnitChoiceFilter
from units.models import AdministrativeUnit

__all__ = ["ConferenceFilter"]


class ConferenceFilter(django_filters.FilterSet):
    unit = UnitChoiceFilter(label=_("Unit"), queryset=AdministrativeUnit.objects.none(), empty_label=_("All units"))
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
    date_from = django_filters.DateFilter(label=_("From"), method="filter_date_from", widget=date_input())
    date_to = django_filters.DateFilter(label=_("To"), method="filter_date_to", widget=date_input())
    held = django_filters.BooleanFilter(
        label=_("Held only"),
        method="filter_held",
        widget=forms.CheckboxInput,
        help_text=_("Held, concluded or closed; the dates are then the dates they were held."),
    )
    upcoming = django_filters.BooleanFilter(
        label=_("Coming up only"), method="filter_upcoming", widget=forms.CheckboxInput
    )

    class Meta:
        model = Conference
        fields = ["unit", "kind", "format", "status", "year", "date_from", "date_to", "held", "upcoming"]

    def _date_field(self) -> str:
        # Held conferences are placed in time by the day they were held (as the reports count them).
        return "held_on" if self.form.cleaned_data.get("held") else "planned_start__date"

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(**{f"{self._date_field()}__gte": value})

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(**{f"{self._date_field()}__lte": value})

    def filter_held(self, queryset, name, value):
        return queryset.filter(status__in=HELD_STATUSES) if value else queryset

    def filter_upcoming(self, queryset, name, value):
        """Planned or announced, not started yet (the dashboard's "coming up")."""
        if not value:
            return queryset
        return queryset.filter(
            status__in=[ConferenceStatus.PLANNED, ConferenceStatus.ANNOUNCED], planned_start__gte=timezone.now()
        )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.filters["unit"].queryset = units
