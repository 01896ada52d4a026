"""Which of today's units carries the history of a unit that no longer exists."""

import datetime

from tests.factories import UnitFactory
from units.models import SuccessionKind, UnitSuccession
from units.succession import today_units_map

D = datetime.date
REFORM = D(2025, 7, 1)


def _gone(name):
    return UnitFactory(name=name, valid_from=D(2013, 12, 27), valid_to=D(2025, 6, 30))


def test_a_split_ward_is_counted_on_its_primary_successor_and_a_ward_without_successor_on_itself(db):
    lien_mac, tay_tuu, district = _gone("Liên Mạc"), _gone("Tây Tựu (cũ)"), _gone("Bắc Từ Liêm")
    thuong_cat, new_tay_tuu, o_dien = UnitFactory(name="Thượng Cát"), UnitFactory(name="Tây Tựu"), UnitFactory()
    UnitSuccession.objects.create(predecessor=lien_mac, successor=thuong_cat, effective_on=REFORM)
    UnitSuccession.objects.create(
        predecessor=tay_tuu, successor=o_dien, kind=SuccessionKind.PART, effective_on=REFORM, is_primary=False
    )
    UnitSuccession.objects.create(
        predecessor=tay_tuu, successor=new_tay_tuu, kind=SuccessionKind.PART, effective_on=REFORM, is_primary=True
    )
    mapping = today_units_map(D(2026, 1, 1))
    assert mapping == {lien_mac.pk: thuong_cat.pk, tay_tuu.pk: new_tay_tuu.pk}
    assert district.pk not in mapping
    assert today_units_map(D(2025, 6, 30)) == {}  # nothing was gone yet


def test_a_chain_of_successions_is_followed_to_the_unit_that_exists_today(db):
    first = UnitFactory(valid_from=D(2000, 1, 1), valid_to=D(2010, 12, 31))
    second = UnitFactory(valid_from=D(2011, 1, 1), valid_to=D(2025, 6, 30))
    today = UnitFactory()
    UnitSuccession.objects.create(predecessor=first, successor=second, effective_on=D(2011, 1, 1))
    UnitSuccession.objects.create(predecessor=second, successor=today, effective_on=REFORM)
    assert today_units_map(D(2026, 1, 1)) == {first.pk: today.pk, second.pk: today.pk}
