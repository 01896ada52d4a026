"""Filters of the follow-up list pages. Every unit choice is limited to the person's scope."""

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conferences.filters import UnitChoiceFilter
from followup.models import CommendationKind, Finding, NoticeStatus
from units.models import AdministrativeUnit
from units.permissions import readable_unit_ids


def units_in_scope(request):
    """Return the units the signed-in person may read (with their predecessors), for a filter's choices."""
    scope = readable_unit_ids(request.user)
    units = AdministrativeUnit.objects.order_by("level", "name", "valid_from")
    return units if scope is None else units.filter(pk__in=scope)


class NoticeFilter(django_filters.FilterSet):
    unit = UnitChoiceFilter(label=_("Unit"), queryset=units_in_scope)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=NoticeStatus.choices)
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year")
    late = django_filters.BooleanFilter(
        label=_("Late"),
        method="filter_late",
        widget=django_filters.widgets.BooleanWidget,
    )

    def filter_year(self, queryset, name, value):
        """The year of issue, or the year the draft was made while it has no date of issue."""
        year = int(value)
        return queryset.filter(Q(issued_on__year=year) | Q(issued_on__isnull=True, created_at__year=year))

    def filter_late(self, queryset, name, value):
        """Late: published after its deadline, or not yet published and the deadline has passed."""
        today = timezone.localdate()
        late = Q(status=NoticeStatus.PUBLISHED, published_at__date__gt=F("due_on")) | (
            ~Q(status=NoticeStatus.PUBLISHED) & Q(due_on__lt=today)
        )
        return queryset.filter(late) if value else queryset.exclude(late).exclude(due_on__isnull=True)


class ConferenceWithoutNoticeFilter(django_filters.FilterSet):
    unit = UnitChoiceFilter(label=_("Unit"), queryset=units_in_scope)
    year = django_filters.NumberFilter(label=_("Year held"), field_name="held_on", lookup_expr="year")


class SupervisionFilter(django_filters.FilterSet):
    unit = UnitChoiceFilter(label=_("Unit"), queryset=units_in_scope)
    finding = django_filters.ChoiceFilter(label=_("Finding"), choices=Finding.choices)
    recheck_due = django_filters.BooleanFilter(
        label=_("Re-check due"), method="filter_recheck_due", widget=django_filters.widgets.BooleanWidget
    )

    def filter_recheck_due(self, queryset, name, value):
        due = Q(recheck_on__lte=timezone.localdate(), rechecked_at__isnull=True)
        return queryset.filter(due) if value else queryset.exclude(due)


class CommendationFilter(django_filters.FilterSet):
    unit = UnitChoiceFilter(label=_("Unit"), queryset=units_in_scope)
    year = django_filters.NumberFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CommendationKind.choices)
