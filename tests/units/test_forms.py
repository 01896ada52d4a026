"""The one unit choice: an abolished unit named with its last day, the units in force first,
in every form, filter, report form and the admin."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from conferences.models import Conference
from reports.forms import ReportRequestForm
from tests import factories as f
from units.forms import UnitChoiceField, sort_units, unit_label
from units.models import AdministrativeUnit, UnitKind, UnitLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def xuan_dinh(world):
    """The two Phường Xuân Đỉnh: the one abolished on 30/06/2025 and its successor of the same name."""
    old = f.UnitFactory(
        name="Xuân Đỉnh",
        kind=UnitKind.WARD,
        level=UnitLevel.COMMUNE,
        code="00610",
        parent=world.district,
        valid_from=datetime.date(2013, 12, 27),
        valid_to=datetime.date(2025, 6, 30),
    )
    new = f.UnitFactory(
        name="Xuân Đỉnh",
        kind=UnitKind.WARD,
        level=UnitLevel.COMMUNE,
        code="00611",
        parent=world.city,
        valid_from=datetime.date(2025, 7, 1),
    )
    return old, new


def test_an_abolished_unit_reads_with_its_last_day_in_both_languages(xuan_dinh):
    old, new = xuan_dinh
    with translation.override("vi"):
        assert unit_label(old) == "Phường Xuân Đỉnh (đến 30/06/2025)"
        assert unit_label(new) == "Phường Xuân Đỉnh"
    with translation.override("en"):
        assert unit_label(old) == "Phường Xuân Đỉnh (until 30/06/2025)"


def test_units_in_force_come_first_then_the_abolished_ones(world, xuan_dinh):
    old, new = xuan_dinh
    ordered = sort_units([old, world.district, new, world.city], today=datetime.date(2026, 1, 1))
    # The test district has no end date: it is in force; the old ward is last.
    assert ordered[-1] == old
    assert ordered.index(new) < ordered.index(old)
    assert ordered[0] == world.city


def test_the_report_form_lists_the_two_xuan_dinh_apart_in_force_first(world, xuan_dinh):
    old, new = xuan_dinh
    superuser = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    with translation.override("vi"):
        labels = [label for value, label in ReportRequestForm(user=superuser).fields["unit"].choices if value]
    assert "Phường Xuân Đỉnh" in labels and "Phường Xuân Đỉnh (đến 30/06/2025)" in labels
    assert labels.index("Phường Xuân Đỉnh") < labels.index("Phường Xuân Đỉnh (đến 30/06/2025)")
    assert labels.count("Phường Xuân Đỉnh") == 1


def test_the_choices_are_read_in_one_query(world, xuan_dinh, django_assert_num_queries):
    field = UnitChoiceField(queryset=AdministrativeUnit.objects.all())
    expected = AdministrativeUnit.objects.count() + 1  # and the empty choice
    with django_assert_num_queries(1):
        choices = field.choices
        assert len(choices) == expected  # as a template's {% for %} asks, before iterating
        assert len(list(choices)) == expected


def test_the_admin_picks_and_filters_units_with_the_same_labels(world, xuan_dinh):
    old, _new = xuan_dinh
    request = RequestFactory().get("/admin/")
    request.user = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    model_admin = admin.site._registry[Conference]
    field = model_admin.formfield_for_foreignkey(Conference._meta.get_field("unit"), request)
    assert isinstance(field, UnitChoiceField)
    with translation.override("en"):
        assert field.label_from_instance(old) == "Phường Xuân Đỉnh (until 30/06/2025)"
        unit_filter = next(f for f in model_admin.list_filter if isinstance(f, type) and f.parameter_name == "unit")
        lookups = unit_filter(request, {}, Conference, model_admin).lookups(request, model_admin)
    labels = [label for _pk, label in lookups]
    assert "Phường Xuân Đỉnh (until 30/06/2025)" in labels
    assert labels.index("Phường Xuân Đỉnh") < labels.index("Phường Xuân Đỉnh (until 30/06/2025)")


def test_the_admin_autocomplete_names_an_abolished_unit_with_its_last_day(client, world, xuan_dinh):
    client.force_login(f.UserFactory(username="root", is_superuser=True, is_staff=True))
    client.cookies["django_language"] = "en"
    response = client.get(
        "/admin/autocomplete/",
        {"term": "Xuân", "app_label": "conferences", "model_name": "conference", "field_name": "unit"},
    )
    texts = [row["text"] for row in response.json()["results"]]
    assert texts == ["Phường Xuân Đỉnh", "Phường Xuân Đỉnh (until 30/06/2025)"]
