"""Opinions raised at a held conference: each becomes a petition, so the page belongs to petitions
(conferences must not import petitions). It keeps its address and name, `conferences:opinions`
(see `petitions.urls.conference_urlpatterns`, wired into the conferences namespace by the project).

Built for entering many rows in a row: the form sits above the table, a valid submission redirects
back to the same page (form cleared, new row listed), an invalid one re-renders with the input kept.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.services import client_ip
from audit.transitions import TransitionNotAllowed
from audit.views import report_refusal
from conferences.models import HELD_STATUSES, get_conference_for_user
from conferences.permissions import can_manage_conferences
from petitions import services
from petitions.forms import OpinionForm
from petitions.models import PetitionKind
from petitions.permissions import can_see_contacts
from petitions.views.petitions import detail_url


@login_required
@require_http_methods(["GET", "POST"])
def opinions(request, pk):
    conference = get_conference_for_user(request.user, pk)
    may_record = can_manage_conferences(request.user, conference.unit)
    held = conference.status in HELD_STATUSES
    if request.method == "POST" and not may_record:
        raise PermissionDenied
    # Kind and category stay as they were for the next opinion: a conference often dwells on one topic.
    sticky = {}
    if request.GET.get("kind") in PetitionKind.values:
        sticky["kind"] = request.GET["kind"]
    if request.GET.get("category", "").isdecimal():
        sticky["category"] = int(request.GET["category"])
    form = OpinionForm(request.POST if request.method == "POST" else None, initial=sticky)
    if "next" in request.GET:
        form.fields["title"].widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            petition = services.record_conference_opinion(
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
        petition.url = detail_url(petition)
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
    return render(request, "petitions/conference_opinions.html", context)
