"""Units as a versioned tree: resolution by code and date, overlapping codes, successions, role groups."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from dialogue_portal.demo import OLD_WARDS, load_demo
from petitions.models import Category
from tests.factories import UnitFactory
from units.models import ROLE_GROUPS, AdministrativeUnit, Role, SuccessionKind, UnitLevel, UnitSuccession

D = datetime.date


@pytest.fixture
def demo_units(db):
    return load_demo(with_activity=False)


def test_code_00598_was_lien_mac_in_2024_and_is_thuong_cat_since_july_2025(demo_units):
    units = AdministrativeUnit.objects
    assert units.with_code_on("00598", D(2024, 6, 1)).name == "Liên Mạc"
    assert units.with_code_on("00598", D(2025, 6, 30)).name == "Liên Mạc"
    assert units.with_code_on("00598", D(2025, 7, 1)).name == "Thượng Cát"
    assert units.with_code_on("00598", D(2026, 1, 1)).name == "Thượng Cát"
    # Old Thượng Cát had another code.
    assert units.with_code_on("00595", D(2024, 6, 1)).name == "Thượng Cát"
    with pytest.raises(AdministrativeUnit.DoesNotExist):
        units.with_code_on("00595", D(2026, 1, 1))


def test_the_old_wards_were_in_bac_tu_liem_and_the_new_ones_are_directly_under_ha_noi(demo_units):
    district = AdministrativeUnit.objects.get(code="021")
    assert (district.valid_from, district.valid_to) == (D(2013, 12, 27), D(2025, 6, 30))
    assert district.parent.name == "Hà Nội"
    old = district.children.all()
    assert sorted(u.code for u in old) == sorted(code for code, _n in OLD_WARDS)
    assert all(u.valid_to == D(2025, 6, 30) and u.depth == 2 for u in old)
    new = AdministrativeUnit.objects.current().filter(level=UnitLevel.COMMUNE)
    assert {u.parent.code for u in new} == {"01"}
    assert {u.code for u in new} >= {"00598", "00602", "00611", "00613", "00619", "00091", "00160", "00622", "09817"}
    # The tree path finds a subtree in one query.
    assert set(district.subtree()) == {district, *old}


def test_every_old_ward_has_one_primary_successor_and_splits_are_parts(demo_units):
    assert UnitSuccession.objects.count() == 29
    for ward in AdministrativeUnit.objects.filter(parent__code="021"):
        successions = list(ward.successions.all())
        assert sum(s.is_primary for s in successions) == 1, ward
        expected = SuccessionKind.WHOLE if len(successions) == 1 else SuccessionKind.PART
        assert {s.kind for s in successions} == {expected}, ward
    tay_tuu = AdministrativeUnit.objects.with_code_on("00607", D(2025, 1, 1))
    assert sorted(s.successor.name for s in tay_tuu.successions.all()) == [
        "Hoài Đức",
        "Thượng Cát",
        "Tây Tựu",
        "Ô Diên",
    ]
    xuan_dinh = AdministrativeUnit.objects.with_code_on("00610", D(2025, 1, 1))
    assert xuan_dinh.successions.get(is_primary=True).successor.code == "00611"


def test_clean_rejects_a_code_borne_by_another_unit_in_an_overlapping_period(db):
    UnitFactory(code="00598", name="Liên Mạc", valid_from=D(2013, 12, 27), valid_to=D(2025, 6, 30))
    overlapping = UnitFactory.build(code="00598", name="Thượng Cát", valid_from=D(2025, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        overlapping.clean()
    assert "code" in excinfo.value.message_dict
    open_ended = UnitFactory(code="00598", name="Thượng Cát", valid_from=D(2025, 7, 1))
    open_ended.clean()  # the day after Liên Mạc ended is fine
    earlier = UnitFactory.build(code="00598", name="X", valid_from=D(2000, 1, 1), valid_to=D(2014, 1, 1))
    with pytest.raises(ValidationError):
        earlier.clean()


def test_role_groups_carry_the_permissions_of_each_role(db):
    groups = {g.name: {p.codename for p in g.permissions.all()} for g in Group.objects.prefetch_related("permissions")}
    assert set(ROLE_GROUPS.values()) <= set(groups)
    official = groups[ROLE_GROUPS[Role.UNIT_OFFICIAL]]
    assert {"add_petition", "change_petition", "add_conference", "add_followupnotice"} <= official
    assert "delete_petition" not in official
    front = groups[ROLE_GROUPS[Role.FRONT_SUPERVISOR]]
    assert {"add_supervision", "view_petition"} <= front
    assert "change_petition" not in front
    handler = groups[ROLE_GROUPS[Role.HANDLING_OFFICER]]
    assert {"add_answer", "change_petition"} <= handler
    assert "add_conference" not in handler


def test_categories_are_seeded_in_order_with_khac_last(db):
    names = list(Category.objects.order_by("order").values_list("name", flat=True))
    assert names[0] == "Đất đai"
    assert names[-1] == "Khác"
    assert len(names) == 21
    assert "Bồi thường, hỗ trợ, tái định cư" in names
