"""A held conference's conclusions: the items, who carries each out and by when, and the petitions
each settles. Built for entering many rows in a row, like the opinions page (`petitions.views.opinions`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.services import client_ip
from audit.transitions import TransitionNotAllowed
from audit.views import report_refusal
from conferences import services
from conferences.forms import ConclusionForm
from conferences.models import ConferenceStatus, get_conference_for_user
from conferences.permissions import can_correct_records, can_manage_conferences
from conferences.views.common import petition_url, post_data, require


@login_required
@require_http_methods(["GET", "POST"])
def conclusions(request, pk):
    conference = get_conference_for_user(request.user, pk)
    may_record = can_manage_conferences(request.user, conference.unit)
    if request.method == "POST":
        require(may_record)
    form = ConclusionForm(post_data(request), conference=conference)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.add_conclusion_item(
                conference=conference,
                text=data["text"],
                assignee=data["assignee"],
                deadline=data["deadline"],
                petitions=list(data["petitions"]),
                by=request.user,
                ip=client_ip(request),
            )
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Conclusion %(number)s was added.") % {"number": item.number})
            return redirect("conferences:conclusions", pk=conference.pk)
    items = list(conference.conclusions.select_related("assignee").prefetch_related("petitions"))
    for item in items:
        item.petition_list = sorted(item.petitions.all(), key=lambda petition: petition.pk)
        for petition in item.petition_list:
            petition.url = petition_url(petition.pk)
    context = {
        "conference": conference,
        "form": form,
        "items": items,
        "can_record": may_record and conference.status in (ConferenceStatus.HELD, ConferenceStatus.CONCLUDED),
        "can_mark_done": may_record,
        # Before the notice is published an official corrects or withdraws a conclusion.
        "can_correct": can_correct_records(request.user, conference)
        and conference.status not in (ConferenceStatus.CONCLUDED, ConferenceStatus.CLOSED),
    }
    return render(request, "conferences/conference_conclusions.html", context)
