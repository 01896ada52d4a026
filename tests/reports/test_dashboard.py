"""The dashboard: the person's work in hand and this year's lights, each linked, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from conferences.models import ConferenceKind, ConferenceStatus, DialoguePlan
from petitions.models import PetitionStatus
from reports import stats
from reports.builder import build_report_data
from tests import factories as f

pytestmark = pytest.mark.django_db


def aware(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def fill(world, n, today):
    """Give ward A `n` of everything the dashboard counts."""
    for i in range(n):
        f.PetitionFactory(unit=world.ward_a, status=PetitionStatus.SUBMITTED)
        f.PetitionFactory(
            unit=world.ward_a, status=PetitionStatus.IN_PROGRESS, due_on=today - datetime.timedelta(days=1 + i)
        )
        f.PetitionFactory(unit=world.ward_a, status=PetitionStatus.IN_PROGRESS, due_on=today, assignee=world.alice)
        f.PetitionFactory(
            unit=world.ward_a,
            status=PetitionStatus.ANSWERED,
            answered_on=today,
            due_on=today,
            submitted_at=aware(today - datetime.timedelta(days=3)),
            verdict="resolved",
            rating=5,
            verdict_at=aware(today),
        )
        held_day = datetime.date(today.year, 3, 1) + datetime.timedelta(days=i)
        f.ConferenceFactory(
            unit=world.ward_a, status=ConferenceStatus.HELD, held_on=held_day, planned_start=aware(held_day)
        )
        f.ConferenceFactory(unit=world.ward_a, planned_start=timezone.now() + datetime.timedelta(days=3))
        plan = DialoguePlan.objects.filter(unit=world.ward_a, year=today.year).first()
        f.PlanItemFactory(plan=plan or f.PlanFactory(unit=world.ward_a, year=today.year))


def test_alice_lands_on_her_dashboard_with_each_figure_linked(client, world):
    today = timezone.localdate()
    fill(world, 2, today)
    f.PetitionFactory(unit=world.ward_b, status=PetitionStatus.SUBMITTED)  # ward B: not Alice's
    client.force_login(world.alice)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    ctx = response.context
    assert ctx["workload"]["new"] == 2
    assert ctx["workload"]["overdue"] == 2
    assert ctx["workload"]["due_soon"] == 2
    assert ctx["workload"]["mine"] == 2
    assert ctx["agenda"] == {"upcoming": 2, "without_notice": 2}
    assert ctx["plans"]["planned"] == 2 and ctx["plans"]["held"] == 0
    assert ctx["figures"]["conferences"]["total"] == 2
    for name in ("new", "due_soon", "overdue", "mine", "upcoming", "without_notice", "held"):
        href = ctx["links"][name]
        if href:  # the list pages belong to other apps; the dashboard renders before they exist
            assert escape(href) in response.content.decode()
    assert ctx["links"]["compliance"] == reverse("reports:compliance") + f"?year={today.year}"


def test_sign_in_lands_on_the_dashboard(client, world):
    response = client.post(reverse("login"), {"username": "alice", "password": f.PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_dashboard_query_count_is_the_same_with_1_and_50_rows(client, world, django_assert_num_queries):
    today = timezone.localdate()
    fill(world, 1, today)
    client.force_login(world.alice)
    client.get(reverse("dashboard"))  # the first request after signing in also writes the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("dashboard")).status_code == 200
    fill(world, 49, today)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("dashboard"))
    assert response.context["workload"]["new"] == 50


def test_dashboard_figures_equal_the_report_of_the_same_scope_and_year(client, world):
    today = timezone.localdate()
    fill(world, 3, today)
    f.ConferenceFactory(
        unit=world.district,
        kind=ConferenceKind.ADHOC,
        status=ConferenceStatus.CLOSED,
        held_on=datetime.date(today.year, 2, 2),
        planned_start=aware(datetime.date(today.year, 2, 2)),
    )
    client.force_login(world.sam)
    ctx = client.get(reverse("dashboard")).context
    report = build_report_data(
        unit=world.district, start=datetime.date(today.year, 1, 1), end=datetime.date(today.year, 12, 31)
    )
    figures = ctx["figures"]
    assert figures["conferences"]["periodic"] == report["conferences"]["periodic"]
    assert figures["conferences"]["adhoc"] == report["conferences"]["adhoc"]
    assert figures["answered_on_time"]["share"] == report["petitions"]["answered_on_time_share"]
    assert figures["answered_on_time"]["answered"] == report["petitions"]["answered"] == 3
    for key in ("satisfaction", "invitations", "notices", "opinions", "periodic_requirement"):
        assert figures[key] == report[key], key


def test_a_stranger_sees_an_empty_dashboard(client, world):
    f.PetitionFactory(unit=world.ward_a, status=PetitionStatus.SUBMITTED)
    client.force_login(world.stranger)
    ctx = client.get(reverse("dashboard")).context
    assert ctx["workload"]["new"] == 0
    assert ctx["figures"]["conferences"]["total"] == 0


def test_due_soon_window_is_three_working_days_on_the_holiday_calendar(db):
    from rules.models import Holiday, HolidayKind

    # The data migration installs it; a database emptied by an earlier run must not decide this test.
    Holiday.objects.get_or_create(
        date=datetime.date(2026, 11, 24), defaults={"kind": HolidayKind.HOLIDAY, "name": "Ngày Văn hóa Việt Nam"}
    )
    friday = datetime.date(2026, 11, 20)
    # Mon 23, (Tue 24/11 is Vietnamese Culture Day, a holiday), Wed 25, Thu 26.
    assert stats.due_soon_until(friday) == datetime.date(2026, 11, 26)


def test_dashboard_lights_are_not_coloured_below_the_minimum_sample(client, world, settings):
    settings.PORTAL_MIN_SAMPLE_SIZE = 5
    today = timezone.localdate()
    fill(world, 1, today)  # 1 conference held + 1 petition answered = 2 cases
    client.force_login(world.alice)
    ctx = client.get(reverse("dashboard")).context
    assert not ctx["judged"]
    # Below the minimum sample no cell is coloured, the periodic conferences included (issue 8 §6).
    assert all(cell.light is None for cell in ctx["lights"])
    fill(world, 2, today)  # 3 + 3 = 6 cases
    ctx = client.get(reverse("dashboard")).context
    assert ctx["judged"]
    periodic = ctx["lights"][0]
    assert periodic.light == "green"  # 3 periodic held, 1 required: the one unit met its obligation
    assert (periodic.numerator, periodic.denominator, periodic.counts_units) == (1, 1, True)
