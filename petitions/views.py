"""The officials' petition pages: the inbox, intake, the detail timeline and one view per action.

Every view starts from `Petition.objects.visible_to(user)`, so another unit's petition is a 404;
actions then check a predicate of `petitions.permissions` (403 when seen but not allowed) and
call one service with the client's address. A GET on an action shows its confirmation form;
only the POST of that form changes anything.
"""

import datetime
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView

from audit.services import client_ip
from audit.transitions import TransitionNotAllowed
from audit.views import confirmed_action
from conferences.forms import unit_choice_label
from conferences.models import Conference
from conferences.uploads import download_response
from followup.models import NoticeStatus, Supervision
from petitions import services
from petitions.filters import PetitionInboxFilter, bounded_count, seek_page, without_empty
from petitions.forms import (
    AnswerForm,
    AssignForm,
    BulkAssignForm,
    ConfirmForm,
    ExtendForm,
    NoteForm,
    PetitionCreateForm,
    ReasonForm,
    RedactForm,
    RejectForm,
    TransferOpenPetitionsForm,
)
from petitions.models import (
    ANSWERED_STATUSES,
    OPEN_STATUSES,
    PETITION_TRANSITIONS,
    ROUTED_OUT_KINDS,
    Answer,
    AnswerTemplate,
    Category,
    Petition,
    PetitionAttachment,
    PetitionKind,
    PetitionStatus,
    RejectionReason,
)
from petitions.permissions import (
    can_answer,
    can_manage_petition,
    can_see_contacts,
    can_transfer_open_petitions,
)
from petitions.services import ASSIGNABLE_STATUSES
from rules.workdays import working_days_between
from units.access import allowed, roles_allowed
from units.models import AdministrativeUnit, Organisation
from units.permissions import can_see_unit

BULK_LIMIT = 200


def _detail_url(petition) -> str:
    return reverse("petitions:petition_detail", args=[petition.pk])


def _get_petition(request, pk, predicate=None) -> Petition:
    """Return the petition if the user may see it (404 otherwise) and, given a predicate, act on it (403)."""
    petition = get_object_or_404(Petition.objects.visible_to(request.user), pk=pk)
    if predicate is not None and not predicate(request.user, petition):
        raise PermissionDenied
    return petition


def _unit_ancestor_ids(unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part] or [unit.pk]


def handling_units_for(*units):
    """Return the active handling units of `units` and of the units above them."""
    return Organisation.objects.serving(*units).select_related("unit")


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
            can_bulk=allowed(user, "petition.assign"),
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

ACTION_LABELS = {
    "submitted": gettext_lazy("Received"),
    "raised_at_conference": gettext_lazy("Raised at a conference"),
    "accepted": gettext_lazy("Accepted"),
    "rejected": gettext_lazy("Rejected"),
    "assigned": gettext_lazy("Assigned to a handling unit"),
    "transferred": gettext_lazy("Transferred"),
    "extended": gettext_lazy("Deadline extended"),
    "answered": gettext_lazy("Answered in writing"),
    "answered_on_spot": gettext_lazy("Answered at the conference"),
    "resolved": gettext_lazy("Resolved"),
    "reopened": gettext_lazy("Reopened"),
    "verdict": gettext_lazy("Citizen's verdict"),
    "anonymised": gettext_lazy("Petitioner's contacts erased"),
    "text_redacted": gettext_lazy("Personal data hidden in the text"),
    "unit_transferred": gettext_lazy("Moved to the successor unit"),
    "notice": gettext_lazy("Published in a follow-up notice"),
    "supervision": gettext_lazy("Front supervision"),
    "supervision_rechecked": gettext_lazy("Front supervision re-checked"),
}
# Shown from the notices and findings themselves (with their details), not from their audit rows.
EVENTS_SHOWN_FROM_RELATIONS = {"notice_published", "supervised"}


def _parse_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def build_timeline(petition, *, answers, notices, supervisions) -> list[dict]:
    """Return the petition's whole chain, oldest first: its audit events, notices and supervision findings."""
    answers_by_pk = {a.pk: a for a in answers}
    on_spot = [a for a in answers if a.on_spot]
    entries = []
    for event in services.petition_timeline(petition):
        if event.action in EVENTS_SHOWN_FROM_RELATIONS:
            continue
        answer, data = None, dict(event.data or {})
        if data.get("due_on"):
            data["due_on"] = _parse_date(data["due_on"])
        for key in ("from", "to"):
            if event.action == "extended" and data.get(key):
                data[key] = _parse_date(data[key])
        if event.action == "answered":
            answer = answers_by_pk.get((event.data or {}).get("answer"))
        elif event.action == "answered_on_spot" and on_spot:
            answer = on_spot[0]
        entries.append(
            {
                "at": event.created_at,
                "action": event.action,
                "label": ACTION_LABELS.get(event.action, event.action),
                "actor": event.actor.get_full_name() or event.actor.get_username() if event.actor else "",
                "actor_label": event.actor_label,
                "note": event.note,
                "data": data,
                "to_status": event.to_status,
                "answer": answer,
            }
        )
    for notice in notices:
        entries.append(
            {"at": notice.published_at, "action": "notice", "label": ACTION_LABELS["notice"], "notice": notice}
        )
    for finding in supervisions:
        entries.append(
            {
                "at": finding.created_at,
                "action": "supervision",
                "label": ACTION_LABELS["supervision"],
                "supervision": finding,
                "actor": finding.supervisor.get_full_name() if finding.supervisor else "",
            }
        )
    entries.sort(key=lambda e: e["at"])
    return entries


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
        answers = list(petition.answers.select_related("answered_by"))
        notices = list(petition.notices.filter(status=NoticeStatus.PUBLISHED).select_related("unit"))
        # Findings on the petition itself and on the conclusion items that settle it.
        supervisions = list(
            Supervision.objects.filter(Q(petition=petition) | Q(conclusion_item__petitions=petition))
            .distinct()
            .select_related("supervisor", "organisation", "conclusion_item")
        )
        context.update(
            timeline=build_timeline(petition, answers=answers, notices=notices, supervisions=supervisions),
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
    attachment = get_object_or_404(
        PetitionAttachment.objects.filter(petition_id__in=Petition.objects.visible_to(request.user).values("pk")),
        pk=pk,
    )
    return download_response(
        attachment.file.open("rb"),
        filename=attachment.original_name or os.path.basename(attachment.file.name),
        content_type=attachment.content_type or "application/octet-stream",
    )


@login_required
def answer_evidence(request, pk):
    """Send an answer's evidence file to a user who may see the petition (404 for anyone else)."""
    answer = get_object_or_404(
        Answer.objects.filter(petition_id__in=Petition.objects.visible_to(request.user).values("pk")), pk=pk
    )
    if not answer.evidence:
        raise Http404
    return download_response(answer.evidence.open("rb"), filename=os.path.basename(answer.evidence.name))


# --- Actions --------------------------------------------------------------------------------


def _action(request, pk, *, predicate, form_class, perform, title, success, form_kwargs=None, extra=None, initial=None):
    """Show the action's confirmation form (GET) or run it (POST). Service errors keep the input."""
    petition = _get_petition(request, pk, predicate)
    kwargs = (form_kwargs or (lambda p: {}))(petition)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            try:
                perform(petition, form.cleaned_data, form)
            except TransitionNotAllowed as exc:
                messages.error(request, exc.message)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, success)
                return redirect(_detail_url(petition))
    else:
        form = form_class(initial=(initial or (lambda p: {}))(petition), **kwargs)
    context = {"petition": petition, "form": form, "title": title, "action_url": request.path}
    context.update((extra or (lambda p: {}))(petition))
    return render(request, "petitions/petition_action.html", context)


@login_required
def petition_accept(request, pk):
    return _action(
        request,
        pk,
        predicate=can_manage_petition,
        form_class=ConfirmForm,
        title=_("Accept this petition"),
        success=_("The petition was accepted."),
        perform=lambda p, d, f: services.accept_petition(petition=p, by=request.user, ip=client_ip(request)),
        extra=lambda p: {
            "explain": _("The answer deadline starts today: %(date)s.")
            % {"date": services.answer_due_date(unit=p.unit, start=timezone.localdate()).strftime("%d/%m/%Y")}
        },
    )


@login_required
def petition_reject(request, pk):
    def perform(petition, data, form):
        if data["reason"] == RejectionReason.DUPLICATE:
            services.merge_petition(petition=petition, into=form.original, by=request.user, ip=client_ip(request))
        else:
            services.reject_petition(
                petition=petition, reason=data["reason"], note=data["note"], by=request.user, ip=client_ip(request)
            )

    def initial(petition):
        if petition.kind == PetitionKind.COMPLAINT:
            return {"reason": RejectionReason.COMPLAINT}
        if petition.kind == PetitionKind.DENUNCIATION:
            return {"reason": RejectionReason.DENUNCIATION}
        return {}

    return _action(
        request,
        pk,
        predicate=can_manage_petition,
        form_class=RejectForm,
        form_kwargs=lambda p: {"petition": p, "originals": Petition.objects.visible_to(request.user)},
        initial=initial,
        title=_("Reject or route out this petition"),
        success=_("The petition was rejected."),
        perform=perform,
        extra=lambda p: {"guidance": services.ROUTING_GUIDANCE, "reject": True},
    )


@login_required
def petition_assign(request, pk):
    today = timezone.localdate()

    def perform(petition, data, form):
        common = {
            "petition": petition,
            "organisation": data["organisation"],
            "by": request.user,
            "due_on": data["due_on"],
            "note": data["note"],
            "ip": client_ip(request),
        }
        if data["mode"] == AssignForm.TRANSFER:
            services.transfer_petition(**common)
        else:
            services.assign_petition(**common)

    def default_due(petition):
        return services.answer_due_date(unit=petition.unit, start=today)

    def extra(petition):
        due = default_due(petition)
        return {
            "explain": _("Default due date from the rule in force: %(date)s (%(days)s working days from today).")
            % {"date": due.strftime("%d/%m/%Y"), "days": working_days_between(today, due)}
        }

    return _action(
        request,
        pk,
        predicate=can_manage_petition,
        form_class=AssignForm,
        form_kwargs=lambda p: {"organisations": handling_units_for(p.unit)},
        initial=lambda p: {
            "due_on": default_due(p),
            "mode": AssignForm.TRANSFER if p.handling_org_id else AssignForm.ASSIGN,
        },
        title=_("Assign or transfer to a handling unit"),
        success=_("The petition was assigned."),
        perform=perform,
        extra=extra,
    )


@login_required
def petition_extend(request, pk):
    return _action(
        request,
        pk,
        predicate=can_manage_petition,
        form_class=ExtendForm,
        form_kwargs=lambda p: {"petition": p},
        initial=lambda p: {"new_due_on": (p.due_on or timezone.localdate()) + datetime.timedelta(days=14)},
        title=_("Extend the deadline"),
        success=_("The deadline was extended."),
        perform=lambda p, d, f: services.extend_deadline(
            petition=p, new_due_on=d["new_due_on"], reason=d["reason"], by=request.user, ip=client_ip(request)
        ),
        extra=lambda p: {
            "explain": _("Current due date: %(date)s.") % {"date": p.due_on.strftime("%d/%m/%Y") if p.due_on else "—"}
        },
    )


def _answer_templates(petition):
    ids = _unit_ancestor_ids(petition.unit)
    return AnswerTemplate.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=ids)).filter(
        Q(category__isnull=True) | Q(category_id=petition.category_id)
    )


@login_required
def petition_answer(request, pk):
    def initial(petition):
        raw = request.GET.get("template", "")
        if raw.isdigit():
            template = _answer_templates(petition).filter(pk=int(raw)).first()
            if template:
                return {"text": template.text, "document_date": timezone.localdate()}
        return {"document_date": timezone.localdate()}

    def extra(petition):
        templates = list(_answer_templates(petition))
        return {
            "answer_templates": templates,
            "answer_templates_json": {str(t.pk): t.text for t in templates},
            "chosen_template": request.GET.get("template", ""),
            "multipart": True,
        }

    return _action(
        request,
        pk,
        predicate=can_answer,
        form_class=AnswerForm,
        initial=initial,
        title=_("Answer in writing"),
        success=_("The answer was recorded."),
        perform=lambda p, d, f: services.answer_petition(
            petition=p,
            text=d["text"],
            document_number=d["document_number"],
            document_date=d["document_date"],
            evidence=d["evidence"],
            by=request.user,
            ip=client_ip(request),
        ),
        extra=extra,
    )


@login_required
def petition_resolve(request, pk):
    return _action(
        request,
        pk,
        predicate=can_manage_petition,
        form_class=NoteForm,
        title=_("Mark this petition resolved"),
        success=_("The petition was marked resolved."),
        perform=lambda p, d, f: services.mark_resolved(
            petition=p, note=d["note"], by=request.user, ip=client_ip(request)
        ),
    )


@login_required
def petition_reopen(request, pk):
    return _action(
        request,
        pk,
        predicate=can_manage_petition,
        form_class=ReasonForm,
        title=_("Reopen this petition"),
        success=_("The petition was reopened."),
        perform=lambda p, d, f: services.reopen_petition(
            petition=p, reason=d["reason"], by=request.user, ip=client_ip(request)
        ),
    )


@login_required
def petition_redact(request, pk):
    return _action(
        request,
        pk,
        predicate=can_manage_petition,
        form_class=RedactForm,
        title=_("Hide personal data in the petition's text"),
        success=_("The passage was hidden."),
        perform=lambda p, d, f: services.redact_petition_text(
            petition=p, passage=d["passage"], by=request.user, ip=client_ip(request)
        ),
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
    organisations = handling_units_for(*{p.unit for p in petitions})
    confirmed = request.POST.get("confirm") == "1"
    form = BulkAssignForm(request.POST if confirmed else None, organisations=organisations)
    if confirmed and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        ancestors = {p.pk: _unit_ancestor_ids(p.unit) for p in petitions}
        eligible = [p for p in petitions if organisation.unit_id in ancestors[p.pk]]
        skipped = [p for p in petitions if organisation.unit_id not in ancestors[p.pk]]
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


# --- After a reform: an old unit's open petitions move to a successor ---------------------------


@login_required
def transfer_open_petitions(request, pk):
    """Move the open petitions of an old unit to one of its successors, after a confirmation showing how many.

    For supervising officials over the old unit (and the successor) and administrators: 404 for a
    unit outside the person's own scope, 403 for anyone else who sees it — a successor's officials
    read the old unit's petitions but do not take them over. Each petition moved gets a
    `unit_transferred` event on its timeline (`services.transfer_open_petitions`).
    """
    old_unit = get_object_or_404(AdministrativeUnit, pk=pk)
    old_name = unit_choice_label(old_unit)  # the successor often bears the same name
    if not can_see_unit(request.user, old_unit):
        raise Http404
    if not can_transfer_open_petitions(request.user, old_unit):
        raise PermissionDenied
    allowed = [u.pk for u in old_unit.successor_units() if can_transfer_open_petitions(request.user, old_unit, u)]
    successors = old_unit.successor_units().filter(pk__in=allowed)
    open_petitions = Petition.objects.filter(unit=old_unit, status__in=OPEN_STATUSES).select_related("category")
    count = open_petitions.count()
    if not allowed:
        question = _("%(unit)s has no successor unit that you supervise: there is nowhere to move its petitions.") % {
            "unit": old_name
        }
    else:
        question = _(
            "%(count)s open petition(s) of %(unit)s will move to the successor you choose. Its officials will "
            "then handle them, with the petitioners' contacts; answered, resolved and rejected petitions stay "
            "with %(unit)s as its history."
        ) % {"count": count, "unit": old_name}
    return confirmed_action(
        request,
        old_unit,
        perform=lambda data, by, ip: services.transfer_open_petitions(
            old_unit=old_unit, new_unit=data["successor"], by=by, ip=ip
        ),
        title=_("Transfer the open petitions of %(unit)s") % {"unit": old_name},
        question=question,
        success=_("%(count)s open petition(s) of %(unit)s were transferred.") % {"count": count, "unit": old_name},
        back_url=reverse("petitions:inbox") + f"?unit={old_unit.pk}",
        success_url=reverse("petitions:inbox"),
        form_class=TransferOpenPetitionsForm,
        form_kwargs={"successors": successors},
        button=_("Transfer %(count)s petition(s)") % {"count": count},
        extra_template="petitions/includes/transfer_open_petitions.html",
        context={"open_petitions": open_petitions[:BULK_LIMIT], "open_count": count},
    )
