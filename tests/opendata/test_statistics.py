"""The open-data page: the reports' figures per ward, small cells suppressed, CSV and JSON of the same table."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from conferences.models import ConferenceKind, ConferenceStatus
from opendata import statistics
from petitions.models import PetitionStatus, Verdict
from reports import stats
from tests import factories as f

pytestmark = pytest.mark.django_db
YEAR = 2026


def held(ward, n, kind=ConferenceKind.PERIODIC):
    start = timezone.make_aware(datetime.datetime(YEAR, 3, 2, 8, 0))
    for _ in range(n):
        f.ConferenceFactory(
            unit=ward, kind=kind, status=ConferenceStatus.HELD, planned_start=start, held_on=datetime.date(YEAR, 3, 2)
        )


def answered(ward, category, n, *, late=0, verdict=None):
    for i in range(n):
        f.PetitionFactory(
            unit=ward,
            category=category,
            status=PetitionStatus.ANSWERED,
            submitted_at=timezone.make_aware(datetime.datetime(YEAR, 4, 1, 9, 0)),
            due_on=datetime.date(YEAR, 4, 20),
            answered_on=datetime.date(YEAR, 4, 25 if i < late else 10),
            verdict=verdict or "",
            verdict_at=timezone.make_aware(datetime.datetime(YEAR, 5, 1, 9, 0)) if verdict else None,
        )


def test_figures_are_the_reports_figures_and_small_cells_are_suppressed(world):
    held(world.ward_a, 6)
    held(world.ward_a, 2, kind=ConferenceKind.ADHOC)
    answered(world.ward_a, world.category, 8, late=3, verdict=Verdict.RESOLVED)
    answered(world.ward_b, world.category, 3)
    rows = {row["ward_code"]: row for row in statistics.ward_figures(YEAR)}
    scope = stats.Scope.for_unit_ids(None, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
    report_held = stats.conferences_held(scope, by_unit=True)[world.ward_a.pk]
    report_on_time = stats.answered_on_time(scope, by_unit=True)[world.ward_a.pk]
    a = rows[world.ward_a.code]
    assert a["periodic_conferences_held"] == report_held["periodic"]["total"] == 6
    assert a["adhoc_conferences_held"] is None  # 2 < 5
    assert a["petitions_answered"] == report_on_time["answered"] == 8
    assert a["answered_on_time"] == report_on_time["on_time"] == 5
    assert a["share_answered_on_time"] == report_on_time["share"]
    assert a["verdicts"] == 8 and a["verdicts_resolved"] == 8 and a["share_resolved"] == 1.0
    b = rows[world.ward_b.code]
    assert b["petitions_answered"] is None and b["answered_on_time"] is None and b["share_answered_on_time"] is None
    assert b["periodic_conferences_held"] == 0  # zero is published


def test_page_and_downloads_show_the_same_table_under_a_licence(client, world):
    held(world.ward_a, 7)
    answered(world.ward_b, world.category, 2)
    page = client.get("/du-lieu-mo/", {"year": YEAR}).content.decode()
    assert "CC BY 4.0" in page and f"/du-lieu-mo/{YEAR}.csv" in page and "&lt;5" in page
    body = client.get(f"/du-lieu-mo/{YEAR}.json").json()
    assert body["licence"] == "CC BY 4.0" and body["rows"] == statistics.ward_figures(YEAR)
    response = client.get(f"/du-lieu-mo/{YEAR}.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_code = {row["ward_code"]: row for row in rows}
    assert by_code[world.ward_a.code]["periodic_conferences_held"] == "7"
    assert by_code[world.ward_b.code]["petitions_answered"] == ""


def test_page_is_vietnamese_first_and_in_the_citizens_menu(vi_client, world):
    body = vi_client.get("/du-lieu-mo/").content.decode()
    assert "Số liệu đối thoại của từng phường" in body
    assert 'href="/du-lieu-mo/">Dữ liệu mở</a>' in body


def test_unknown_year_falls_back_to_this_year_never_an_error(client, world):
    assert client.get("/du-lieu-mo/", {"year": "abc"}).status_code == 200
    assert client.get("/du-lieu-mo/1999.json").json()["year"] == timezone.localdate().year


def test_the_charts_draw_the_tables_numbers_and_no_suppressed_cell_as_a_number(client, world):
    held(world.ward_a, 6)
    held(world.ward_a, 2, kind=ConferenceKind.ADHOC)
    answered(world.ward_a, world.category, 8, late=3, verdict=Verdict.RESOLVED)
    answered(world.ward_b, world.category, 3)
    response = client.get("/du-lieu-mo/", {"year": YEAR})
    rows = statistics.ward_figures(YEAR)
    data = response.context["chart_data"]
    assert data == statistics.chart_data(rows)
    a, b = (next(i for i, r in enumerate(rows) if r["ward_code"] == w.code) for w in (world.ward_a, world.ward_b))
    series = {s["label"]: s for chart in data["charts"] for s in chart["series"]}
    assert series["Periodic"]["values"][a] == rows[a]["periodic_conferences_held"] == 6
    assert series["Ad-hoc"]["values"][a] is None and series["Ad-hoc"]["suppressed"][a]  # 2 < 5: no bar
    assert series["Answered on time"]["values"][a] == round(100 * rows[a]["share_answered_on_time"]) == 62
    assert series["Said resolved"]["values"][a] == 100
    assert series["Answered on time"]["values"][b] is None and series["Answered on time"]["suppressed"][b]
    assert series["Periodic"]["values"][b] == 0 and not series["Periodic"]["suppressed"][b]  # zero is drawn
    # Every number charted is a cell of the table, or its share as a whole percent: nothing else is computed.
    for chart in data["charts"]:
        for s in chart["series"]:
            for i, value in enumerate(s["values"]):
                assert (value is None) == s["suppressed"][i]
    # The data reach the page as a JSON script tag for the static script (the CSP forbids inline code).
    page = response.content.decode()
    assert '<script id="open-data-charts-data" type="application/json">' in page
    assert "/static/opendata/open_data_charts.js" in page and "/static/vendor/chartjs/chart.umd.min.js" in page
