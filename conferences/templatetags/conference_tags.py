"""Display helpers for the plan and conference templates."""

from django import template
from django.utils.translation import gettext_lazy as _lazy

register = template.Library()

STATUS_CLASSES = {
    # conferences
    "planned": "text-bg-secondary",
    "announced": "text-bg-info",
    "held": "text-bg-primary",
    "concluded": "text-bg-success",
    "closed": "text-bg-dark",
    "postponed": "text-bg-warning",
    "cancelled": "text-bg-danger",
    # plans and minutes
    "draft": "text-bg-secondary",
    "approved": "text-bg-success",
    "in_progress": "text-bg-primary",
    "completed": "text-bg-dark",
    "locked": "text-bg-dark",
    "none": "text-bg-light",
    # conclusions
    "open": "text-bg-warning",
    "done": "text-bg-success",
    # petitions
    "submitted": "text-bg-secondary",
    "accepted": "text-bg-info",
    "answered_on_spot": "text-bg-success",
    "transferred": "text-bg-primary",
    "answered": "text-bg-success",
    "resolved": "text-bg-dark",
    "rejected": "text-bg-danger",
}


@register.filter
def status_class(status: str) -> str:
    """Return the Bootstrap badge class for a status value."""
    return STATUS_CLASSES.get(str(status), "text-bg-light")


@register.filter
def event_label(event) -> str:
    """Return a readable label for an audit event of a plan or conference ("status:held" → "Held")."""
    from django.utils.translation import gettext as _

    from conferences.models import ConferenceStatus, MinutesStatus, PlanStatus

    kind, _sep, value = event.action.partition(":")
    if kind == "status":
        labels = {**dict(PlanStatus.choices), **dict(ConferenceStatus.choices)}
        return str(labels.get(value, value))
    if kind == "minutes":
        return _("Minutes: %(status)s") % {"status": dict(MinutesStatus.choices).get(value, value)}
    return str(EVENT_LABELS.get(event.action, event.action))


EVENT_LABELS = {
    "created": _lazy("Created"),
    "edited": _lazy("Edited"),
    "scheduled": _lazy("Scheduled"),
    "item_added": _lazy("Planned conference added"),
    "item_edited": _lazy("Planned conference edited"),
    "item_deleted": _lazy("Planned conference removed"),
    "participants_recorded": _lazy("Participants recorded"),
    "minutes_updated": _lazy("Minutes updated"),
    "conclusion_added": _lazy("Conclusion added"),
    "conclusion_done": _lazy("Conclusion carried out"),
    "attachment_added": _lazy("File attached"),
}
