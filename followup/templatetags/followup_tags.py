"""Follow-up pieces that other apps' templates show: a conference's notice action and the Front
supervisor's "record a finding" check. They live here so that conferences and petitions need not
import followup (dependencies point from the parts that know least to those that know most)."""

from django import template

from conferences.models import HELD_STATUSES
from followup.permissions import can_draft_notice, can_supervise

register = template.Library()


@register.simple_tag
def can_supervise_unit(user, unit) -> bool:
    """Return True if `user` may record a Front supervision finding on `unit`.

    Use as `{% can_supervise_unit request.user petition.unit as may_supervise %}`."""
    if user is None or unit is None or not getattr(user, "is_authenticated", False):
        return False
    return can_supervise(user, unit)


@register.inclusion_tag("followup/includes/conference_notice_action.html", takes_context=True)
def conference_notice_action(context, conference):
    """Render a held conference's follow-up notice action: links to its notices, or, when it has none,
    the button that drafts one (for those who may draft it). Nothing for a conference not held."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if conference.status not in HELD_STATUSES:
        return {"show": False}
    notices = list(conference.notices.order_by("created_at", "pk"))
    may_draft = not notices and user is not None and user.is_authenticated and can_draft_notice(user, conference)
    return {
        "show": bool(notices) or may_draft,
        "conference": conference,
        "notices": notices,
        "can_draft": may_draft,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("followup/includes/petition_timeline.html")
def petition_timeline(petition):
    """Render the officials' timeline of `petition`: its whole chain (see `followup.timeline`)."""
    from followup.timeline import petition_timeline as chain

    return {"petition": petition, "timeline": chain(petition)}
