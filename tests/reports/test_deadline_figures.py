"""Deadlines cannot be cleaned retroactively (issue 8 §3): a late extension changes no on-time figure.

A ward A petition 42 days overdue is extended by the chair (a ward official may not, once the
deadline has passed). It stays in the overdue count, and when it is answered it counts as late by
its original deadline on the dashboard, in the report and on the compliance board — while "within
the extended deadline" and the number of extensions are shown beside.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conferences.models import ConferenceStatus
from petitions import services
from petitions.models import PetitionStatus
from reports import compliance, stats
from reports.builder import build_report_data
from tests import factories as f
from tests.reports.test_figure_links import count_of

pytestmark = pytest.mark.django_db


def aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def overdue_ward(world, settings):
    """Ward A: 5 petitions answered on time this year, one held conference, and two overdue petitions."""
    settings.PORTAL_MIN_SAMPLE_SIZE = 5
    today = timezone.localdate()
    for _ in range(5):
        f.PetitionFactory(
            unit=world.ward_a,
            category=world.category,
            status=PetitionStatus.ANSWERED,
            submitted_at=aware(today),
            original_due_on=today,
            due_on=today,
            answered_on=today,
        )
    f.ConferenceFactory(unit=world.ward_a, status=ConferenceStatus.HELD, held_on=today, planned_start=aware(today))
    overdue = []
    for days in (42, 10):
        due = today - datetime.timedelta(days=days)
        overdue.append(
            f.PetitionFactory(
                unit=world.ward_a,
                category=world.category,
                status=PetitionStatus.IN_PROGRESS,
                handling_org=world.land_a,
                submitted_at=aware(due - datetime.timedelta(days=40)),
                original_due_on=due,
                due_on=due,
            )
        )
    world.long_overdue = overdue[0]
    return world


def figures_of(client, world):
    """Return every on-time and overdue figure of ward A's year: dashboard, report and compliance board."""
    today = timezone.localdate()
    client.force_login(world.alice)
    dashboard = client.get(reverse("dashboard")).context
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    report = build_report_data(unit=world.ward_a, start=start, end=end)
    board = compliance.board(stats.Scope.for_unit(world.ward_a, start, end))
    row = next(r for r in board if r.unit == world.ward_a)
    board_cell = row.cell("on_time")
    dash_cell = next(c for c in dashboard["lights"] if c.key == "on_time")
    return {
        "dashboard_overdue": dashboard["workload"]["overdue"],
        "dashboard_on_time": dashboard["figures"]["answered_on_time"]["on_time"],
        "dashboard_answered": dashboard["figures"]["answered_on_time"]["answered"],
        "dashboard_light": (dash_cell.numerator, dash_cell.denominator, dash_cell.light),
        "report_on_time": report["petitions"]["answered_on_time"],
        "report_share": report["petitions"]["answered_on_time_share"],
        "report_cell": report["compliance"][0]["cells"]["on_time"],
        "board_cell": (board_cell.numerator, board_cell.denominator, board_cell.value, board_cell.light),
        "inbox_overdue": count_of(client.get(reverse("petitions:inbox"), {"overdue": 1})),
    }


def test_extending_a_long_overdue_petition_changes_no_on_time_figure_of_its_period(client, overdue_ward):
    world = overdue_ward
    before = figures_of(client, world)
    assert before["dashboard_overdue"] == before["inbox_overdue"] == 2
    petition = world.long_overdue
    services.extend_deadline(
        petition=petition,
        new_due_on=timezone.localdate() + datetime.timedelta(days=20),
        reason="Chờ ý kiến của Sở Tài nguyên và Môi trường",
        by=world.chris,
    )
    # Not "2 → 1": the extension came after the deadline had passed, so nothing moves.
    assert figures_of(client, world) == before

    services.answer_petition(
        petition=petition,
        text="Đã trả lời công dân.",
        document_number="12/UBND-KT",
        document_date=timezone.localdate(),
        by=world.hana,
    )
    after = figures_of(client, world)
    # Answered after its original deadline: one more answer, no more on time — everywhere.
    assert after["dashboard_answered"] == before["dashboard_answered"] + 1 == 6
    assert after["dashboard_on_time"] == after["report_on_time"] == before["dashboard_on_time"] == 5
    assert after["board_cell"][:2] == after["dashboard_light"][:2] == (5, 6)
    assert after["report_cell"]["numerator"] == 5 and after["report_share"] == round(5 / 6, 4)
    assert after["dashboard_overdue"] == 1  # answered: no longer in hand

    # Beside it, the extended deadline and the extension itself are shown.
    client.force_login(world.alice)
    response = client.get(reverse("dashboard"))
    ctx = response.context
    assert ctx["figures"]["answered_on_time"]["within_extension"] == 6
    assert ctx["figures"]["extensions"] == {"extensions": 1, "petitions": 1, "after_due": 1}
    html = response.content.decode()
    assert "Answered within the original deadline" in html or "Trả lời trong hạn ban đầu" in html
    report = build_report_data(
        unit=world.ward_a,
        start=datetime.date(timezone.localdate().year, 1, 1),
        end=datetime.date(timezone.localdate().year, 12, 31),
    )
    assert report["petitions"]["answered_within_extension"] == 6
    assert report["petitions"]["answered_after_extension"] == 1
    assert report["extensions"]["after_due"] == 1


def test_an_extension_in_time_moves_the_deadline_in_force_but_not_the_on_time_figure(client, world):
    today = timezone.localdate()
    petition = f.PetitionFactory(
        unit=world.ward_a,
        category=world.category,
        status=PetitionStatus.IN_PROGRESS,
        original_due_on=today,
        due_on=today,
        submitted_at=aware(today),
    )
    services.extend_deadline(
        petition=petition, new_due_on=today + datetime.timedelta(days=5), reason="Xác minh thực địa", by=world.alice
    )
    petition.refresh_from_db()
    assert not petition.is_overdue(today + datetime.timedelta(days=1))  # Alaveteli: an extension in time
    # Answered after the original deadline, within the extended one.
    petition.status, petition.answered_on = PetitionStatus.ANSWERED, today + datetime.timedelta(days=3)
    petition.save()
    scope = stats.Scope.for_unit(world.ward_a, datetime.date(today.year, 1, 1), datetime.date(today.year + 1, 12, 31))
    figure = stats.answered_on_time(scope)
    assert (figure["answered"], figure["on_time"], figure["within_extension"], figure["extended"]) == (1, 0, 1, 1)
    client.force_login(world.alice)
    inbox = client.get(reverse("petitions:inbox"), {"answered_on_time": 1, "status": ["answered"]})
    assert count_of(inbox) == figure["on_time"] == 0
