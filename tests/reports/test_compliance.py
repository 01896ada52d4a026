"""The compliance board and the commendation shortlist: lights, sample size, scope, equality with the report."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences.models import ConferenceStatus
from petitions.models import PetitionStatus
from reports.builder import build_report_data
from tests import factories as f

pytestmark = pytest.mark.django_db
YEAR = 2026


def aware(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def held(unit, day, **kw):
    return f.ConferenceFactory(
        unit=unit,
        status=ConferenceStatus.CLOSED,
        held_on=day,
        planned_start=aware(day),
        invitation_sent_on=day - datetime.timedelta(days=8),
        **kw,
    )


def answered(unit, n, *, late=0):
    for i in range(n):
        due = datetime.date(YEAR, 5, 20)
        f.PetitionFactory(
            unit=unit,
            status=PetitionStatus.RESOLVED,
            submitted_at=aware(datetime.date(YEAR, 5, 1)),
            due_on=due,
            answered_on=due + datetime.timedelta(days=3) if i < late else due,
            verdict="resolved",
            rating=5,
            verdict_at=aware(datetime.date(YEAR, 6, 1)),
        )


@pytest.fixture
def year_of_work(world, settings):
    settings.PORTAL_MIN_SAMPLE_SIZE = 5
    held(world.ward_a, datetime.date(YEAR, 4, 10))
    answered(world.ward_a, 10)  # all on time: green
    held(world.ward_b, datetime.date(YEAR, 4, 12))
    answered(world.ward_b, 2, late=1)  # 3 cases: too few to judge
    return world


def test_sam_sees_each_unit_with_lights_and_too_few_cases_marked(client, year_of_work):
    world = year_of_work
    client.force_login(world.sam)
    response = client.get(reverse("reports:compliance"), {"year": YEAR})
    assert response.status_code == 200
    rows = {row.unit.pk: row for row in response.context["rows"]}
    assert set(rows) == {world.district.pk, world.ward_a.pk, world.ward_b.pk}
    a, b = rows[world.ward_a.pk], rows[world.ward_b.pk]
    assert a.judged and a.rank == 1
    assert a.cell("periodic").light == "green" and (a.cell("periodic").numerator, a.cell("periodic").denominator) == (
        1,
        1,
    )
    assert a.cell("on_time").light == "green" and a.cell("on_time").value == 1.0
    assert a.cell("invitations").light == "green"
    assert a.cell("notices").light == "red"  # held in April, no notice published
    assert not b.judged and b.rank is None
    # Too few cases: no cell is coloured, the periodic conferences included (issue 8 §6).
    assert all(cell.light is None for cell in b.cells)
    assert (b.cell("periodic").numerator, b.cell("periodic").denominator) == (1, 1)  # numbers still shown
    assert b.cell("on_time").numerator == 1 and b.cell("on_time").denominator == 2  # numbers still shown
    assert "too few cases to judge" in response.content.decode() or not b.judged


def test_board_figures_equal_the_report_for_the_same_scope_and_year(client, year_of_work):
    world = year_of_work
    client.force_login(world.sam)
    rows = client.get(reverse("reports:compliance"), {"year": YEAR}).context["rows"]
    report = build_report_data(unit=world.district, start=datetime.date(YEAR, 1, 1), end=datetime.date(YEAR, 12, 31))
    by_unit = {r["unit"]["id"]: r for r in report["compliance"]}
    for row in rows:
        for cell in row.cells:
            expected = by_unit[row.unit.pk]["cells"][cell.key]
            assert (cell.numerator, cell.denominator, cell.value) == (
                expected["numerator"],
                expected["denominator"],
                expected["value"],
            )
    total_answered = sum(row.cell("on_time").denominator for row in rows)
    assert total_answered == report["petitions"]["answered"] == 12
    assert sum(row.cell("periodic").numerator for row in rows) == report["conferences"]["periodic"]["total"]


def test_alice_sees_only_her_ward_and_gets_404_for_ward_b(client, year_of_work):
    world = year_of_work
    client.force_login(world.alice)
    response = client.get(reverse("reports:compliance"), {"year": YEAR})
    assert [row.unit for row in response.context["rows"]] == [world.ward_a]
    assert client.get(reverse("reports:compliance"), {"year": YEAR, "unit": world.ward_b.pk}).status_code == 404


def test_a_stranger_cannot_open_the_board(client, world):
    client.force_login(world.stranger)
    assert client.get(reverse("reports:compliance")).status_code == 403


def test_board_query_count_does_not_grow_with_units_or_records(client, world):
    client.force_login(world.sam)
    held(world.ward_a, datetime.date(YEAR, 4, 10))
    client.get(reverse("reports:compliance"), {"year": YEAR})
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:compliance"), {"year": YEAR})
    for i in range(30):
        ward = f.UnitFactory(name=f"Phường Mới {i}", parent=world.district)
        held(ward, datetime.date(YEAR, 5, 1))
        answered(ward, 2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("reports:compliance"), {"year": YEAR})
    assert len(response.context["rows"]) == 33
    assert len(many.captured_queries) == len(few.captured_queries)


def test_shortlist_names_units_that_held_every_conference_and_answered_on_time(client, year_of_work):
    world = year_of_work
    client.force_login(world.sam)
    response = client.get(reverse("reports:commendation_shortlist"), {"year": YEAR})
    assert [row.unit for row in response.context["rows"]] == [world.ward_a]
    assert "Phường An" in response.content.decode()


def test_board_mapped_to_today_units_attributes_an_abolished_wards_history(client, btl):
    admin = f.UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    as_was = client.get(reverse("reports:compliance"), {"year": 2020, "mode": "as_was"}).context["rows"]
    today = client.get(reverse("reports:compliance"), {"year": 2020, "mode": "today"}).context["rows"]
    assert {r.unit.name for r in as_was} >= {"Liên Mạc", "Bắc Từ Liêm"}
    new_tc = next(r for r in today if r.unit == btl.new["Thượng Cát"])
    # Thượng Cát today carries the 2020 periodic conferences of old Thượng Cát and Liên Mạc (primary successors).
    assert new_tc.cell("periodic").denominator == 2
    assert new_tc.cell("periodic").numerator == 2 + 2  # each held twice in 2020 (wards[:6] held an extra one)


def test_a_unit_with_too_few_cases_has_no_colour_on_its_periodic_conferences_either(client, world, settings):
    settings.PORTAL_MIN_SAMPLE_SIZE = 5
    answered(world.ward_b, 1)  # 1 case: too few to judge the shares
    client.force_login(world.sam)
    response = client.get(reverse("reports:compliance"), {"year": YEAR})
    rows = {row.unit.pk: row for row in response.context["rows"]}
    b = rows[world.ward_b.pk]
    assert not b.judged and b.rank is None
    periodic = b.cell("periodic")
    assert (periodic.numerator, periodic.denominator) == (0, 1)
    # Fewer than 5 cases: not coloured — the periodic column too (issue 8 §6); the numbers still say 0/1.
    assert periodic.light is None
    assert b.cell("on_time").light is None
    assert "text-bg-danger" not in response.content.decode()


def test_periodic_light_is_red_below_the_requirement_and_green_at_or_above():
    from reports.compliance import periodic_light

    assert periodic_light(2, 1) == "red"
    assert periodic_light(1, 0) == "red"
    assert periodic_light(1, 1) == "green"
    assert periodic_light(0, 0) == "green"
    assert periodic_light(None, 3) is None
