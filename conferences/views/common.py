"""What the plan and conference views share: the units a user may schedule in, and small URL helpers.

Objects are fetched *and* authorised in one call by `conferences.models.get_<model>_for_user`
(another unit's object is a 404, a failed predicate a 403); one-shot actions go through
`audit.views.confirmed_action`.
"""

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse

from conferences.permissions import can_manage_conferences
from units.models import AdministrativeUnit
from units.permissions import unit_ids_in_scope

SUMMARY = "conferences/includes/conference_summary.html"
PLAN_SUMMARY = "conferences/includes/plan_header.html"


def require(allowed: bool) -> None:
    """Raise PermissionDenied (403) unless `allowed` (for pages that are not about one object)."""
    if not allowed:
        raise PermissionDenied


def manages(user, conference) -> bool:
    """Return True if `user` may manage `conference` (its unit's conference officials)."""
    return can_manage_conferences(user, conference.unit)


def manages_plan(user, plan) -> bool:
    return can_manage_conferences(user, plan.unit)


def manageable_units(user):
    """Return the units in which `user` may schedule conferences and write plans."""
    scope = unit_ids_in_scope(user)
    units = AdministrativeUnit.objects.all() if scope is None else AdministrativeUnit.objects.filter(pk__in=scope)
    ids = [unit.pk for unit in units.only("pk", "path") if can_manage_conferences(user, unit)]
    return AdministrativeUnit.objects.filter(pk__in=ids).order_by("level", "name", "-valid_from")


def petition_url(pk: int) -> str:
    """Return the officials' page of a petition (the petitions app may not route it yet)."""
    try:
        return reverse("petitions:petition_detail", args=[pk])
    except NoReverseMatch:
        return f"/portal/petitions/{pk}/"


def detail_url(conference) -> str:
    return reverse("conferences:conference_detail", args=[conference.pk])


def plan_url(plan) -> str:
    return reverse("conferences:plan_detail", args=[plan.pk])


def post_data(request):
    """Return the POST data on a POST (even an empty one, so a form binds), else None."""
    return request.POST if request.method == "POST" else None


def post_files(request):
    return request.FILES if request.method == "POST" else None
