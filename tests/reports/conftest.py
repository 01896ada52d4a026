"""Bắc Từ Liêm, built here (not from the demo data): the district, its 13 wards until 30/6/2025,
the 5 wards that took over after the 2025 reform, their successions, and five years of
conferences that reproduce the seed article's table — 76 periodic (5 district-level, 71
ward-level) and 137 ad-hoc between 25/5/2017 and 19/5/2022 — plus conferences that must not
count (planned, postponed, cancelled, or held outside the period)."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from conferences.models import Conference, ConferenceFormat, ConferenceKind, ConferenceStatus
from tests import factories as f
from units.models import SuccessionKind, UnitKind, UnitLevel, UnitSuccession

PERIOD = (datetime.date(2017, 5, 25), datetime.date(2022, 5, 19))
OLD_WARDS = [
    ("Thượng Cát", "00595"),
    ("Liên Mạc", "00598"),
    ("Đông Ngạc", "00601"),
    ("Đức Thắng", "00602"),
    ("Thụy Phương", "00604"),
    ("Tây Tựu", "00607"),
    ("Xuân Đỉnh", "00610"),
    ("Xuân Tảo", "00611"),
    ("Minh Khai", "00613"),
    ("Cổ Nhuế 1", "00616"),
    ("Cổ Nhuế 2", "00617"),
    ("Phú Diễn", "00619"),
    ("Phúc Diễn", "00620"),
]
NEW_WARDS = [
    ("Thượng Cát", "00598"),
    ("Đông Ngạc", "00602"),
    ("Xuân Đỉnh", "00611"),
    ("Tây Tựu", "00613"),
    ("Phú Diễn", "00619"),
]
# old ward → (primary successor, other successors taking part of it)
SUCCESSION = {
    "Thượng Cát": ("Thượng Cát", []),
    "Liên Mạc": ("Thượng Cát", []),
    "Đức Thắng": ("Đông Ngạc", []),
    "Phú Diễn": ("Phú Diễn", []),
    "Đông Ngạc": ("Đông Ngạc", []),
    "Thụy Phương": ("Đông Ngạc", ["Thượng Cát"]),
    "Tây Tựu": ("Tây Tựu", ["Thượng Cát"]),
    "Xuân Đỉnh": ("Xuân Đỉnh", ["Đông Ngạc"]),
    "Xuân Tảo": ("Xuân Đỉnh", []),
    "Minh Khai": ("Tây Tựu", ["Đông Ngạc", "Thượng Cát"]),
    "Cổ Nhuế 1": ("Phú Diễn", ["Xuân Đỉnh"]),
    "Cổ Nhuế 2": ("Đông Ngạc", ["Thượng Cát"]),
    "Phúc Diễn": ("Phú Diễn", []),
}
REFORM = datetime.date(2025, 7, 1)


def at(day: datetime.date, hour: int = 8):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _conference(unit, kind, day, status=ConferenceStatus.CLOSED, n=0):
    held = status in (ConferenceStatus.HELD, ConferenceStatus.CONCLUDED, ConferenceStatus.CLOSED)
    return Conference(
        unit=unit,
        kind=kind,
        format=ConferenceFormat.VOTER_AFTER_PC if kind == ConferenceKind.PERIODIC else ConferenceFormat.THEMATIC,
        title=f"Hội nghị đối thoại {n} — {unit.name}",
        status=status,
        planned_start=at(day),
        held_on=day if held else None,
        invitation_sent_on=day - datetime.timedelta(days=10),
    )


@pytest.fixture
def btl(db):
    """Return Hà Nội, Bắc Từ Liêm (021), its old wards by name, the new wards by name, and the conferences."""
    f.install_default_rules()
    city = f.UnitFactory(
        name="Hà Nội", level=UnitLevel.CITY, kind=UnitKind.CITY, code="01", valid_from=datetime.date(2008, 8, 1)
    )
    district = f.UnitFactory(
        name="Bắc Từ Liêm",
        level=UnitLevel.DISTRICT,
        kind=UnitKind.URBAN_DISTRICT,
        code="021",
        parent=city,
        valid_from=datetime.date(2013, 12, 27),
        valid_to=datetime.date(2025, 6, 30),
    )
    old = {
        name: f.UnitFactory(
            name=name,
            code=code,
            parent=district,
            valid_from=datetime.date(2013, 12, 27),
            valid_to=datetime.date(2025, 6, 30),
        )
        for name, code in OLD_WARDS
    }
    new = {name: f.UnitFactory(name=name, code=code, parent=city, valid_from=REFORM) for name, code in NEW_WARDS}
    for old_name, (primary, parts) in SUCCESSION.items():
        UnitSuccession.objects.create(
            predecessor=old[old_name],
            successor=new[primary],
            kind=SuccessionKind.PART if parts else SuccessionKind.WHOLE,
            effective_on=REFORM,
            is_primary=True,
        )
        for part in parts:
            UnitSuccession.objects.create(
                predecessor=old[old_name], successor=new[part], kind=SuccessionKind.PART, effective_on=REFORM
            )

    start, end = PERIOD
    wards = list(old.values())
    rows, n = [], 0

    def add(unit, kind, day, status=ConferenceStatus.CLOSED):
        nonlocal n
        n += 1
        rows.append(_conference(unit, kind, day, status, n))

    # 5 district-level periodic: one a year, 2017–2021.
    for year in range(2017, 2022):
        add(district, ConferenceKind.PERIODIC, datetime.date(year, 12, 10))
    # 71 ward-level periodic: each ward once a year 2017–2021 (65), and 6 wards twice in 2020.
    for year in range(2017, 2022):
        for ward in wards:
            add(ward, ConferenceKind.PERIODIC, datetime.date(year, 11, 20))
    for ward in wards[:6]:
        add(ward, ConferenceKind.PERIODIC, datetime.date(2020, 6, 15), status=ConferenceStatus.HELD)
    # 137 ad-hoc: 37 district-level (Ring Road 3, Hoàng Quốc Việt extension…), 100 ward-level.
    day = start
    for i in range(37):
        add(district, ConferenceKind.ADHOC, day + datetime.timedelta(days=40 * i), status=ConferenceStatus.CONCLUDED)
    for i in range(100):
        add(wards[i % 13], ConferenceKind.ADHOC, day + datetime.timedelta(days=17 * i + 3))
    assert rows[-1].held_on <= end
    # Must not count: planned, announced, postponed, cancelled in the period; held just outside it.
    add(district, ConferenceKind.PERIODIC, datetime.date(2021, 3, 1), status=ConferenceStatus.CANCELLED)
    add(wards[0], ConferenceKind.PERIODIC, datetime.date(2019, 3, 1), status=ConferenceStatus.POSTPONED)
    add(wards[1], ConferenceKind.ADHOC, datetime.date(2022, 5, 1), status=ConferenceStatus.PLANNED)
    add(wards[2], ConferenceKind.ADHOC, datetime.date(2022, 5, 2), status=ConferenceStatus.ANNOUNCED)
    add(wards[3], ConferenceKind.PERIODIC, datetime.date(2017, 5, 24))
    add(wards[4], ConferenceKind.ADHOC, datetime.date(2022, 5, 20))
    add(district, ConferenceKind.ADHOC, datetime.date(2017, 5, 24))
    Conference.objects.bulk_create(rows)
    return SimpleNamespace(city=city, district=district, old=old, new=new, period=PERIOD)
