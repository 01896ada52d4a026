"""An official corrects their own mistakes before the notice is published: edit or withdraw a
conclusion item, remove a wrongly uploaded attachment. Each is confirmed, calls one service and
leaves an audit event (after publication, a new version of the notice corrects it instead)."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.views import confirmed_action
from conferences import services
from conferences.forms import AttachmentRemoveForm, ConclusionForm, ConclusionWithdrawForm
from conferences.models import get_conclusion_item_for_user, get_conference_attachment_for_user
from conferences.permissions import can_correct_conclusion, can_remove_attachment
from conferences.views.common import SUMMARY, detail_url


def _conclusions_url(conference) -> str:
    return reverse("conferences:conclusions", args=[conference.pk])


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_edit(request, pk):
    item = get_conclusion_item_for_user(request.user, pk, action=can_correct_conclusion)
    conference = item.conference
    return confirmed_action(
        request,
        item,
        form_class=ConclusionForm,
        form_kwargs={"conference": conference},
        initial={
            "text": item.text,
            "assignee": item.assignee_id,
            "deadline": item.deadline,
            "petitions": list(item.petitions.values_list("pk", flat=True)),
        },
        perform=lambda data, **actor: services.update_conclusion_item(
            item=item,
            text=data["text"],
            assignee=data["assignee"],
            deadline=data["deadline"],
            petitions=list(data["petitions"]),
            **actor,
        ),
        title=_("Correct conclusion %(number)s") % {"number": item.number},
        question=_("The conclusion as it was stays in the conference's history."),
        button=_("Save the correction"),
        success=_("Conclusion %(number)s was corrected.") % {"number": item.number},
        back_url=_conclusions_url(conference),
        summary_template=SUMMARY,
        context={"conference": conference},
    )


@login_required
@require_http_methods(["GET", "POST"])
def conclusion_withdraw(request, pk):
    item = get_conclusion_item_for_user(request.user, pk, action=can_correct_conclusion)
    conference = item.conference
    return confirmed_action(
        request,
        item,
        form_class=ConclusionWithdrawForm,
        perform=lambda data, **actor: services.withdraw_conclusion_item(item=item, reason=data["reason"], **actor),
        title=_("Withdraw conclusion %(number)s") % {"number": item.number},
        question=_(
            "Withdraw “%(text)s”? It leaves the draft notice and the list of conclusions, and stays in the history."
        )
        % {"text": item.text[:200]},
        button=_("Withdraw the conclusion"),
        success=_("Conclusion %(number)s was withdrawn.") % {"number": item.number},
        back_url=_conclusions_url(conference),
        danger=True,
        summary_template=SUMMARY,
        context={"conference": conference},
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_remove(request, pk):
    attachment = get_conference_attachment_for_user(request.user, pk, action=can_remove_attachment)
    conference = attachment.conference
    return confirmed_action(
        request,
        attachment,
        form_class=AttachmentRemoveForm,
        perform=lambda data, **actor: services.remove_attachment(attachment=attachment, reason=data["reason"], **actor),
        title=_("Remove the attachment"),
        question=_("Remove “%(title)s”? It is no longer listed nor downloadable; the conference's history keeps it.")
        % {"title": attachment.title},
        button=_("Remove the attachment"),
        success=_("The attachment was removed."),
        back_url=detail_url(conference),
        danger=True,
        summary_template=SUMMARY,
        context={"conference": conference},
    )
