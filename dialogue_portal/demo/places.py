"""The demo's units: Hà Nội, Bắc Từ Liêm and its 13 wards until 30/6/2025, the 10 wards that succeeded
them from 1/7/2025, the successions between them, and each unit's organisations."""

import datetime

from dialogue_portal.demo.world import DemoWorld
from units.importers import SuccessionRow, UnitRow, import_units
from units.models import AdministrativeUnit, Organisation, OrganisationKind, SuccessionKind, UnitKind, UnitLevel

D = datetime.date
CITY_FROM = D(2008, 8, 1)
BTL_FROM, BTL_TO = D(2013, 12, 27), D(2025, 6, 30)
REFORM = D(2025, 7, 1)
REFORM_BASIS = "Nghị quyết 1656/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội"

OLD_WARDS = [
    ("00595", "Thượng Cát"),
    ("00598", "Liên Mạc"),
    ("00601", "Đông Ngạc"),
    ("00602", "Đức Thắng"),
    ("00604", "Thụy Phương"),
    ("00607", "Tây Tựu"),
    ("00610", "Xuân Đỉnh"),
    ("00611", "Xuân Tảo"),
    ("00613", "Minh Khai"),
    ("00616", "Cổ Nhuế 1"),
    ("00617", "Cổ Nhuế 2"),
    ("00619", "Phú Diễn"),
    ("00620", "Phúc Diễn"),
]
NEW_WARDS = [
    ("00598", "Thượng Cát", UnitKind.WARD),
    ("00602", "Đông Ngạc", UnitKind.WARD),
    ("00611", "Xuân Đỉnh", UnitKind.WARD),
    ("00613", "Tây Tựu", UnitKind.WARD),
    ("00619", "Phú Diễn", UnitKind.WARD),
    ("00091", "Phú Thượng", UnitKind.WARD),
    ("00160", "Nghĩa Đô", UnitKind.WARD),
    ("00622", "Xuân Phương", UnitKind.WARD),
    ("09817", "Ô Diên", UnitKind.COMMUNE),
    ("09832", "Hoài Đức", UnitKind.COMMUNE),
]
# Old ward → new wards, as in the brief. Several successors: each takes a part; the first is the
# primary successor (takes over the open petitions and counts the history).
SUCCESSIONS = {
    "Thượng Cát": ["Thượng Cát"],
    "Liên Mạc": ["Thượng Cát"],
    "Đức Thắng": ["Đông Ngạc"],
    "Phú Diễn": ["Phú Diễn"],
    "Đông Ngạc": ["Đông Ngạc", "Phú Thượng"],
    "Thụy Phương": ["Đông Ngạc", "Thượng Cát"],
    "Tây Tựu": ["Tây Tựu", "Thượng Cát", "Ô Diên", "Hoài Đức"],
    "Xuân Đỉnh": ["Xuân Đỉnh", "Đông Ngạc", "Phú Thượng"],
    "Xuân Tảo": ["Xuân Đỉnh", "Nghĩa Đô", "Phú Thượng"],
    "Minh Khai": ["Tây Tựu", "Đông Ngạc", "Thượng Cát", "Xuân Phương"],
    "Cổ Nhuế 1": ["Phú Diễn", "Xuân Đỉnh", "Nghĩa Đô"],
    "Cổ Nhuế 2": ["Đông Ngạc", "Thượng Cát"],
    "Phúc Diễn": ["Phú Diễn", "Xuân Phương"],
}


def install_units() -> DemoWorld:
    """Create Hà Nội, Bắc Từ Liêm and its 13 wards, the 10 successor wards and the successions."""
    rows = [
        UnitRow("01", "Hà Nội", UnitKind.CITY, UnitLevel.CITY, "", CITY_FROM, None),
        UnitRow("021", "Bắc Từ Liêm", UnitKind.URBAN_DISTRICT, UnitLevel.DISTRICT, "01", BTL_FROM, BTL_TO),
    ]
    rows += [UnitRow(code, name, UnitKind.WARD, UnitLevel.COMMUNE, "021", BTL_FROM, BTL_TO) for code, name in OLD_WARDS]
    rows += [UnitRow(code, name, kind, UnitLevel.COMMUNE, "01", REFORM, None) for code, name, kind in NEW_WARDS]
    old_codes = {name: code for code, name in OLD_WARDS}
    new_codes = {name: code for code, name, _k in NEW_WARDS}
    successions = [
        SuccessionRow(
            old_codes[old],
            new_codes[new],
            SuccessionKind.WHOLE if len(news) == 1 else SuccessionKind.PART,
            index == 0,
            REFORM,
            REFORM_BASIS,
        )
        for old, news in SUCCESSIONS.items()
        for index, new in enumerate(news)
    ]
    import_units(rows, successions)
    units = AdministrativeUnit.objects
    return DemoWorld(
        city=units.with_code_on("01", REFORM),
        district=units.with_code_on("021", BTL_TO),
        old={name: units.with_code_on(code, BTL_TO) for code, name in OLD_WARDS},
        new={name: units.with_code_on(code, REFORM) for code, name, _k in NEW_WARDS},
    )


def _org(world, unit, key, kind, name):
    org, _created = Organisation.objects.get_or_create(unit=unit, name=name, defaults={"kind": kind})
    world.orgs[(unit.pk, key)] = org
    return org


def install_organisations(world: DemoWorld) -> None:
    """Create the Party committee, People's Committee and Council, Front committee and offices of each unit."""
    K = OrganisationKind
    city = world.city
    _org(world, city, "party", K.PARTY_COMMITTEE, "Thành ủy Hà Nội")
    _org(world, city, "ubnd", K.PEOPLES_COMMITTEE, "UBND Thành phố Hà Nội")
    _org(world, city, "hdnd", K.PEOPLES_COUNCIL, "HĐND Thành phố Hà Nội")
    _org(world, city, "mttq", K.FATHERLAND_FRONT, "Ủy ban MTTQ Việt Nam Thành phố Hà Nội")
    _org(world, city, "dan_van", K.MASS_MOBILISATION, "Ban Dân vận Thành ủy Hà Nội")
    _org(world, city, "gpmb", K.HANDLING_UNIT, "Ban Bồi thường, giải phóng mặt bằng Thành phố")
    d = world.district
    _org(world, d, "party", K.PARTY_COMMITTEE, "Quận ủy Bắc Từ Liêm")
    _org(world, d, "ubnd", K.PEOPLES_COMMITTEE, "UBND quận Bắc Từ Liêm")
    _org(world, d, "hdnd", K.PEOPLES_COUNCIL, "HĐND quận Bắc Từ Liêm")
    _org(world, d, "mttq", K.FATHERLAND_FRONT, "Ủy ban MTTQ Việt Nam quận Bắc Từ Liêm")
    _org(world, d, "dan_van", K.MASS_MOBILISATION, "Ban Dân vận Quận ủy Bắc Từ Liêm")
    _org(world, d, "gpmb", K.HANDLING_UNIT, "Ban Bồi thường GPMB quận Bắc Từ Liêm")
    _org(world, d, "qldt", K.HANDLING_UNIT, "Phòng Quản lý đô thị quận Bắc Từ Liêm")
    _org(world, d, "tnmt", K.HANDLING_UNIT, "Phòng Tài nguyên và Môi trường quận Bắc Từ Liêm")
    for name, unit in world.old.items():
        _org(world, unit, "party", K.PARTY_COMMITTEE, f"Đảng ủy phường {name}")
        _org(world, unit, "ubnd", K.PEOPLES_COMMITTEE, f"UBND phường {name}")
        _org(world, unit, "hdnd", K.PEOPLES_COUNCIL, f"HĐND phường {name}")
        _org(world, unit, "mttq", K.FATHERLAND_FRONT, f"Ủy ban MTTQ phường {name}")
        _org(world, unit, "dia_chinh", K.HANDLING_UNIT, f"Bộ phận Địa chính - Xây dựng phường {name}")
    for name, unit in world.new.items():
        label = "phường" if unit.kind == UnitKind.WARD else "xã"
        _org(world, unit, "party", K.PARTY_COMMITTEE, f"Đảng ủy {label} {name}")
        _org(world, unit, "ubnd", K.PEOPLES_COMMITTEE, f"UBND {label} {name}")
        _org(world, unit, "hdnd", K.PEOPLES_COUNCIL, f"HĐND {label} {name}")
        _org(world, unit, "mttq", K.FATHERLAND_FRONT, f"Ủy ban MTTQ Việt Nam {label} {name}")
        economy = "Phòng Kinh tế - Hạ tầng và Đô thị" if unit.kind == UnitKind.WARD else "Phòng Kinh tế"
        _org(world, unit, "kinh_te", K.HANDLING_UNIT, f"{economy} {label} {name}")
        _org(world, unit, "van_hoa", K.HANDLING_UNIT, f"Phòng Văn hóa - Xã hội {label} {name}")
        _org(world, unit, "hcc", K.HANDLING_UNIT, f"Trung tâm Phục vụ hành chính công {label} {name}")
