"""Conferences: the filtered list, the month calendar, scheduling, the detail page and editing."""

import calendar
import datetime
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView

from audit.models import AuditEvent
from audit.services import client_ip
from audit.transitions import TransitionNotAllowed
from audit.views import confirmed_action, report_refusal
from conferences import services
from conferences.filters import ConferenceFilter
from conferences.forms import AttachmentForm, ConferenceForm
from conferences.models import (
    CONFERENCE_TRANSITIONS,
    HELD_STATUSES,
    MINUTES_TRANSITIONS,
    Conference,
    ConferenceStatus,
    DialoguePlan,
    MinutesStatus,
    PlanItem,
    get_conference_attachment_for_user,
    get_conference_for_user,
)
from conferences.permissions import can_approve_minutes, can_correct_records, can_manage_conferences
from conferences.uploads import download_response
from conferences.views.common import SUMMARY, detail_url, manageable_units, manages, post_data, require
from units.models import AdministrativeUnit
from units.permissions import readable_unit_ids


def units_in_scope(user):
    scope = readable_unit_ids(user)
    units = AdministrativeUnit.objects.all() if scope is None else AdministrativeUnit.objects.filter(pk__in=scope)
    return units.order_by("level", "name", "-valid_from")


class ConferenceListView(LoginRequiredMixin, ListView):
    template_name = "conferences/conference_list.html"
    context_object_name = "conferences"
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        self.filterset = ConferenceFilter(
            self.request.GET or None,
            queryset=Conference.objects.visible_to(user).order_by("-planned_start", "-pk"),
            units=units_in_scope(user),
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset,
            query=query.urlencode(),
            can_create=bool(manageable_units(self.request.user).exists()),
        )
        return context


def _month_from(request) -> datetime.date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


@login_required
def conference_calendar(request):
    """Show one month as a grid (weeks from Monday), each day with the conferences on it."""
    first = _month_from(request)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    grid_start, grid_end = weeks[0][0], weeks[-1][-1]
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(grid_start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(grid_end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    conferences = Conference.objects.visible_to(request.user).filter(
        Q(planned_start__gte=start, planned_start__lt=end) | Q(held_on__gte=grid_start, held_on__lte=grid_end)
    )
    unit_id = request.GET.get("unit", "")
    if unit_id.isdecimal():
        conferences = conferences.filter(unit_id=int(unit_id))
    by_day: dict[datetime.date, list] = {}
    for conference in conferences.order_by("planned_start", "pk"):
        by_day.setdefault(conference.date, []).append(conference)
    today = timezone.localdate()
    grid = [
        [{"date": day, "conferences": by_day.get(day, []), "today": day == today} for day in week] for week in weeks
    ]
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    month_days = [cell for week in grid for cell in week if cell["date"].month == first.month and cell["conferences"]]
    return render(
        request,
        "conferences/conference_calendar.html",
        {
            "month": first,
            "grid": grid,
            "month_days": month_days,
            "weekdays": [datetime.date(2024, 1, d) for d in range(1, 8)],  # 1/1/2024 was a Monday
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
            "this_month": f"{today:%Y-%m}",
            "unit_id": unit_id if unit_id.isdecimal() else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_create(request):
    units = manageable_units(request.user)
    require(units.exists())
    plan_items = PlanItem.objects.filter(plan__in=DialoguePlan.objects.visible_to(request.user).filter(unit__in=units))
    initial = {}
    if units.count() == 1:
        initial["unit"] = units.first()
    item_id = request.GET.get("plan_item", "")
    if item_id.isdecimal():
        item = get_object_or_404(plan_items.select_related("plan__unit"), pk=int(item_id))
        initial.update(
            unit=item.plan.unit,
            plan_item=item,
            kind=item.kind,
            format=item.format,
            title=item.topic,
            chair=item.chair,
        )
    form = ConferenceForm(post_data(request), units=units, plan_items=plan_items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            conference = services.schedule_conference(by=request.user, ip=client_ip(request), **data)
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The conference was scheduled. Announce it when the invitations go out."))
            return redirect("conferences:conference_detail", pk=conference.pk)
    return render(request, "conferences/conference_form.html", {"form": form})


EDIT_FIELDS = (
    "kind",
    "format",
    "title",
    "planned_start",
    "planned_end",
    "venue",
    "chair",
    "invited_groups",
    "agenda",
    "topics",
    "related_project",
)


@login_required
@require_http_methods(["GET", "POST"])
def conference_edit(request, pk):
    conference = get_conference_for_user(request.user, pk, action=manages)
    if conference.status in (ConferenceStatus.CLOSED, ConferenceStatus.CANCELLED):
        messages.error(request, _("A closed or cancelled conference cannot be changed."))
        return redirect(detail_url(conference))
    initial = {name: getattr(conference, name) for name in EDIT_FIELDS}
    initial["co_organisers"] = list(conference.co_organisers.all())
    form = ConferenceForm(post_data(request), conference=conference, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if form.fields["planned_start"].disabled:
            data.pop("planned_start")
        try:
            services.update_conference(conference=conference, by=request.user, ip=client_ip(request), **data)
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The conference was saved."))
            return redirect(detail_url(conference))
    return render(request, "conferences/conference_form.html", {"form": form, "conference": conference})


def conference_actions(user, conference) -> dict[str, bool]:
    """Return which actions the detail page offers (the action views check again on POST)."""
    manage = can_manage_conferences(user, conference.unit)
    approve_minutes = can_approve_minutes(user, conference)
    allowed = CONFERENCE_TRANSITIONS[conference.status]
    minutes_allowed = MINUTES_TRANSITIONS[conference.minutes_status]
    held = conference.status in HELD_STATUSES
    return {
        "edit": manage and conference.status not in (ConferenceStatus.CLOSED, ConferenceStatus.CANCELLED),
        "announce": manage and ConferenceStatus.ANNOUNCED in allowed,
        "postpone": manage and ConferenceStatus.POSTPONED in allowed,
        "reschedule": manage and conference.status == ConferenceStatus.POSTPONED,
        "cancel": manage and ConferenceStatus.CANCELLED in allowed,
        "record_outcome": manage and ConferenceStatus.HELD in allowed,
        "edit_minutes": manage and held and conference.minutes_status in (MinutesStatus.NONE, MinutesStatus.DRAFT),
        "approve_minutes": approve_minutes and held and MinutesStatus.APPROVED in minutes_allowed,
        "lock_minutes": approve_minutes and MinutesStatus.LOCKED in minutes_allowed,
        "minutes_to_draft": approve_minutes and held and conference.minutes_status == MinutesStatus.APPROVED,
        "close": manage and ConferenceStatus.CLOSED in allowed,
        "opinions": held,
        "conclusions": held,
        "attach": manage,
        # Before the notice is published an official corrects conclusions and attachments.
        "correct": can_correct_records(user, conference)
        and conference.status not in (ConferenceStatus.CONCLUDED, ConferenceStatus.CLOSED),
    }


@login_required
def conference_detail(request, pk):
    conference = get_object_or_404(
        Conference.objects.visible_to(request.user).select_related("plan_item__plan", "chair_user"), pk=pk
    )
    context = {
        "conference": conference,
        "actions": conference_actions(request.user, conference),
        "co_organisers": conference.co_organisers.all(),
        "participations": conference.participations.select_related("organisation"),
        "attachments": conference.attachments.served().order_by("-uploaded_at"),
        "opinion_count": conference.petitions.count(),
        "conclusion_count": conference.conclusions.in_force().count(),
        "events": AuditEvent.objects.for_object(conference).select_related("actor"),
        "attachment_form": AttachmentForm(),
    }
    return render(request, "conferences/conference_detail.html", context)


@login_required
@require_http_methods(["POST"])
def attachment_add(request, pk):
    """Attach a file (the form sits on the detail page; its errors are shown on the action page)."""
    conference = get_conference_for_user(request.user, pk, action=manages)
    return confirmed_action(
        request,
        conference,
        form_class=AttachmentForm,
        perform=lambda data, **actor: services.add_attachment(conference=conference, **actor, **data),
        title=_("Attach a file"),
        button=_("Upload"),
        success=_("The file was attached."),
        back_url=detail_url(conference),
        summary_template=SUMMARY,
        context={"conference": conference},
    )


@login_required
def attachment_download(request, pk):
    """Send an attachment, only to someone who may see its conference (another unit's → 404)."""
    attachment = get_conference_attachment_for_user(request.user, pk)  # a removed one is kept, never served
    if not attachment.file:
        raise Http404
    return download_response(attachment.file.open("rb"), filename=os.path.basename(attachment.file.name))


@login_required
def minutes_download(request, pk):
    conference = get_conference_for_user(request.user, pk)
    if not conference.minutes_file:
        raise Http404
    return download_response(
        conference.minutes_file.open("rb"), filename=os.path.basename(conference.minutes_file.name)
    )
