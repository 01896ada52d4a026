"""Mark the records a person reads only as a successor unit's (issue 8 §9).

`{% predecessor_badge record.unit %}` beside a record in a list, `{% predecessor_notice record.unit %}`
on its page, where the action buttons would be: both render nothing for the person's own records;
`{% predecessor_of record.unit as old %}` for a template that must leave out a control.
They read the per-request scope cache (`units.permissions`), so a list adds no query per row.
"""

from django import template

from units.permissions import is_predecessor_record

register = template.Library()


def _predecessor_or_none(context, unit):
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if unit is None or user is None or not is_predecessor_record(user, unit):
        return None
    return unit


@register.simple_tag(takes_context=True)
def predecessor_of(context, unit):
    """Return `unit` if the person reads its records only as a successor's, else None (`{% predecessor_of u as old %}`)."""
    return _predecessor_or_none(context, unit)


@register.inclusion_tag("units/includes/predecessor_badge.html", takes_context=True)
def predecessor_badge(context, unit):
    """Render "Record of predecessor unit: Phường X (until 30/06/2025)" if `unit` is not the person's own."""
    return {"predecessor": _predecessor_or_none(context, unit)}


@register.inclusion_tag("units/includes/predecessor_notice.html", takes_context=True)
def predecessor_notice(context, unit, petition=False):
    """Render the read-only notice of a predecessor's record (for a petition: how it can become the person's)."""
    return {"predecessor": _predecessor_or_none(context, unit), "petition": petition}
