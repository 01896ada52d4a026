"""The petitions inbox: its filters, its search and a seek ("keyset") paginator.

The inbox must stay fast at a million rows, so it never counts the filtered set exactly and
never uses OFFSET: a page is the next `size` rows after the last one shown, on the sort key
plus the id (`(submitted_at, id)` or `(due_on, id)`), which the indexes in
`Petition.Meta.indexes` serve. The count shown is bounded (`COUNT_CAP`), e.g. "1000+".
"""

import datetime
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conferences.models import HELD_STATUSES
from petitions.codes import normalise_tracking_code
from petitions.models import (
    ANSWERED_ON_TIME,
    ANSWERED_STATUSES,
    DUE_SOON_WORKING_DAYS,
    OPEN_STATUSES,
    Category,
    Channel,
    PetitionKind,
    PetitionStatus,
    Verdict,
    answered_on_spot_q,
    past_due_q,
)
from rules.workdays import add_working_days
from units.models import AdministrativeUnit
from units.permissions import readable_unit_ids


def day_start(day: datetime.date) -> datetime.datetime:
    """Return the first instant of `day` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


PAGE_SIZE = 50
COUNT_CAP = 1000


FLAG_ON = ("1", "true", "on", "yes")


def flag_on(value) -> bool:
    """Return True for a checked flag: "1", "true", "on", "yes" (any case); "0", "false", "off", "" are off."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in FLAG_ON


class FlagInput(forms.CheckboxInput):
    """A checkbox that reads "0", "false", "off" and "" as unchecked (Django's reads any text as checked)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=flag_on)

    def value_from_datadict(self, data, files, name):
        return flag_on(data.get(name, ""))


class FlagField(forms.Field):
    """A flag's value: True when on, None when off (so that the filter is skipped)."""

    def to_python(self, value):
        return True if flag_on(value if value is not None else "") else None


class FlagFilter(django_filters.Filter):
    """A checkbox: `?overdue=1` turns it on; absent, unchecked, "0", "false", "off" or "" does nothing."""

    field_class = FlagField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", FlagInput())
        super().__init__(*args, **kwargs)


SORT_CHOICES = [
    ("-received", _("Newest first")),
    ("received", _("Oldest first")),
    ("due", _("Due date, soonest first")),
]


class PetitionInboxFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Tracking code or title"))
    # distinct=False: a status IN (…) needs no DISTINCT, which would sort every matching row.
    status = django_filters.MultipleChoiceFilter(choices=PetitionStatus.choices, label=_("Status"), distinct=False)
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), label=_("Category"))
    kind = django_filters.ChoiceFilter(choices=PetitionKind.choices, label=_("Kind"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    unit = django_filters.ModelChoiceFilter(queryset=AdministrativeUnit.objects.none(), label=_("Unit"))
    conference = django_filters.NumberFilter(
        field_name="conference_id", label=_("Conference"), widget=forms.HiddenInput
    )
    answered_from = django_filters.DateFilter(field_name="answered_on", lookup_expr="gte", label=_("Answered from"))
    answered_to = django_filters.DateFilter(field_name="answered_on", lookup_expr="lte", label=_("Answered until"))
    # The statistics' definitions (reports.stats), so that a figure's link lists exactly what it counts.
    held_from = django_filters.DateFilter(method="filter_held_from", label=_("Raised at a conference held from"))
    held_to = django_filters.DateFilter(method="filter_held_to", label=_("Raised at a conference held until"))
    answered_on_spot = FlagFilter(method="filter_answered_on_spot", label=_("Answered on the spot"))
    answered_on_time = FlagFilter(method="filter_answered_on_time", label=_("Answered on time"))
    verdict_from = django_filters.DateFilter(method="filter_verdict_from", label=_("Verdict given from"))
    verdict_to = django_filters.DateFilter(method="filter_verdict_to", label=_("Verdict given until"))
    verdict = django_filters.ChoiceFilter(
        choices=[("any", _("Any verdict")), *Verdict.choices], method="filter_verdict", label=_("Citizen's verdict")
    )
    overdue = FlagFilter(method="filter_overdue", label=_("Overdue"))
    due_soon = FlagFilter(method="filter_due_soon", label=_("Due within 3 working days"))
    mine = FlagFilter(method="filter_mine", label=_("Assigned to me"))
    my_unit = FlagFilter(method="filter_my_unit", label=_("My handling unit"))
    unassigned = FlagFilter(method="filter_unassigned", label=_("Not yet given to an officer"))
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="no_op", label=_("Sort"), empty_label=None, null_label=None
    )

    def __init__(self, data=None, *args, user, today: datetime.date | None = None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.today = today or timezone.localdate()
        scope = readable_unit_ids(user)
        units = AdministrativeUnit.objects.all() if scope is None else AdministrativeUnit.objects.filter(pk__in=scope)
        self.filters["unit"].queryset = units.order_by("level", "name")
        self.filters["category"].queryset = Category.objects.filter(is_active=True)
        self.show_unit_filter = scope is None or len(scope) > 1

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        code = normalise_tracking_code(value)
        if code:
            return qs.filter(Q(tracking_code=code) | Q(title__icontains=value))
        return qs.filter(title__icontains=value)

    def filter_verdict(self, qs, name, value):
        if not value:
            return qs
        if value == "any":
            return qs.exclude(verdict="")
        return qs.filter(verdict=value)

    def filter_held_from(self, qs, name, value):
        """Raised at a conference held (status held, concluded or closed) on or after `value`."""
        return qs.filter(conference__status__in=HELD_STATUSES, conference__held_on__gte=value)

    def filter_held_to(self, qs, name, value):
        """Raised at a conference held on or before `value`."""
        return qs.filter(conference__status__in=HELD_STATUSES, conference__held_on__lte=value)

    def filter_answered_on_spot(self, qs, name, value):
        """Answered on the spot, as `reports.stats.opinions` counts it."""
        return qs.filter(answered_on_spot_q())

    def filter_answered_on_time(self, qs, name, value):
        """Answered (on the spot, in writing or resolved) by the original deadline, as `ANSWERED_ON_TIME`."""
        return qs.filter(ANSWERED_ON_TIME, status__in=ANSWERED_STATUSES, answered_on__isnull=False)

    def filter_verdict_from(self, qs, name, value):
        """Verdict given on or after the day `value` (local time)."""
        return qs.filter(verdict_at__gte=day_start(value))

    def filter_verdict_to(self, qs, name, value):
        """Verdict given on or before the day `value` (local time)."""
        return qs.filter(verdict_at__lt=day_start(value + datetime.timedelta(days=1)))

    def filter_overdue(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(past_due_q(self.today), status__in=OPEN_STATUSES)

    def filter_due_soon(self, qs, name, value):
        if not value:
            return qs
        until = add_working_days(self.today, DUE_SOON_WORKING_DAYS)
        return qs.filter(status__in=OPEN_STATUSES, due_on__gte=self.today, due_on__lte=until)

    def filter_mine(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(assignee=self.user)

    def filter_my_unit(self, qs, name, value):
        if not value:
            return qs
        org_ids = self.user.memberships.filter(is_active=True, organisation__isnull=False).values("organisation_id")
        return qs.filter(handling_org_id__in=org_ids)

    def filter_unassigned(self, qs, name, value):
        return qs.filter(assignee__isnull=True)

    def no_op(self, qs, name, value):
        return qs

    def cleaned(self, name):
        """Return the cleaned value of one field, even when another field is invalid (and so ignored)."""
        if not self.form.is_bound:
            return None
        self.form.errors  # noqa: B018 - runs the validation once
        return self.form.cleaned_data.get(name)

    @property
    def sort_key(self) -> str:
        value = self.cleaned("sort")
        return value if value in dict(SORT_CHOICES) else "-received"


def without_empty(params):
    """Return a copy of a QueryDict without its empty values (a form's "All" options send `status=`)."""
    params = params.copy()
    for key in list(params):
        values = [v for v in params.getlist(key) if v.strip()]
        if values:
            params.setlist(key, values)
        else:
            del params[key]
    return params


# --- Seek pagination ---------------------------------------------------------------------


@dataclass
class SeekPage:
    rows: list
    has_next: bool = False
    has_previous: bool = False
    next_cursor: str = ""
    previous_cursor: str = ""
    extra: dict = field(default_factory=dict)


# sort key → (field, descending, nullable)
SEEK_KEYS = {
    "-received": ("submitted_at", True, False),
    "received": ("submitted_at", False, False),
    "due": ("due_on", False, True),
}


def _encode(value, pk) -> str:
    return f"{value.isoformat() if value is not None else ''}~{pk}"


def _decode(cursor: str, field_name: str):
    """Return (value, pk) from a cursor, or None if it is malformed."""
    try:
        raw, pk = cursor.rsplit("~", 1)
        pk = int(pk)
        if not raw:
            return None, pk
        if field_name == "due_on":
            return datetime.date.fromisoformat(raw), pk
        value = datetime.datetime.fromisoformat(raw)
        return (value if timezone.is_aware(value) else timezone.make_aware(value)), pk
    except (ValueError, TypeError):
        return None


def _after(field_name, descending, nullable, value, pk):
    """Return the condition "comes after (value, pk)" in the order (field desc?, id desc?), nulls last."""
    if value is None:  # only nullable keys have null values; they sort last, by id
        return Q(**{f"{field_name}__isnull": True}) & (Q(pk__lt=pk) if descending else Q(pk__gt=pk))
    strict, loose, pk_cmp = ("lt", "lte", "lt") if descending else ("gt", "gte", "gt")
    # The leading `field <= value` (or >=) is what an index range scan uses; the OR refines it.
    condition = Q(**{f"{field_name}__{loose}": value}) & (
        Q(**{f"{field_name}__{strict}": value}) | Q(**{f"pk__{pk_cmp}": pk})
    )
    if nullable:
        condition |= Q(**{f"{field_name}__isnull": True})
    return condition


def _before(field_name, descending, nullable, value, pk):
    """Return the condition "comes before (value, pk)" in the same order."""
    strict, loose, pk_cmp = ("gt", "gte", "gt") if descending else ("lt", "lte", "lt")
    if value is None:
        return Q(**{f"{field_name}__isnull": False}) | (
            Q(**{f"{field_name}__isnull": True}) & Q(**{f"pk__{pk_cmp}": pk})
        )
    return Q(**{f"{field_name}__{loose}": value}) & (
        Q(**{f"{field_name}__{strict}": value}) | Q(**{f"pk__{pk_cmp}": pk})
    )


def _ordering(field_name, descending, nullable, reverse=False):
    desc = descending != reverse
    if nullable:  # nulls last going forwards, so first when reading backwards
        nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
        key = F(field_name).desc(**nulls) if desc else F(field_name).asc(**nulls)
    else:
        key = f"-{field_name}" if desc else field_name
    return [key, "-pk" if desc else "pk"]


def seek_page(qs, *, sort: str, after: str = "", before: str = "", size: int = PAGE_SIZE) -> SeekPage:
    """Return one page of `qs` in `sort` order, after or before a cursor, in one query of size + 1 rows."""
    field_name, descending, nullable = SEEK_KEYS.get(sort, SEEK_KEYS["-received"])
    cursor, backwards = None, False
    if after:
        cursor = _decode(after, field_name)
    elif before:
        cursor, backwards = _decode(before, field_name), True
    if cursor is not None:
        condition = (_before if backwards else _after)(field_name, descending, nullable, *cursor)
        qs = qs.filter(condition)
    qs = qs.order_by(*_ordering(field_name, descending, nullable, reverse=backwards))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    page = SeekPage(rows=rows)
    if backwards:
        page.has_previous, page.has_next = more, cursor is not None
    else:
        page.has_next, page.has_previous = more, cursor is not None
    if rows:
        first, last = rows[0], rows[-1]
        page.next_cursor = _encode(getattr(last, field_name), last.pk)
        page.previous_cursor = _encode(getattr(first, field_name), first.pk)
    return page


def bounded_count(qs, cap: int | None = None) -> tuple[int, bool]:
    """Return (number of rows up to `cap`, whether there are more): one cheap query, never a full count."""
    cap = cap or COUNT_CAP
    n = qs.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap
