"""Opinions raised at a held conference (each becomes a petition) and the conference's conclusions.

Both pages are built for entering many rows in a row: the form sits above the table, a valid
submission redirects back to the same page (form cleared, new row listed), an invalid one
re-renders with the input kept. No JavaScript needed.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.services import client_ip
from audit.transitions import TransitionNotAllowed
from audit.views import report_refusal
from conferences import services
from conferences.forms import ConclusionForm, OpinionForm
from conferences.models import HELD_STATUSES, ConferenceStatus, get_conference_for_user
from conferences.permissions import can_manage_conferences
from conferences.views.common import petition_url, post_data, require
from petitions import services as petition_services
from petitions.models import Petition, PetitionKind
from petitions.permissions import can_see_contacts


@login_required
@require_http_methods(["GET", "POST"])
def opinions(request, pk):
    conference = get_conference_for_user(request.user, pk)
    may_record = can_manage_conferences(request.user, conference.unit)
    held = conference.status in HELD_STATUSES
    if request.method == "POST":
        require(may_record)
    # Kind and category stay as they were for the next opinion: a conference often dwells on one topic.
    sticky = {}
    if request.GET.get("kind") in PetitionKind.values:
        sticky["kind"] = request.GET["kind"]
    if request.GET.get("category", "").isdigit():
        sticky["category"] = int(request.GET["category"])
    form = OpinionForm(post_data(request), initial=sticky)
    if "next" in request.GET:
        form.fields["title"].widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            petition = petition_services.record_conference_opinion(
                conference=conference,
                kind=data["kind"],
                category=data["category"],
                title=data["title"],
                content=data["content"],
                petitioner_name=data["petitioner_name"],
                petitioner_phone=data["petitioner_phone"],
                answer_on_spot=data["answer_on_spot"],
                by=request.user,
                ip=client_ip(request),
            )
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(
                request,
                _("Opinion %(code)s recorded: %(status)s.")
                % {"code": petition.display_code, "status": petition.get_status_display()},
            )
            query = urlencode({"kind": data["kind"], "category": data["category"].pk, "next": 1})
            return redirect(f"{reverse('conferences:opinions', args=[conference.pk])}?{query}")
    petitions = list(conference.petitions.select_related("category", "unit").order_by("-pk"))
    for petition in petitions:
        petition.url = petition_url(petition.pk)
        petition.contacts_visible = can_see_contacts(request.user, petition)
    context = {
        "conference": conference,
        "form": form,
        "petitions": petitions,
        "can_record": may_record and held,
        # A refused submission is shown again with its input, whatever the status.
        "show_form": may_record and (held or form.is_bound),
        "held": held,
    }
    return render(request, "conferences/conference_opinions.html", context)


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
    items = list(
        conference.conclusions.select_related("assignee").prefetch_related(
            Prefetch("petitions", queryset=Petition.objects.order_by("pk"))
        )
    )
    for item in items:
        for petition in item.petitions.all():
            petition.url = petition_url(petition.pk)
    context = {
        "conference": conference,
        "form": form,
        "items": items,
        "can_record": may_record and conference.status in (ConferenceStatus.HELD, ConferenceStatus.CONCLUDED),
        "can_mark_done": may_record,
    }
    return render(request, "conferences/conference_conclusions.html", context)
