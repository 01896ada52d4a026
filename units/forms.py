"""The one way a unit is named and chosen: in forms, filters, report and import forms and the admin.

Since the 2025 reform an abolished unit and its successor often share a name (Phường Xuân Đỉnh
until 30/06/2025, and Phường Xuân Đỉnh since 1/7/2025), so a unit that has an end of validity
always carries it ("Phường Xuân Đỉnh (đến 30/06/2025)"), and the units in force come before
the abolished ones, each group by level and in Vietnamese alphabetical order.
"""

import datetime

import django_filters
import django_filters.fields
from django import forms
from django.utils import timezone
from django.utils.translation import gettext

from units.collation import vietnamese_key
from units.models import UnitLevel

__all__ = ["UnitChoiceField", "UnitChoiceFilter", "sort_units", "unit_label"]

LEVEL_RANK = {UnitLevel.CITY: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}


def unit_label(unit) -> str:
    """Return how a unit reads wherever it must not be mistaken for another of the same name:
    an abolished (or to-be-abolished) unit with its last day, "Phường Xuân Đỉnh (đến 30/06/2025)"."""
    if unit is None:
        return ""
    if unit.valid_to is None:
        return str(unit)
    return gettext("%(unit)s (until %(date)s)") % {"unit": unit, "date": unit.valid_to.strftime("%d/%m/%Y")}


def unit_sort_key(unit, today: datetime.date) -> tuple:
    """Return the key of a unit in a choice list: in force first, then by level, then by name."""
    abolished = unit.valid_to is not None and unit.valid_to < today
    return (abolished, LEVEL_RANK.get(unit.level, len(LEVEL_RANK)), vietnamese_key(unit.name), unit.valid_from)


def sort_units(units, today: datetime.date | None = None) -> list:
    """Return `units` (any iterable) in choice-list order (see `unit_sort_key`)."""
    today = today or timezone.localdate()
    return sorted(units, key=lambda unit: unit_sort_key(unit, today))


class UnitChoiceIterator(forms.models.ModelChoiceIterator):
    """Yield the units of the field's queryset in `sort_units` order, in one query (the length too:
    a template's `{% for %}` asks for it before iterating)."""

    def _units(self) -> list:
        if not hasattr(self, "_sorted"):
            self._sorted = sort_units(self.queryset)
        return self._sorted

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for unit in self._units():
            yield self.choice(unit)

    def __len__(self):
        return len(self._units()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self._units())


class UnitChoiceField(forms.ModelChoiceField):
    """A choice of administrative unit: labelled with `unit_label`, in force first."""

    iterator = UnitChoiceIterator

    def label_from_instance(self, obj):
        return unit_label(obj)


class _UnitFilterChoiceIterator(django_filters.fields.ModelChoiceIterator, UnitChoiceIterator):
    """django-filter's iterator (its "null" choice) over `UnitChoiceIterator`'s order."""


class UnitFilterChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _UnitFilterChoiceIterator

    def label_from_instance(self, obj):
        return unit_label(obj)


class UnitChoiceFilter(django_filters.ModelChoiceFilter):
    """A django-filter filter on a unit, with the choices of `UnitChoiceField`."""

    field_class = UnitFilterChoiceField
