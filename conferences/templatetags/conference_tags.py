"""Display helpers for the plan and conference templates."""

from django import template

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
