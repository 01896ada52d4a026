"""The portal's one date widget and the unit choices of the plan and conference forms and filters."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conferences.filters import ConferenceFilter
from conferences.forms import AnnounceForm, ConclusionDoneForm, ConferenceForm, PlanForm, RescheduleForm
from tests import factories as f
from units.forms import unit_label
from units.models import AdministrativeUnit


@pytest.fixture
def old_ward_a(world):
    """Ward A's predecessor of the same name, abolished on 30/06/2025."""
    return f.UnitFactory(
        name=world.ward_a.name,
        parent=world.district,
        valid_from=datetime.date(2013, 12, 27),
        valid_to=datetime.date(2025, 6, 30),
    )


# --- 8. Unit choices ---------------------------------------------------------------------------------


def test_unit_choice_label_names_an_abolished_unit_with_its_end_date(world, old_ward_a):
    assert unit_label(world.ward_a) == str(world.ward_a)
    assert unit_label(old_ward_a) == f"{old_ward_a} (until 30/06/2025)"
    with translation.override("vi"):
        assert "30/06/2025" in unit_label(old_ward_a)


def test_conference_filter_and_forms_label_units_alike(world, old_ward_a):
    units = AdministrativeUnit.objects.filter(pk__in=[world.ward_a.pk, old_ward_a.pk])
    fields = [
        ConferenceFilter(units=units).form.fields["unit"],
        ConferenceForm(units=units).fields["unit"],
        PlanForm(units=units).fields["unit"],
    ]
    for field in fields:
        labels = {label for _value, label in field.choices}
        assert {str(world.ward_a), f"{old_ward_a} (until 30/06/2025)"} <= labels


def test_conference_list_filter_shows_both_wards_apart(world, old_ward_a):
    c = Client()
    c.cookies["django_language"] = "en"
    c.force_login(world.sam)
    page = c.get(reverse("conferences:conference_list")).content.decode()
    assert f"{old_ward_a} (until 30/06/2025)</option>" in page


# --- 9. Dates are typed dd/mm/yyyy -----------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "vi"])
def test_initial_dates_render_as_dd_mm_yyyy(language):
    today = timezone.localdate()
    with translation.override(language):
        for html in (str(AnnounceForm()["invitation_sent_on"]), str(ConclusionDoneForm()["done_on"])):
            assert f'value="{today:%d/%m/%Y}"' in html
            assert 'type="text"' in html and 'placeholder="dd/mm/yyyy"' in html and 'inputmode="numeric"' in html
        start = timezone.make_aware(datetime.datetime(2026, 12, 9, 8, 0))
        html = str(RescheduleForm(initial={"planned_start": start})["planned_start"])
        assert 'value="09/12/2026 08:00"' in html


@pytest.mark.parametrize("language", ["en", "vi"])
def test_dates_are_accepted_as_dd_mm_yyyy(language):
    with translation.override(language):
        form = AnnounceForm({"invitation_sent_on": "02/11/2026"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["invitation_sent_on"] == datetime.date(2026, 11, 2)
