"""Who a handling unit serves: its own unit and the units below it (the rule of a bulk assignment)."""

import pytest

from petitions import services
from tests import factories as f
from units.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def test_unit_ancestor_ids_run_from_the_root_down_without_a_query(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        ids = world.ward_a.ancestor_ids()
    assert ids == [world.city.pk, world.district.pk, world.ward_a.pk]


def test_a_ward_office_serves_its_ward_only_and_a_district_office_serves_both(world):
    district_office = f.OrganisationFactory(unit=world.district, name="Ban bồi thường quận")
    assert world.land_a.serves(world.ward_a) and not world.land_a.serves(world.ward_b)
    assert district_office.serves(world.ward_a) and district_office.serves(world.ward_b)


def test_split_by_service_keeps_the_petitions_the_handling_unit_serves(world):
    petition_a = f.PetitionFactory(unit=world.ward_a)
    petition_b = f.PetitionFactory(unit=world.ward_b)
    eligible, skipped = services.split_by_service(petitions=[petition_a, petition_b], organisation=world.land_a)
    assert (eligible, skipped) == ([petition_a], [petition_b])


def test_handling_units_for_a_ward_include_those_above_it_but_not_the_front(world):
    district_office = f.OrganisationFactory(unit=world.district, name="Ban bồi thường quận")
    offered = set(services.handling_units_for(world.ward_a))
    assert {world.land_a, district_office} <= offered
    assert world.land_b not in offered
    assert all(o.kind != OrganisationKind.FATHERLAND_FRONT for o in offered)


def test_serves_agrees_with_serving_for_inactive_and_non_handling_organisations(world):
    front = f.OrganisationFactory(unit=world.ward_a, name="Ủy ban MTTQ phường", kind=OrganisationKind.FATHERLAND_FRONT)
    closed = f.OrganisationFactory(unit=world.ward_a, name="Tổ công tác đã giải thể", is_active=False)
    serving = set(Organisation.objects.serving(world.ward_a))
    for organisation in (world.land_a, front, closed):
        assert organisation.serves(world.ward_a) == (organisation in serving), organisation
    assert not front.serves(world.ward_a) and not closed.serves(world.ward_a)
