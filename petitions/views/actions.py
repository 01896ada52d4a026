"""One view per petition action, each a call to `audit.views.confirmed_action`: a GET shows the
confirmation form, only its POST changes anything. The petition is fetched with
`get_petition_for_user(user, pk, action=predicate)` (404 outside scope, 403 when not allowed).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.forms import NoteForm, ReasonForm
from audit.services import client_ip
from audit.views import confirmed_action
from petitions import services
from petitions.forms import (
    AnswerForm,
    AssignForm,
    BulkAssignForm,
    ExtendForm,
    RedactForm,
    RejectForm,
    TransferOpenPetitionsForm,
)
from petitions.models import OPEN_STATUSES, Petition, PetitionKind, RejectionReason, get_petition_for_user
from petitions.permissions import can_answer, can_manage_petition, can_transfer_open_petitions
from petitions.views.petitions import detail_url
from rules.workdays import working_days_between
from units.forms import unit_label
from units.models import get_unit_for_user

BULK_LIMIT = 200


SUMMARY = "petitions/includes/petition_summary.html"


def _confirm(request, petition, *, context=None, **options):
    """The petition's confirmation page: its code, title and status on top, back to its detail page."""
    return confirmed_action(
        request,
        petition,
        back_url=detail_url(petition),
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
def petition_redact(request, pk):
    petition = get_petition_for_user(request.user, pk, action=can_manage_petition)
    return _confirm(
        request,
        petition,
        form_class=RedactForm,
        title=_("Hide personal data in the petition's text"),
        success=_("The passage was hidden."),
        perform=lambda data, **actor: services.redact_petition_text(
            petition=petition, passage=data["passage"], **actor
        ),
    )


@login_required
@require_POST
def bulk_assign(request):
    """Assign the petitions ticked in the inbox: first POST shows the confirmation, the second assigns."""
    raw_ids = [int(i) for i in request.POST.getlist("ids") if i.isdecimal()][:BULK_LIMIT]
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


# --- After a reform: an old unit's open petitions move to a successor ---------------------------


@login_required
def transfer_open_petitions(request, pk):
    """Move the open petitions of an old unit to one of its successors, after a confirmation showing how many.

    For supervising officials over the old unit (and the successor) and administrators: 404 for a
    unit outside the person's own scope, 403 for anyone else who sees it — a successor's officials
    read the old unit's petitions but do not take them over. Each petition moved gets a
    `unit_transferred` event on its timeline (`services.transfer_open_petitions`).
    """
    old_unit = get_unit_for_user(request.user, pk, action=can_transfer_open_petitions)
    old_name = unit_label(old_unit)  # the successor often bears the same name
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
