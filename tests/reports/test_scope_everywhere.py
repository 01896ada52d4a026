"""A scope that covers every unit counts the whole table without listing every unit (dashboard speed)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import stats
from reports.dashboard import dashboard_figures
from tests import factories as f
from tests.reports.test_dashboard import fill
from units.models import AdministrativeUnit, Role


def _year():
    today = timezone.localdate()
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


def test_a_scope_of_every_unit_has_no_unit_filter_and_the_same_figures(world):
    today = timezone.localdate()
    fill(world, 3, today)
    f.PetitionFactory(unit=world.ward_b, status="answered", answered_on=today, due_on=today)
    start, end = _year()
    every = set(AdministrativeUnit.objects.values_list("pk", flat=True))
    whole = stats.Scope.for_unit_ids(every, start, end)
    assert whole.unit_ids is None
    assert stats.Scope.for_unit(world.city, start, end).unit_ids is None
    assert stats.Scope.for_unit_ids(every, start, end, stats.TODAY).attribution == stats.today_units_map()
    listed = stats.Scope(start=start, end=end, unit_ids=frozenset(every))
    assert stats.summary(whole) == stats.summary(listed)
    assert stats.answered_on_time(whole)["answered"] == 4


def test_a_scope_missing_one_unit_keeps_its_filter(world):
    start, end = _year()
    f.PetitionFactory(unit=world.ward_b, status="answered", answered_on=timezone.localdate())
    some = set(AdministrativeUnit.objects.values_list("pk", flat=True)) - {world.ward_b.pk}
    scope = stats.Scope.for_unit_ids(some, start, end)
    assert scope.unit_ids == frozenset(some)
    assert stats.answered_on_time(scope)["answered"] == 0


def test_a_city_supervisors_dashboard_counts_without_listing_units(client, world):
    today = timezone.localdate()
    fill(world, 2, today)
    mayor = f.UserFactory(username="mayor")
    f.MembershipFactory(user=mayor, unit=world.city, role=Role.SUPERVISOR)
    with CaptureQueriesContext(connection) as ctx:
        figures = dashboard_figures(mayor, today=today)
    petition_sql = [q["sql"] for q in ctx.captured_queries if 'FROM "petitions_petition"' in q["sql"]]
    assert petition_sql and not any('"unit_id" IN (' in sql for sql in petition_sql)
    assert figures["workload"] == dashboard_figures(world.sam, today=today)["workload"] | {"mine": 0}
    client.force_login(mayor)
    assert client.get(reverse("dashboard")).status_code == 200
