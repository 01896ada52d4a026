"""iCalendar (RFC 5545) feeds of the public conferences, per ward and city-wide.

Each conference is one VEVENT with a stable UID; its SEQUENCE counts the changes recorded on it (edits and
status changes, from the audit log, which only grows), so a calendar that subscribed replaces the old version;
a cancelled conference stays in the feed with STATUS:CANCELLED so subscribers see it cancelled rather than
silently gone. Times carry TZID Asia/Ho_Chi_Minh with its VTIMEZONE.
"""

import datetime
import zoneinfo

import icalendar
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from conferences.models import Conference, ConferenceStatus

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# A feed carries the conferences from this long ago onwards, at most FEED_LIMIT of them.
FEED_PAST = datetime.timedelta(days=90)
FEED_LIMIT = 500
DEFAULT_LENGTH = datetime.timedelta(hours=2)
STATUS = {
    ConferenceStatus.PLANNED: "TENTATIVE",
    ConferenceStatus.POSTPONED: "TENTATIVE",
    ConferenceStatus.CANCELLED: "CANCELLED",
}


def feed_conferences(ward=None, *, pk=None, user=None):
    """Return the conferences of a feed (a ward's, the city's, or the one conference `pk`), with their
    SEQUENCE, in a fixed number of queries. With `user`: the conferences of that official's scope."""
    changes = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Conference),
            object_id=OuterRef("pk"),
        )
        .filter(Q(action="edited") | Q(action__startswith="status:"))
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # `public()` hides cancelled conferences; the feed keeps them to carry the cancellation.
    qs = Conference.objects.public() | Conference.objects.filter(status=ConferenceStatus.CANCELLED)
    qs = qs.select_related("unit")
    if pk is not None:
        qs = Conference.objects.public().filter(pk=pk)
    elif user is not None:  # an official's own feed: every conference they may read, in any state
        qs = Conference.objects.visible_to(user).filter(planned_start__gte=timezone.now() - FEED_PAST)
    else:
        qs = qs.filter(planned_start__gte=timezone.now() - FEED_PAST)
    if ward is not None:
        qs = qs.filter(unit=ward)
    qs = qs.annotate(sequence=Coalesce(Subquery(changes, output_field=IntegerField()), 0))
    return qs.order_by("planned_start", "pk")[:FEED_LIMIT]


def conference_uid(conference: Conference, host: str) -> str:
    return f"conference-{conference.pk}@{host}"


def ics(conferences, *, name: str, build_url, host: str) -> bytes:
    """Return the iCalendar of `conferences`; `build_url(path)` makes an absolute address."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Decision 2200 dialogue portal//vi")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    now = timezone.now()
    for conference in conferences:
        start = conference.planned_start.astimezone(TZ)
        end = (conference.planned_end or conference.planned_start + DEFAULT_LENGTH).astimezone(TZ)
        event = icalendar.Event()
        event.add("uid", conference_uid(conference, host))
        event.add("dtstamp", now)
        event.add("sequence", conference.sequence)
        event.add("dtstart", start)
        event.add("dtend", max(end, start))
        summary = conference.title
        if conference.status == ConferenceStatus.POSTPONED:
            summary = _("Postponed: %(title)s") % {"title": summary}
        event.add("summary", summary)
        event.add("status", STATUS.get(conference.status, "CONFIRMED"))
        if conference.venue:
            event.add("location", conference.venue)
        event.add("description", f"{conference.unit} · {conference.get_format_display()}")
        event.add("url", build_url(reverse("citizens:conference_detail", args=[conference.pk])))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
