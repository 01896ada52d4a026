"""Atom feeds of the published follow-up notices and of the conference announcements, per ward and city-wide.

They carry what the public pages show (`citizens.public`'s querysets), nothing more: a notice's number, title
and text; a conference's title, date, venue and status.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from conferences.models import Conference
from followup.models import FollowUpNotice
from units.models import AdministrativeUnit

FEED_ITEMS = 50


def ward_or_404(ward_id):
    return get_object_or_404(AdministrativeUnit, pk=ward_id)


class WardFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, ward_id=None):
        return ward_or_404(ward_id) if ward_id is not None else None


class NoticeFeed(WardFeed):
    def title(self, ward):
        if ward is None:
            return _("Follow-up notices")
        return _("Follow-up notices of %(ward)s") % {"ward": ward}

    def subtitle(self, ward):
        return _("The notices of the conclusions of the dialogue conferences, as they are published.")

    def link(self, ward):
        url = reverse("citizens:notice_list")
        return f"{url}?ward={ward.pk}" if ward is not None else url

    def items(self, ward):
        qs = FollowUpNotice.objects.published().select_related("unit").order_by("-published_at", "-pk")
        if ward is not None:
            qs = qs.filter(unit=ward)
        return qs[:FEED_ITEMS]

    def item_title(self, notice):
        return f"{notice.number} {notice.title}".strip()

    def item_description(self, notice):
        return notice.text

    def item_link(self, notice):
        return reverse("citizens:notice_detail", args=[notice.pk])

    def item_guid(self, notice):
        return f"notice-{notice.pk}"

    def item_pubdate(self, notice):
        return notice.published_at

    def item_updateddate(self, notice):
        return notice.published_at

    def item_author_name(self, notice):
        return str(notice.unit)


class ConferenceFeed(WardFeed):
    def title(self, ward):
        if ward is None:
            return _("Dialogue conferences")
        return _("Dialogue conferences of %(ward)s") % {"ward": ward}

    def subtitle(self, ward):
        return _("Conferences as they are announced, postponed or held.")

    def link(self, ward):
        url = reverse("citizens:conference_calendar")
        return f"{url}?ward={ward.pk}" if ward is not None else url

    def items(self, ward):
        qs = Conference.objects.public().order_by("-created_at", "-pk")
        if ward is not None:
            qs = qs.filter(unit=ward)
        return qs[:FEED_ITEMS]

    def item_title(self, conference):
        return conference.title

    def item_description(self, conference):
        start = timezone.localtime(conference.planned_start).strftime("%H:%M %d/%m/%Y")
        parts = [conference.get_status_display(), start, conference.venue, str(conference.unit)]
        return " · ".join(str(part) for part in parts if part)

    def item_link(self, conference):
        return reverse("citizens:conference_detail", args=[conference.pk])

    def item_guid(self, conference):
        return f"conference-{conference.pk}"

    def item_pubdate(self, conference):
        return conference.created_at

    def item_author_name(self, conference):
        return str(conference.unit)
