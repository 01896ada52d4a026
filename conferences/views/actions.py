"""One-shot conference actions, each a call to `audit.views.confirmed_action`: GET shows the
confirmation (with what must be filled in), POST calls one service and returns to the conference.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.forms import ConfirmForm, ReasonForm
from audit.services import client_ip
from audit.transitions import TransitionNotAllowed
from audit.views import confirmed_action, report_refusal
from conferences import services
from conferences.forms import (
    AnnounceForm,
    ConclusionDoneForm,
    MinutesForm,
    OutcomeForm,
    ParticipationFormSet,
    PostponeForm,
    RescheduleForm,
    organisations_for,
)
from conferences.models import MinutesStatus, get_conclusion_item_for_user, get_conference_for_user
from conferences.permissions import can_approve_minutes
from conferences.views.common import SUMMARY, detail_url, manages


def _confirm(request, conference, **options):
    """The conference's confirmation page: its summary on top, back to its detail page."""
    options.setdefault("back_url", detail_url(conference))
    return confirmed_action(
        request, conference, summary_template=SUMMARY, context={"conference": conference}, **options
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_announce(request, pk):
    """Announce: the form shows the lead time in force and asks for a reason before a shorter one."""
    conference = get_conference_for_user(request.user, pk, action=manages)
    return _confirm(
        request,
        conference,
        form_class=AnnounceForm,
        form_kwargs={"conference": conference},
        perform=lambda data, **actor: services.announce_conference(
            conference=conference,
            invitation_sent_on=data["invitation_sent_on"],
            short_notice_reason=data["short_notice_reason"],
            **actor,
        ),
        title=_("Announce the conference"),
        question=_("Record that the invitations went out and the conference is announced."),
        button=_("Announce"),
        success=_("The conference is announced."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_postpone(request, pk):
    conference = get_conference_for_user(request.user, pk, action=manages)
    return _confirm(
        request,
        conference,
        form_class=PostponeForm,
        perform=lambda data, **actor: services.postpone_conference(
            conference=conference, reason=data["reason"], new_start=data["new_start"], **actor
        ),
        title=_("Postpone the conference"),
        button=_("Postpone"),
        success=_("The conference is postponed."),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_reschedule(request, pk):
    conference = get_conference_for_user(request.user, pk, action=manages)
    return _confirm(
        request,
        conference,
        form_class=RescheduleForm,
        perform=lambda data, **actor: services.reschedule_conference(
            conference=conference, planned_start=data["planned_start"], **actor
        ),
        title=_("Reschedule the conference"),
        question=_("Bring the postponed conference back to planned at a new date."),
        button=_("Reschedule"),
        success=_("The conference is planned again at the new date."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_cancel(request, pk):
    conference = get_conference_for_user(request.user, pk, action=manages)
    return _confirm(
        request,
        conference,
        form_class=ReasonForm,
        perform=lambda data, **actor: services.cancel_conference(conference=conference, reason=data["reason"], **actor),
        title=_("Cancel the conference"),
        question=_("A cancelled conference cannot be brought back."),
        button=_("Cancel the conference"),
        success=_("The conference is cancelled."),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_close(request, pk):
    conference = get_conference_for_user(request.user, pk, action=manages)
    return _confirm(
        request,
        conference,
        form_class=ConfirmForm,
        perform=lambda data, **actor: services.close_conference(conference=conference, **actor),
        title=_("Close the conference"),
        question=_("Close the conference now that its conclusions are carried out? This is final."),
        button=_("Close"),
        success=_("The conference is closed."),
    )


def _minutes_action(request, pk, status, **options):
    conference = get_conference_for_user(request.user, pk, action=can_approve_minutes)
    return _confirm(
        request,
        conference,
        perform=lambda data, **actor: services.set_minutes_status(conference=conference, status=status, **actor),
        **options,
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_approve(request, pk):
    return _minutes_action(
        request,
        pk,
        MinutesStatus.APPROVED,
        title=_("Approve the minutes"),
        question=_("Approve the minutes as they stand? They can no longer be edited unless returned to draft."),
        button=_("Approve the minutes"),
        success=_("The minutes are approved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_lock(request, pk):
    return _minutes_action(
        request,
        pk,
        MinutesStatus.LOCKED,
        title=_("Lock the minutes"),
        question=_("Lock the approved minutes? Locked minutes can never be changed."),
        button=_("Lock the minutes"),
        success=_("The minutes are locked."),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_to_draft(request, pk):
    return _minutes_action(
        request,
        pk,
        MinutesStatus.DRAFT,
        title=_("Return the minutes to draft"),
        question=_("Return the approved minutes to draft so that they can be corrected?"),
        button=_("Return to draft"),
        success=_("The minutes are a draft again."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    conference = get_conference_for_user(request.user, pk, action=manages)
    return _confirm(
        request,
        conference,
        form_class=MinutesForm,
        initial={"minutes_text": conference.minutes_text},
        perform=lambda data, **actor: services.update_minutes(
            conference=conference, text=data["minutes_text"], file=data["minutes_file"] or None, **actor
        ),
        title=_("Minutes"),
        button=_("Save the minutes"),
        success=_("The minutes were saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_record_outcome(request, pk):
    """Record that the conference was held: date, attendance, participants by organisation, minutes.

    Not a confirmed action: a form and a formset on a page of its own."""
    conference = get_conference_for_user(request.user, pk, action=manages)
    organisations = organisations_for(conference.unit)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = OutcomeForm(data, files, initial={"attendance": conference.attendance})
    formset = ParticipationFormSet(data, prefix="participants", form_kwargs={"organisations": organisations})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.record_conference_outcome(
                conference=conference,
                held_on=form.cleaned_data["held_on"],
                attendance=form.cleaned_data["attendance"],
                participants=formset.participants(),
                minutes_text=form.cleaned_data["minutes_text"],
                minutes_file=form.cleaned_data["minutes_file"],
                by=request.user,
                ip=client_ip(request),
            )
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The conference is recorded as held. Now enter the opinions raised."))
            return redirect("conferences:opinions", pk=conference.pk)
    return render(
        request, "conferences/conference_outcome.html", {"conference": conference, "form": form, "formset": formset}
    )


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_done(request, pk):
    item = get_conclusion_item_for_user(request.user, pk, action=manages)
    conference = item.conference
    return _confirm(
        request,
        conference,
        form_class=ConclusionDoneForm,
        perform=lambda data, **actor: services.mark_conclusion_done(item=item, done_on=data["done_on"], **actor),
        title=_("Mark a conclusion carried out"),
        question=f"{item.number}. {item.text}",
        button=_("Mark carried out"),
        success=_("Conclusion %(number)s is carried out.") % {"number": item.number},
        back_url=reverse("conferences:conclusions", args=[conference.pk]),
    )
