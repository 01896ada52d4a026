"""Fixtures of the units tests: fast passwords, and the 2025 reform in miniature (`reform`).

`reform`: old Xuân Đỉnh and old Xuân Tảo (Bắc Từ Liêm, until 30/06/2025) are succeeded by the
new Xuân Đỉnh (under Hà Nội, since 1/7/2025), old Xuân Tảo only in part. `xuan` is an official
of the new Xuân Đỉnh; `thanh` a supervising official of the city. Each old ward has a 2024
record of each kind; ward A's `alice` (the fixed cast) is unrelated to any of them.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from conferences.models import ConferenceStatus
from followup.models import NoticeStatus
from petitions.models import PetitionStatus
from tests import factories as f
from units.models import Role, SuccessionKind, UnitKind, UnitSuccession


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The demo creates seven accounts; hash their passwords quickly in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


OLD_FROM, OLD_TO, NEW_FROM = datetime.date(2013, 12, 27), datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)


def old_ward(world, name, code):
    return f.UnitFactory(name=name, code=code, parent=world.district, valid_from=OLD_FROM, valid_to=OLD_TO)


def succeed(old, new, kind=SuccessionKind.WHOLE):
    return UnitSuccession.objects.create(predecessor=old, successor=new, kind=kind, effective_on=NEW_FROM)


@pytest.fixture
def reform(world):
    """The old wards with 2024 records, their successor, its official and a city supervisor."""
    old_xd = old_ward(world, "Xuân Đỉnh", "00610")
    old_xt = old_ward(world, "Xuân Tảo", "00611")
    new_xd = f.UnitFactory(name="Xuân Đỉnh", code="00611", parent=world.city, kind=UnitKind.WARD, valid_from=NEW_FROM)
    succeed(old_xd, new_xd)
    succeed(old_xt, new_xd, SuccessionKind.PART)
    xuan = f.UserFactory(username="xuan", first_name="Xuân")
    f.MembershipFactory(user=xuan, unit=new_xd, role=Role.UNIT_OFFICIAL)
    thanh = f.UserFactory(username="thanh", first_name="Thanh")
    f.MembershipFactory(user=thanh, unit=world.city, role=Role.SUPERVISOR)
    held = timezone.make_aware(datetime.datetime(2024, 10, 15, 8, 0))
    conference = f.ConferenceFactory(
        unit=old_xt,
        title="Đối thoại Xuân Tảo 2024",
        status=ConferenceStatus.HELD,
        planned_start=held,
        held_on=held.date(),
    )
    notice = f.NoticeFactory(
        unit=old_xt,
        conference=conference,
        title="Thông báo kết luận Xuân Tảo 2024",
        number="12/TB-UBND",
        issued_on=datetime.date(2024, 10, 22),
        status=NoticeStatus.PUBLISHED,
        published_at=held + datetime.timedelta(days=7),
    )
    petition = f.PetitionFactory(
        unit=old_xd,
        title="Ngập úng ngõ 30 Xuân Đỉnh",
        status=PetitionStatus.IN_PROGRESS,
        due_on=datetime.date(2024, 12, 10),
        petitioner_phone="+84987654321",
    )
    return SimpleNamespace(
        world=world, old_xd=old_xd, old_xt=old_xt, new_xd=new_xd, xuan=xuan, thanh=thanh,
        conference=conference, notice=notice, petition=petition,
    )  # fmt: skip
