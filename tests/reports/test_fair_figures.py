"""Figures that compare fairly (issue 8 §6): units that met their obligation, the same indicators
for the ranking, and percentages written as Vietnamese write them."""

import datetime

import pytest
from django.urls import reverse

from petitions.models import PetitionStatus
from reports import compliance
from tests import factories as f
from tests.reports.test_compliance import YEAR, answered, aware, held

pytestmark = pytest.mark.django_db


def test_the_city_periodic_figure_counts_units_that_met_their_obligation_not_conferences(client, world, settings):
    """Ward A held 3 periodic conferences, ward B and the district none: 1 of 3 units, not "3/3"."""
    settings.PORTAL_MIN_SAMPLE_SIZE = 1
    today = datetime.date.today()
    for month in (2, 3, 4):
        day = datetime.date(today.year, month, 10)
        if day <= today:
            held(world.ward_a, day)
    client.force_login(world.sam)
    response = client.get(reverse("dashboard"))
    periodic = response.context["lights"][0]
    requirement = response.context["figures"]["periodic_requirement"]
    assert requirement["held"] == 3 and requirement["required"] == 3  # the sum that used to be shown
    assert (periodic.numerator, periodic.denominator, periodic.counts_units) == (1, 3, True)
    assert periodic.light == "red"  # 1 unit of 3 met its obligation
    html = response.content.decode()
    assert "1/3 đơn vị" in html or "1/3 units" in html
    assert ">3</a>/3" not in html


def _verdicts(unit, n, verdict):
    for _ in range(n):
        due = datetime.date(YEAR, 5, 20)
        f.PetitionFactory(
            unit=unit,
            status=PetitionStatus.RESOLVED,
            submitted_at=aware(datetime.date(YEAR, 5, 1)),
            due_on=due,
            answered_on=due,
            verdict=verdict,
            verdict_at=aware(datetime.date(YEAR, 6, 1)),
        )


def test_a_unit_with_fewer_indicators_does_not_outrank_one_with_more(client, world, settings):
    """Ward B has no citizens' verdicts, ward A has bad ones: B must not win by leaving its weak figure out.

    A: periodic green, invitations green, notices red, on time green, satisfaction red.
    B: periodic green, invitations green, notices red, on time amber, no satisfaction.
    On all their lights B (1.25) would beat A (1.2); on the indicators both have, A (1.5) beats B (1.25).
    """
    settings.PORTAL_MIN_SAMPLE_SIZE = 5
    held(world.ward_a, datetime.date(YEAR, 4, 10))
    _verdicts(world.ward_a, 5, "not_resolved")
    held(world.ward_b, datetime.date(YEAR, 4, 12))
    for i in range(5):
        due = datetime.date(YEAR, 5, 20)
        f.PetitionFactory(
            unit=world.ward_b,
            status=PetitionStatus.ANSWERED,
            submitted_at=aware(datetime.date(YEAR, 5, 1)),
            due_on=due,
            answered_on=due + datetime.timedelta(days=3 if i == 0 else 0),
        )
    client.force_login(world.sam)
    response = client.get(reverse("reports:compliance"), {"year": YEAR})
    rows = {row.unit.pk: row for row in response.context["rows"]}
    a, b = rows[world.ward_a.pk], rows[world.ward_b.pk]
    assert a.cell("satisfaction").light == "red" and b.cell("satisfaction").light is None
    assert b.cell("on_time").light == "amber"
    assert compliance.ranking_indicators(response.context["rows"]) == ["periodic", "invitations", "notices", "on_time"]
    assert (a.rank, b.rank) == (1, 2)
    # The legend says how units are compared.
    legend = response.content.decode().split('id="ranking-legend"')[1].split("</p>")[0]
    assert str(compliance.FIGURE_LABELS["on_time"]) in legend
    assert str(compliance.FIGURE_LABELS["satisfaction"]) not in legend


def test_no_unit_is_ranked_when_the_judged_units_share_no_indicator():
    green = compliance.Cell("on_time", "", 1.0, 5, 5, "green")
    other = compliance.Cell("satisfaction", "", 1.0, 5, 5, "green")
    rows = [
        compliance.Row(unit=None, cells=[green], cases=5, judged=True),
        compliance.Row(unit=None, cells=[other], cases=5, judged=True),
    ]
    assert compliance.ranking_indicators(rows) == []


def test_the_shortlist_reads_percentages(client, world, settings):
    settings.PORTAL_MIN_SAMPLE_SIZE = 5
    held(world.ward_a, datetime.date(YEAR, 4, 10))
    answered(world.ward_a, 10)
    client.force_login(world.sam)
    html = client.get(reverse("reports:commendation_shortlist"), {"year": YEAR}).content.decode()
    criteria = html.split('id="shortlist-criteria"')[1].split("</p>")[0]
    assert "90 %" in criteria and "80 %" in criteria
    assert "0,90" not in criteria and "0.90" not in criteria


def test_a_unit_that_owed_no_conference_is_not_counted_among_units_that_met_their_obligation(world):
    """A ward that existed only in January owed 0 conferences that year: it is neither met nor missed."""
    from reports import stats

    short_lived = f.UnitFactory(
        name="Phường Tạm",
        parent=world.district,
        valid_from=datetime.date(2008, 1, 1),
        valid_to=datetime.date(YEAR, 1, 31),
    )
    scope = stats.Scope.for_unit(world.district, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
    assert stats.periodic_requirement(scope)[short_lived.pk]["required"] == 0
    total = stats.periodic_requirement_total(scope)
    assert (total["units"], total["units_met"]) == (3, 0)  # the district and wards A and B
