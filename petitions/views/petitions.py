"""The officials' petition pages: the inbox, intake, the detail page and the files.

Every view starts from `Petition.objects.visible_to(user)` (or `get_<model>_for_user`), so another
unit's petition is a 404. One-shot actions are in `petitions.views.actions`.
"""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from audit.services import client_ip
from audit.transitions import TransitionNotAllowed
from conferences.models import Conference
from conferences.uploads import download_response
from petitions import services
from petitions.filters import PetitionInboxFilter, bounded_count, seek_page, without_empty
from petitions.forms import PetitionCreateForm
from petitions.models import (
    ANSWERED_STATUSES,
    OPEN_STATUSES,
    PETITION_TRANSITIONS,
    ROUTED_OUT_KINDS,
    Category,
    Petition,
    PetitionStatus,
    get_answer_for_user,
    get_petition_attachment_for_user,
)
from petitions.permissions import can_answer, can_manage_petition, can_see_contacts, can_transfer_open_petitions
from petitions.services import ASSIGNABLE_STATUSES
from units.access import allowed, roles_allowed
from units.models import AdministrativeUnit


def _managed_units(user):
    """Return the units whose petitions `user` may record (their unit's officials and chair)."""
    if user.is_superuser:
        return AdministrativeUnit.objects.current()
    return AdministrativeUnit.objects.filter(
        memberships__user=user,
        memberships__is_active=True,
        memberships__role__in=roles_allowed("petition.record"),
    ).distinct()


# --- Inbox ----------------------------------------------------------------------------------


class PetitionInboxView(LoginRequiredMixin, ListView):
    """The inbox: filters, search, sort and seek pagination over the petitions the user may see.

    The filter bar stays one line high at 1366×768: search, status and sort; the day-to-day flags as
    toggle chips; the rarer filters folded under "More filters" (open when one of them is set). Filters
    that only the reports' drill-down links set (dates, verdicts, a conference) ride along as hidden
    fields, so refining a drill-down keeps it.
    """

    QUICK_FLAGS = ("overdue", "due_soon", "mine", "my_unit")
    MORE_FILTERS = ("category", "kind", "channel", "unit")
    SHOWN = ("q", "status", "sort", *QUICK_FLAGS, *MORE_FILTERS)

    template_name = "petitions/petition_inbox.html"
    context_object_name = "petitions_qs"

    def get_queryset(self):
        user = self.request.user
        self.params = without_empty(self.request.GET)
        self.filterset = PetitionInboxFilter(self.params or None, queryset=Petition.objects.visible_to(user), user=user)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, params = self.request.user, self.params
        qs = self.object_list
        page = seek_page(
            qs, sort=self.filterset.sort_key, after=params.get("after", ""), before=params.get("before", "")
        )
        count, more = bounded_count(qs)
        base = params.copy()
        base.pop("after", None)
        base.pop("before", None)
        next_params, prev_params = base.copy(), base.copy()
        next_params["after"] = page.next_cursor
        prev_params["before"] = page.previous_cursor
        conference = None
        conference_id = self.filterset.cleaned("conference")
        if conference_id:
            conference = Conference.objects.visible_to(user).filter(pk=conference_id).first()
        today = timezone.localdate()
        context.update(
            filter=self.filterset,
            page=page,
            rows=[(p, p.is_overdue(today)) for p in page.rows],
            count=count,
            count_more=more,
            next_query=next_params.urlencode(),
            prev_query=prev_params.urlencode(),
            first_query=base.urlencode(),
            conference=conference,
            can_bulk=allowed(user, "petition.assign"),
            can_record=allowed(user, "petition.record"),
            filtered=bool(base),
            quick_flags=[self.filterset.form[name] for name in self.QUICK_FLAGS],
            more_filters_active=sum(1 for name in self.MORE_FILTERS if name in base),
            hidden_filters=[
                (name, value)
                for name, values in base.lists()
                if name not in self.SHOWN and name in self.filterset.filters
                for value in values
            ],
        )
        return context


# --- Intake ---------------------------------------------------------------------------------


class PetitionCreateView(LoginRequiredMixin, FormView):
    """Record a petition received at the reception desk, by mail or forwarded by the Front."""

    template_name = "petitions/petition_create.html"
    form_class = PetitionCreateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.units = _managed_units(request.user)
            if not self.units.exists():
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(units=self.units, categories=Category.objects.filter(is_active=True))
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            petition = services.submit_petition(
                unit=data["unit"],
                kind=data["kind"],
                category=data["category"],
                title=data["title"],
                content=data["content"],
                location=data["location"],
                petitioner_name=data["petitioner_name"],
                petitioner_phone=data["petitioner_phone"],
                petitioner_email=data["petitioner_email"],
                petitioner_address=data["petitioner_address"],
                show_name_publicly=data["show_name_publicly"],
                consent=data["consent"],
                channel=data["channel"],
                attachments=data["attachments"],
                by=self.request.user,
                ip=client_ip(self.request),
            )
        except TransitionNotAllowed as exc:
            messages.error(self.request, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Petition %(code)s recorded.") % {"code": petition.display_code})
        return redirect(detail_url(petition))


# --- Detail ---------------------------------------------------------------------------------


def available_actions(user, petition, *, has_answer: bool) -> dict:
    """Return which actions `user` may offer on `petition` now (the predicates and the transition table)."""
    allowed = PETITION_TRANSITIONS.get(petition.status, set())
    manage = can_manage_petition(user, petition)
    answer = can_answer(user, petition)
    return {
        "accept": manage and PetitionStatus.ACCEPTED in allowed,
        "reject": manage and PetitionStatus.REJECTED in allowed,
        "assign": manage and petition.status in ASSIGNABLE_STATUSES,
        "extend": manage and petition.status in OPEN_STATUSES and petition.due_on is not None,
        "answer": answer and PetitionStatus.ANSWERED in allowed,
        "resolve": manage and PetitionStatus.RESOLVED in allowed and has_answer,
        "reopen": manage and petition.status in ANSWERED_STATUSES,
        "redact": manage,
    }


class PetitionDetailView(LoginRequiredMixin, DetailView):
    template_name = "petitions/petition_detail.html"
    context_object_name = "petition"

    def get_queryset(self):
        return Petition.objects.visible_to(self.request.user).select_related(
            "conference", "requested_conference", "duplicate_of", "assignee"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        petition, user = self.object, self.request.user
        # The timeline is rendered by the `petition_timeline` tag of followup (it spans notices and findings).
        answers = list(petition.answers.select_related("answered_by"))
        context.update(
            answers=answers,
            attachments=list(petition.attachments.all()),
            assignments=list(petition.assignments.select_related("organisation", "assigned_by")),
            extensions=list(petition.extensions.select_related("extended_by")),
            show_contacts=can_see_contacts(user, petition),
            actions=available_actions(user, petition, has_answer=bool(answers)),
            is_overdue=petition.is_overdue(),
            routed_out=petition.kind in ROUTED_OUT_KINDS,
            transfer_url=_transfer_url(user, petition),
        )
        return context


def _transfer_url(user, petition) -> str:
    """Return the page that moves the open petitions of `petition`'s unit to a successor, if `user` may use it."""
    if petition.status not in OPEN_STATUSES or not can_transfer_open_petitions(user, petition.unit):
        return ""
    if not petition.unit.successor_units().exists():
        return ""
    return reverse("petitions:transfer_open_petitions", args=[petition.unit_id])


@login_required
def attachment_download(request, pk):
    """Send a petition's attachment to a user who may see the petition (404 for anyone else)."""
    attachment = get_petition_attachment_for_user(request.user, pk)
    return download_response(
        attachment.file.open("rb"),
        filename=attachment.original_name or os.path.basename(attachment.file.name),
        content_type=attachment.content_type or "application/octet-stream",
    )


@login_required
def answer_evidence(request, pk):
    """Send an answer's evidence file to a user who may see the petition (404 for anyone else)."""
    answer = get_answer_for_user(request.user, pk)
    if not answer.evidence:
        raise Http404
    return download_response(answer.evidence.open("rb"), filename=os.path.basename(answer.evidence.name))


def detail_url(petition) -> str:
    return reverse("petitions:petition_detail", args=[petition.pk])
