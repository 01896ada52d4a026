"""What every plan and conference view starts from: fetch *and* authorise in one call.

`access_*` functions return the object only from the user's scoped queryset, so another unit's
object is a 404; `require` turns a failed permission predicate into a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from audit.services import client_ip
from audit.transitions import TransitionNotAllowed
from conferences.models import Conference, DialoguePlan
from conferences.permissions import can_manage_conferences
from units.models import AdministrativeUnit
from units.permissions import readable_unit_ids, unit_ids_in_scope


def plans_visible_to(user):
    """Return the plans `user` may read (their units' plans and their predecessors'), with the unit joined."""
    scope = readable_unit_ids(user)
    qs = DialoguePlan.objects.select_related("unit")
    return qs if scope is None else qs.filter(unit_id__in=scope)


def access_plan(request, pk) -> DialoguePlan:
    return get_object_or_404(plans_visible_to(request.user), pk=pk)


def access_conference(request, pk) -> Conference:
    return get_object_or_404(Conference.objects.visible_to(request.user), pk=pk)


def require(allowed: bool) -> None:
    """Raise PermissionDenied (403) unless `allowed`."""
    if not allowed:
        raise PermissionDenied


def manageable_units(user):
    """Return the units in which `user` may schedule conferences and write plans."""
    scope = unit_ids_in_scope(user)
    units = AdministrativeUnit.objects.all() if scope is None else AdministrativeUnit.objects.filter(pk__in=scope)
    ids = [unit.pk for unit in units.only("pk", "path") if can_manage_conferences(user, unit)]
    return AdministrativeUnit.objects.filter(pk__in=ids).order_by("level", "name", "-valid_from")


def ip(request) -> str | None:
    return client_ip(request)


def report_refusal(request, error: TransitionNotAllowed) -> None:
    messages.error(request, error.message)


def petition_url(pk: int) -> str:
    """Return the officials' page of a petition (the petitions app may not route it yet)."""
    try:
        return reverse("petitions:petition_detail", args=[pk])
    except NoReverseMatch:
        return f"/portal/petitions/{pk}/"


def detail_url(conference) -> str:
    return reverse("conferences:conference_detail", args=[conference.pk])


def post_data(request):
    """Return the POST data on a POST (even an empty one, so a confirmation binds its form), else None."""
    return request.POST if request.method == "POST" else None


def post_files(request):
    return request.FILES if request.method == "POST" else None
