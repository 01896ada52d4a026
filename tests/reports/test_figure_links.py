"""Every figure of the dashboard and of the compliance board links to a list that counts exactly what it counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from conferences.models import ConferenceKind, ConferenceStatus, MinutesStatus, PlanStatus
from followup.models import NoticeStatus
from petitions.models import Answer, Channel, PetitionStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def aware(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def conference(unit, day, *, kind=ConferenceKind.PERIODIC, status=ConferenceStatus.CLOSED, invited=10, **kw):
    return f.ConferenceFactory(
        unit=unit,
        kind=kind,
        status=status,
        held_on=day if status in ("held", "concluded", "closed") else None,
        planned_start=aware(day),
        invitation_sent_on=day - datetime.timedelta(days=invited) if invited is not None else None,
        **kw,
    )


def notice(conf, *, published_on=None, due_on=None, status=NoticeStatus.PUBLISHED):
    return f.NoticeFactory(
        unit=conf.unit,
        conference=conf,
        status=status,
        due_on=due_on,
        published_at=aware(published_on) if published_on else None,
    )


def opinion(conf, status=PetitionStatus.ACCEPTED, *, on_spot_answer=False, answered_on=None):
    petition = f.PetitionFactory(
        unit=conf.unit, conference=conf, channel=Channel.CONFERENCE, status=status, answered_on=answered_on
    )
    if on_spot_answer:
        Answer.objects.create(petition=petition, text="Trả lời tại hội nghị", on_spot=True)
    return petition


def answered(unit, day, *, due, status=PetitionStatus.ANSWERED, verdict="", verdict_on=None):
    return f.PetitionFactory(
        unit=unit,
        status=status,
        submitted_at=aware(day - datetime.timedelta(days=5)),
        answered_on=day,
        due_on=due,
        verdict=verdict,
        verdict_at=aware(verdict_on, 23) if verdict_on else None,
    )


@pytest.fixture
def varied(world, settings):
    """A year of uneven work in wards A and B, plus records just outside the year that must not count."""
    settings.PORTAL_MIN_SAMPLE_SIZE = 3
    today = timezone.localdate()
    y = today.year
    jan, mar, may = datetime.date(y, 1, 20), datetime.date(y, 3, 10), datetime.date(y, 5, 5)
    last_year = datetime.date(y - 1, 12, 20)
    a, b = world.ward_a, world.ward_b
    # Conferences of ward A: invitations on time / late / missing; notices on time, late, missing, none yet.
    c1 = conference(a, jan, minutes_status=MinutesStatus.DRAFT)
    c2 = conference(a, mar, kind=ConferenceKind.ADHOC, invited=3)
    c3 = conference(a, may, status=ConferenceStatus.HELD, invited=None, minutes_status=MinutesStatus.DRAFT)
    c4 = conference(a, today - datetime.timedelta(days=2), status=ConferenceStatus.HELD)  # notice not due yet
    notice(c1, published_on=jan + datetime.timedelta(days=5), due_on=jan + datetime.timedelta(days=10))
    notice(c2, published_on=mar + datetime.timedelta(days=20), due_on=mar + datetime.timedelta(days=10))
    notice(c3, status=NoticeStatus.DRAFT)
    notice(c4, status=NoticeStatus.APPROVED)
    old = conference(a, last_year)  # held last year: in no figure of this year
    conference(a, today + datetime.timedelta(days=5), status=ConferenceStatus.PLANNED)
    conference(a, today + datetime.timedelta(days=45), status=ConferenceStatus.ANNOUNCED)
    conference(a, mar, status=ConferenceStatus.CANCELLED)
    # Ward B: one periodic conference held, its notice late; nothing else.
    cb = conference(b, mar)
    notice(cb, published_on=mar + datetime.timedelta(days=30), due_on=mar + datetime.timedelta(days=10))
    # Opinions raised at this year's conferences, and at last year's (answered on the spot this year).
    opinion(c1, PetitionStatus.ANSWERED_ON_SPOT, answered_on=jan)
    opinion(c1, PetitionStatus.RESOLVED, on_spot_answer=True, answered_on=jan)
    opinion(c2)
    opinion(c2, PetitionStatus.IN_PROGRESS)
    opinion(cb, PetitionStatus.ANSWERED_ON_SPOT, answered_on=mar)
    opinion(old, PetitionStatus.ANSWERED_ON_SPOT, answered_on=jan)
    opinion(old, PetitionStatus.RESOLVED, on_spot_answer=True, answered_on=jan)
    # Answers in writing this year (on time, late), last year; verdicts this year and last year.
    answered(a, mar, due=mar, verdict="resolved", verdict_on=may)
    answered(a, mar, due=mar - datetime.timedelta(days=3), verdict="not_resolved", verdict_on=may)
    answered(a, may, due=may, status=PetitionStatus.RESOLVED)
    answered(a, last_year, due=last_year, verdict="resolved", verdict_on=datetime.date(y, 1, 2))
    answered(a, last_year, due=last_year, verdict="resolved", verdict_on=last_year)
    answered(b, mar, due=mar, verdict="resolved", verdict_on=mar)
    # Work in hand.
    f.PetitionFactory(unit=a, status=PetitionStatus.SUBMITTED)
    f.PetitionFactory(unit=a, status=PetitionStatus.IN_PROGRESS, due_on=today - datetime.timedelta(days=1))
    f.PetitionFactory(unit=a, status=PetitionStatus.IN_PROGRESS, due_on=today, assignee=world.alice)
    f.PetitionFactory(unit=b, status=PetitionStatus.SUBMITTED)
    # Plans.
    plan = f.PlanFactory(unit=a, year=y, status=PlanStatus.SUBMITTED)
    f.PlanItemFactory(plan=plan)
    f.PlanFactory(unit=b, year=y)
    return world


def count_of(response) -> int:
    """Return the row count a list page shows: the inbox's bounded count, else its paginator's count."""
    assert response.status_code == 200, response
    ctx = response.context
    if "count" in ctx and "page" in ctx and not hasattr(ctx["page"], "paginator"):
        assert not ctx["count_more"]
        return ctx["count"]
    if ctx.get("paginator") is not None:
        return ctx["paginator"].count
    return len(ctx["object_list"])


def follow(client, href) -> int:
    return count_of(client.get(href))


def check_cells(client, cells, html, where):
    """Follow each cell's links: the list behind a share's numerator and denominator, behind periodic's held."""
    checked = 0
    for cell in cells:
        assert cell.url, (where, cell.key)
        assert escape(cell.url) in html, (where, cell.key)
        if cell.counts_units:
            # A scope's periodic figure counts units (issue 8 §6): the board has one row per unit.
            rows = client.get(cell.url).context["rows"]
            judged = [
                r.figures["periodic_requirement"]
                for r in rows
                if r.figures["periodic_requirement"]["required"] is not None
            ]
            assert (sum(1 for p in judged if p["met"]), len(judged)) == (cell.numerator, cell.denominator), where
        elif cell.key == "periodic":
            assert follow(client, cell.url) == cell.numerator, (where, cell.key)
        else:
            assert cell.numerator_url and escape(cell.numerator_url) in html, (where, cell.key)
            assert follow(client, cell.url) == cell.listed_denominator == cell.denominator, (where, cell.key)
            assert follow(client, cell.numerator_url) == cell.listed_numerator == cell.numerator, (where, cell.key)
        checked += 1
    return checked


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_every_figure_links_to_a_list_counting_exactly_the_figure(client, varied, persona):
    world = varied
    user = getattr(world, persona)
    client.force_login(user)
    year = timezone.localdate().year

    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    ctx = response.context
    figures = {
        "open": ctx["workload"]["open"],
        "new": ctx["workload"]["new"],
        "due_soon": ctx["workload"]["due_soon"],
        "overdue": ctx["workload"]["overdue"],
        "mine": ctx["workload"]["mine"],
        "upcoming": ctx["agenda"]["upcoming"],
        "without_notice": ctx["agenda"]["without_notice"],
        "held": ctx["figures"]["conferences"]["total"],
        "plans": ctx["plans"]["plans"],
    }
    for name, value in figures.items():
        href = ctx["links"][name]
        assert href and escape(href) in html, name
        assert follow(client, href) == value, name
    # The data are varied enough that no figure is trivially empty.
    assert all(figures[k] for k in ("open", "new", "overdue", "upcoming", "without_notice", "held", "plans"))
    assert check_cells(client, ctx["lights"], html, "dashboard") == 6
    lights = {cell.key: cell for cell in ctx["lights"]}
    # The cases the old links got wrong: opinions raised at last year's conferences but answered this
    # year, verdicts of other years, and the notices due that were not the ones without a notice.
    assert (lights["on_spot"].numerator, lights["on_spot"].denominator) == ((2, 4) if persona == "alice" else (3, 5))
    assert lights["satisfaction"].denominator == (3 if persona == "alice" else 4)
    assert lights["notices"].denominator == (3 if persona == "alice" else 4)

    response = client.get(reverse("reports:compliance"), {"year": year})
    html = response.content.decode()
    rows = response.context["rows"]
    assert len(rows) == (1 if persona == "alice" else 3)
    for row in rows:
        assert check_cells(client, row.cells, html, row.unit.name) == 6


def test_a_chair_sees_what_awaits_approval_each_linked_to_its_list(client, varied, django_assert_num_queries):
    world = varied
    client.force_login(world.chris)
    response = client.get(reverse("dashboard"))
    ctx = response.context
    assert ctx["chair"] == {"plans": 1, "minutes": 2, "notices_draft": 1, "notices_approved": 1}
    assert ctx["handling"] is None
    html = response.content.decode()
    for name, key in [
        ("plans_awaiting", "plans"),
        ("minutes_awaiting", "minutes"),
        ("notices_draft", "notices_draft"),
        ("notices_approved", "notices_approved"),
    ]:
        href = ctx["links"][name]
        assert escape(href) in html
        assert follow(client, href) == ctx["chair"][key], name
    assert "Awaiting my approval" in html
    # The same number of queries with many more records.
    client.get(reverse("dashboard"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("dashboard"))
    for i in range(49):
        f.PlanFactory(unit=world.ward_a, year=1950 + i, status=PlanStatus.SUBMITTED)
        conference(world.ward_a, datetime.date(2024, 1, 1) + datetime.timedelta(days=i), minutes_status="draft")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("dashboard"))
    assert response.context["chair"]["plans"] == 50


def test_a_handling_officer_sees_her_units_petitions_each_linked_to_the_inbox(client, world, django_assert_num_queries):
    from petitions import services
    from tests.petitions.conftest import accepted, assigned

    today = timezone.localdate()

    def fill(n):
        for _i in range(n):
            waiting = assigned(world, world.ward_a, world.alice, world.land_a)  # new to us: no officer yet
            waiting.__class__.objects.filter(pk=waiting.pk).update(due_on=today - datetime.timedelta(days=2))
            taken = accepted(world, world.ward_a, world.alice)
            services.assign_petition(petition=taken, organisation=world.land_a, by=world.alice, assignee=world.hana)
            taken.__class__.objects.filter(pk=taken.pk).update(due_on=today)
        # Ward A's petitions that are not the land office's: not in these figures.
        f.PetitionFactory(unit=world.ward_a, status=PetitionStatus.IN_PROGRESS, due_on=today)

    fill(1)
    client.force_login(world.hana)
    response = client.get(reverse("dashboard"))
    ctx = response.context
    assert ctx["handling"] == {"new": 1, "due_soon": 1, "overdue": 1}
    assert ctx["chair"] is None
    html = response.content.decode()
    assert "Petitions of my handling unit" in html
    for name, key in [("unit_new", "new"), ("unit_due_soon", "due_soon"), ("unit_overdue", "overdue")]:
        href = ctx["links"][name]
        assert "my_unit=1" in href and escape(href) in html
        assert follow(client, href) == ctx["handling"][key], name
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("dashboard"))
    fill(49)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("dashboard"))
    assert response.context["handling"] == {"new": 50, "due_soon": 50, "overdue": 50}
