"""One-shot conference actions. GET shows the confirmation page (with what must be filled in);
POST checks the permission again, calls one service and returns to the conference.

A refused transition (`TransitionNotAllowed`) is shown as a message and the form keeps its input.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.transitions import TransitionNotAllowed
from audit.views import confirmed_action
from conferences import services
from conferences.forms import (
    AnnounceForm,
    CancelForm,
    ConclusionDoneForm,
    ConfirmForm,
    MinutesForm,
    OutcomeForm,
    ParticipationFormSet,
    PostponeForm,
    RescheduleForm,
    organisations_for,
)
from conferences.models import ConclusionItem, Conference, MinutesStatus
from conferences.permissions import can_approve_minutes, can_manage_conferences
from conferences.views.common import access_conference, detail_url, ip, post_data, post_files, report_refusal, require


def _manages(user, conference) -> bool:
    return can_manage_conferences(user, conference.unit)


def _action(request, pk, *, form_class, perform, title, button, done, allowed=_manages, question="", danger=False):
    """Run a confirmed action: `perform(conference, data, by=, ip=)` may return a warning to show."""
    conference = access_conference(request, pk)
    require(allowed(request.user, conference))
    form = form_class(post_data(request), post_files(request))
    if request.method == "POST" and form.is_valid():
        try:
            warning = perform(conference, form.cleaned_data, by=request.user, ip=ip(request))
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, done)
            if isinstance(warning, str) and warning:
                messages.warning(request, warning)
            return redirect(detail_url(conference))
    context = {"conference": conference, "form": form, "title": title, "question": question, "button": button}
    return render(request, "conferences/conference_action.html", {**context, "danger": danger})


@login_required
@require_http_methods(["GET", "POST"])
def conference_announce(request, pk):
    """Announce: the form shows the lead time in force and asks for a reason before a shorter one."""
    conference = access_conference(request, pk)
    require(_manages(request.user, conference))
    return confirmed_action(
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
        back_url=detail_url(conference),
        context={"conference": conference},
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_postpone(request, pk):
    return _action(
        request,
        pk,
        form_class=PostponeForm,
        perform=lambda c, data, **kw: services.postpone_conference(
            conference=c, reason=data["reason"], new_start=data["new_start"], **kw
        ),
        title=_("Postpone the conference"),
        button=_("Postpone"),
        done=_("The conference is postponed."),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_reschedule(request, pk):
    return _action(
        request,
        pk,
        form_class=RescheduleForm,
        perform=lambda c, data, **kw: services.reschedule_conference(
            conference=c, planned_start=data["planned_start"], **kw
        ),
        title=_("Reschedule the conference"),
        question=_("Bring the postponed conference back to planned at a new date."),
        button=_("Reschedule"),
        done=_("The conference is planned again at the new date."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_cancel(request, pk):
    return _action(
        request,
        pk,
        form_class=CancelForm,
        perform=lambda c, data, **kw: services.cancel_conference(conference=c, reason=data["reason"], **kw),
        title=_("Cancel the conference"),
        question=_("A cancelled conference cannot be brought back."),
        button=_("Cancel the conference"),
        done=_("The conference is cancelled."),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_close(request, pk):
    return _action(
        request,
        pk,
        form_class=ConfirmForm,
        perform=lambda c, data, **kw: services.close_conference(conference=c, **kw),
        title=_("Close the conference"),
        question=_("Close the conference now that its conclusions are carried out? This is final."),
        button=_("Close"),
        done=_("The conference is closed."),
    )


def _minutes_action(request, pk, status, *, title, question, button, done, danger=False):
    return _action(
        request,
        pk,
        form_class=ConfirmForm,
        allowed=can_approve_minutes,
        perform=lambda c, data, **kw: services.set_minutes_status(conference=c, status=status, **kw),
        title=title,
        question=question,
        button=button,
        done=done,
        danger=danger,
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
        done=_("The minutes are approved."),
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
        done=_("The minutes are locked."),
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
        done=_("The minutes are a draft again."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    conference = access_conference(request, pk)
    require(_manages(request.user, conference))
    form = MinutesForm(post_data(request), post_files(request), initial={"minutes_text": conference.minutes_text})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_minutes(
                conference=conference,
                text=form.cleaned_data["minutes_text"],
                file=form.cleaned_data["minutes_file"] or None,
                by=request.user,
                ip=ip(request),
            )
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The minutes were saved."))
            return redirect(detail_url(conference))
    context = {
        "conference": conference,
        "form": form,
        "title": _("Minutes"),
        "button": _("Save the minutes"),
        "multipart": True,
    }
    return render(request, "conferences/conference_action.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def conference_record_outcome(request, pk):
    """Record that the conference was held: date, attendance, participants by organisation, minutes."""
    conference = access_conference(request, pk)
    require(_manages(request.user, conference))
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
                ip=ip(request),
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
    item = get_object_or_404(
        ConclusionItem.objects.select_related("conference__unit", "assignee"),
        pk=pk,
        conference__in=Conference.objects.visible_to(request.user).values("pk"),
    )
    conference = item.conference
    require(_manages(request.user, conference))
    form = ConclusionDoneForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_conclusion_done(
                item=item, done_on=form.cleaned_data["done_on"], by=request.user, ip=ip(request)
            )
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Conclusion %(number)s is carried out.") % {"number": item.number})
            return redirect("conferences:conclusions", pk=conference.pk)
    context = {
        "conference": conference,
        "form": form,
        "title": _("Mark a conclusion carried out"),
        "question": f"{item.number}. {item.text}",
        "button": _("Mark carried out"),
    }
    return render(request, "conferences/conference_action.html", context)
