"""How units and people read on every page: `{{ unit|unit_label }}`, `{{ user|person_name }}`."""

from django import template

from units.forms import unit_label as _unit_label
from units.names import display_name

register = template.Library()


@register.filter
def unit_label(unit) -> str:
    """Return the unit's name, with its last day if it was abolished (see `units.forms.unit_label`)."""
    return _unit_label(unit)


@register.filter
def person_name(user) -> str:
    """Return a person's name in the order of the page's language ('' for no user)."""
    return display_name(user)
