"""Display helpers for the plan and conference templates."""

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from units.names import display_name

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


# How the audit events of a plan or a conference read on their history. Each label is a plain
# `_()` call so that makemessages extracts it; `event_label` falls back to the status names.
EVENT_LABELS = {
    "created": _("Created"),
    "edited": _("Edited"),
    "imported": _("Imported from a file"),
    "scheduled": _("Scheduled"),
    "item_added": _("Planned conference added"),
    "item_edited": _("Planned conference edited"),
    "item_deleted": _("Planned conference removed"),
    "participants_recorded": _("Participants recorded"),
    "minutes_updated": _("Minutes updated"),
    "conclusion_added": _("Conclusion added"),
    "conclusion_done": _("Conclusion carried out"),
    "attachment_added": _("File attached"),
    "conclusion_edited": _("Conclusion corrected"),
    "conclusion_withdrawn": _("Conclusion withdrawn"),
    "attachment_removed": _("File removed (kept in the history)"),
    "supervised": _("Front supervision finding recorded"),
    "supervision_rechecked": _("Front supervision re-checked"),
    # Status changes whose status name alone would read oddly as a history entry.
    "status:draft": _("Returned to draft"),
    "status:submitted": _("Submitted for approval"),
    "status:planned": _("Planned again (rescheduled)"),
    "status:in_progress": _("Being carried out"),
    "minutes:draft": _("Minutes returned to draft"),
    "minutes:approved": _("Minutes approved"),
    "minutes:locked": _("Minutes locked"),
}

ACTOR_LABELS = {
    "system": _("the system"),
    "beat": _("the system"),
    "citizen": _("a citizen"),
    "import": _("file import"),
}


@register.filter
def event_label(event) -> str:
    """Return a readable label for an audit event of a plan or conference ("status:held" → "Held")."""
    from conferences.models import ConferenceStatus, MinutesStatus, PlanStatus

    if event.action in EVENT_LABELS:
        return str(EVENT_LABELS[event.action])
    kind, _sep, value = event.action.partition(":")
    if kind == "status":
        labels = {**dict(PlanStatus.choices), **dict(ConferenceStatus.choices)}
        return str(labels.get(value, value))
    if kind == "minutes":
        return gettext("Minutes: %(status)s") % {"status": dict(MinutesStatus.choices).get(value, value)}
    return event.action


@register.filter
def person_name(user) -> str:
    """Return a user's full name in the page's language order, else their username ('' for no user)."""
    return display_name(user)


@register.filter
def event_actor(event) -> str:
    """Return who did an audit event: the person's full name (else username), or what the label says."""
    if event.actor_id:
        return person_name(event.actor)
    return str(ACTOR_LABELS.get(event.actor_label, event.actor_label))
