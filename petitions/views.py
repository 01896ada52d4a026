"""The officials' petition pages: the inbox, intake, the detail timeline and one view per action.

Every view starts from `Petition.objects.visible_to(user)`, so another unit's petition is a 404;
actions then check a predicate of `petitions.permissions` (403 when seen but not allowed) and
call one service with the client's address. A GET on an action shows its confirmation form;
only the POST of that form changes anything.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView

from audit.forms import NoteForm, ReasonForm
from audit.services import client_ip
from audit.transitions import TransitionNotAllowed
from audit.views import confirmed_action
from conferences.models import Conference
from petitions import services
from petitions.filters import PetitionInboxFilter, bounded_count, seek_page, without_empty
from petitions.forms import AnswerForm, AssignForm, BulkAssignForm, ExtendForm, PetitionCreateForm, RejectForm
from petitions.models import (
    ANSWERED_STATUSES,
    OPEN_STATUSES,
    PETITION_TRANSITIONS,
    ROUTED_OUT_KINDS,
    Category,
    Petition,
    PetitionKind,
    PetitionStatus,
    RejectionReason,
    get_answer_for_user,
    get_petition_attachment_for_user,
    get_petition_for_user,
)
from petitions.permissions import can_answer, can_manage_petition, can_see_contacts
from petitions.services import ASSIGNABLE_STATUSES
from rules.workdays import working_days_between
from units.models import AdministrativeUnit, Role
from units.permissions import has_role

BULK_LIMIT = 200


def _detail_url(petition) -> str:
    return reverse("petitions:petition_detail", args=[petition.pk])


def _managed_units(user):
    """Return the units whose petitions `user` may record (their unit's officials, chair or own supervisor)."""
    if user.is_superuser:
        return AdministrativeUnit.objects.current()
    return AdministrativeUnit.objects.filter(
        memberships__user=user,
        memberships__is_active=True,
        memberships__role__in=[Role.UNIT_OFFICIAL, Role.CHAIR, Role.SUPERVISOR],
    ).distinct()


# --- Inbox ----------------------------------------------------------------------------------


class PetitionInboxView(LoginRequiredMixin, ListView):
    """The inbox: filters, search, sort and seek pagination over the petitions the user may see."""

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
            can_bulk=has_role(user, Role.UNIT_OFFICIAL, Role.CHAIR, Role.SUPERVISOR),
            filtered=bool(base),
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
        return redirect(_detail_url(petition))


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
        )
        return context


@login_required
def attachment_download(request, pk):
    """Send a petition's attachment to a user who may see the petition (404 for anyone else)."""
    attachment = get_petition_attachment_for_user(request.user, pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


@login_required
def answer_evidence(request, pk):
    """Send an answer's evidence file to a user who may see the petition (404 for anyone else)."""
    answer = get_answer_for_user(request.user, pk)
    if not answer.evidence:
        raise Http404
    return FileResponse(answer.evidence.open("rb"), as_attachment=True)


# --- Actions --------------------------------------------------------------------------------
# Each is a call to `audit.views.confirmed_action`: GET shows the confirmation, POST calls one service.

SUMMARY = "petitions/includes/petition_summary.html"


def _confirm(request, petition, *, context=None, **options):
    """The petition's confirmation page: its code, title and status on top, back to its detail page."""
    return confirmed_action(
        request,
        petition,
        back_url=_detail_url(petition),
        summary_template=SUMMARY,
        context={"petition": petition, **(context or {})},
        **options,
    )


def _date(day) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


@login_required
def petition_accept(request, pk):
    petition = get_petition_for_user(request.user, pk, action=can_manage_petition)
    due = services.answer_due_date(unit=petition.unit, start=timezone.localdate())
    return _confirm(
        request,
        petition,
        title=_("Accept this petition"),
        question=_("The answer deadline starts today: %(date)s.") % {"date": _date(due)},
        success=_("The petition was accepted."),
        perform=lambda data, **actor: services.accept_petition(petition=petition, **actor),
    )


@login_required
def petition_reject(request, pk):
    petition = get_petition_for_user(request.user, pk, action=can_manage_petition)

    def perform(data, **actor):
        if data["reason"] == RejectionReason.DUPLICATE:
            return services.merge_petition(petition=petition, into=data["original"], **actor)
        return services.reject_petition(petition=petition, reason=data["reason"], note=data["note"], **actor)

    initial = {}
    if petition.kind == PetitionKind.COMPLAINT:
        initial = {"reason": RejectionReason.COMPLAINT}
    elif petition.kind == PetitionKind.DENUNCIATION:
        initial = {"reason": RejectionReason.DENUNCIATION}
    return _confirm(
        request,
        petition,
        form_class=RejectForm,
        form_kwargs={"petition": petition, "originals": Petition.objects.visible_to(request.user)},
        initial=initial,
        title=_("Reject or route out this petition"),
        success=_("The petition was rejected."),
        perform=perform,
        extra_template="petitions/includes/routing_guidance.html",
        context={"guidance": services.ROUTING_GUIDANCE},
    )


@login_required
def petition_assign(request, pk):
    petition = get_petition_for_user(request.user, pk, action=can_manage_petition)
    today = timezone.localdate()
    due = services.answer_due_date(unit=petition.unit, start=today)

    def perform(data, **actor):
        assign = services.transfer_petition if data["mode"] == AssignForm.TRANSFER else services.assign_petition
        return assign(
            petition=petition, organisation=data["organisation"], due_on=data["due_on"], note=data["note"], **actor
        )

    return _confirm(
        request,
        petition,
        form_class=AssignForm,
        form_kwargs={"organisations": services.handling_units_for(petition.unit)},
        initial={"due_on": due, "mode": AssignForm.TRANSFER if petition.handling_org_id else AssignForm.ASSIGN},
        title=_("Assign or transfer to a handling unit"),
        question=_("Default due date from the rule in force: %(date)s (%(days)s working days from today).")
        % {"date": _date(due), "days": working_days_between(today, due)},
        success=_("The petition was assigned."),
        perform=perform,
    )


@login_required
def petition_extend(request, pk):
    petition = get_petition_for_user(request.user, pk, action=can_manage_petition)
    return _confirm(
        request,
        petition,
        form_class=ExtendForm,
        form_kwargs={"petition": petition},
        initial={"new_due_on": (petition.due_on or timezone.localdate()) + datetime.timedelta(days=14)},
        title=_("Extend the deadline"),
        question=_("Current due date: %(date)s.") % {"date": _date(petition.due_on)},
        success=_("The deadline was extended."),
        perform=lambda data, **actor: services.extend_deadline(
            petition=petition, new_due_on=data["new_due_on"], reason=data["reason"], **actor
        ),
    )


@login_required
def petition_answer(request, pk):
    petition = get_petition_for_user(request.user, pk, action=can_answer)
    templates = list(services.answer_templates_for(petition))
    chosen = request.GET.get("template", "")
    initial = {"document_date": timezone.localdate()}
    template = next((t for t in templates if str(t.pk) == chosen), None)
    if template is not None:
        initial["text"] = template.text
    return _confirm(
        request,
        petition,
        form_class=AnswerForm,
        initial=initial,
        title=_("Answer in writing"),
        success=_("The answer was recorded."),
        perform=lambda data, **actor: services.answer_petition(
            petition=petition,
            text=data["text"],
            document_number=data["document_number"],
            document_date=data["document_date"],
            evidence=data["evidence"],
            **actor,
        ),
        extra_template="petitions/includes/answer_templates.html",
        script="petitions/answer_templates.js" if templates else "",
        context={
            "answer_templates": templates,
            "answer_templates_json": {str(t.pk): t.text for t in templates},
            "chosen_template": chosen,
        },
    )


@login_required
def petition_resolve(request, pk):
    petition = get_petition_for_user(request.user, pk, action=can_manage_petition)
    return _confirm(
        request,
        petition,
        form_class=NoteForm,
        title=_("Mark this petition resolved"),
        success=_("The petition was marked resolved."),
        perform=lambda data, **actor: services.mark_resolved(petition=petition, note=data["note"], **actor),
    )


@login_required
def petition_reopen(request, pk):
    petition = get_petition_for_user(request.user, pk, action=can_manage_petition)
    return _confirm(
        request,
        petition,
        form_class=ReasonForm,
        title=_("Reopen this petition"),
        success=_("The petition was reopened."),
        perform=lambda data, **actor: services.reopen_petition(petition=petition, reason=data["reason"], **actor),
    )


@login_required
@require_POST
def bulk_assign(request):
    """Assign the petitions ticked in the inbox: first POST shows the confirmation, the second assigns."""
    raw_ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:BULK_LIMIT]
    chosen = list(Petition.objects.visible_to(request.user).filter(pk__in=raw_ids))
    petitions = [p for p in chosen if can_manage_petition(request.user, p)]
    if not petitions:
        messages.error(request, _("Tick the petitions you may assign first."))
        return redirect("petitions:inbox")
    organisations = services.handling_units_for(*{p.unit for p in petitions})
    confirmed = request.POST.get("confirm") == "1"
    form = BulkAssignForm(request.POST if confirmed else None, organisations=organisations)
    if confirmed and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        eligible, skipped = services.split_by_service(petitions=petitions, organisation=organisation)
        done, errors = services.bulk_assign(
            petitions=eligible,
            organisation=organisation,
            by=request.user,
            due_on=form.cleaned_data["due_on"],
            ip=client_ip(request),
        )
        if done:
            messages.success(
                request,
                _("%(count)s petition(s) assigned to %(org)s.") % {"count": done, "org": organisation.name},
            )
        for petition, error in errors:
            messages.warning(request, f"{petition.display_code}: {error}")
        for petition in skipped:
            messages.warning(
                request,
                _("%(code)s: this handling unit does not serve the petition's unit.") % {"code": petition.display_code},
            )
        return redirect("petitions:inbox")
    return render(
        request,
        "petitions/petition_bulk_assign.html",
        {"petitions": petitions, "form": form, "skipped_count": len(raw_ids) - len(petitions)},
    )
