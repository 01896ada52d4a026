"""The demo data: Hà Nội, Bắc Từ Liêm and its wards before and after 1/7/2025, and a year of dialogue.

This is wiring for `manage.py load_demo` (like a command, it may import every app).

`load_demo()` is idempotent: reference data (units, successions, organisations, documents, rules,
holidays, groups, accounts) is created with get-or-create, and the year of activity — built
through the services, on a simulated clock, so that every audit row and deadline is dated as it
would have been — is created once, inside one transaction, only when it is absent.

The demo accounts share one password (`DEMO_PASSWORD`), documented in the README.
"""

import contextlib
import dataclasses
import datetime
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from rules.defaults import install_default_rules
from rules.holidays_vn import install_holidays
from units.groups import sync_role_groups
from units.importers import SuccessionRow, UnitRow, import_units
from units.models import (
    ROLE_GROUPS,
    AdministrativeUnit,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    SuccessionKind,
    UnitKind,
    UnitLevel,
)

DEMO_PASSWORD = "Demo@2200"  # noqa: S105 (documented demo password, never used in production)
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


@dataclasses.dataclass
class DemoWorld:
    city: AdministrativeUnit
    district: AdministrativeUnit
    old: dict  # name → unit (valid to 30/6/2025)
    new: dict  # name → unit (from 1/7/2025)
    orgs: dict = dataclasses.field(default_factory=dict)  # (unit name, short key) → Organisation
    users: dict = dataclasses.field(default_factory=dict)
    accounts: list = dataclasses.field(default_factory=list)  # (username, role, unit) for printing
    documents: dict = dataclasses.field(default_factory=dict)


# --- Units --------------------------------------------------------------------------------------


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


def demo_pdf(lines: list[str]) -> bytes:
    """Return a one-page PDF showing `lines` (ASCII, Helvetica): a stand-in file for a demo document."""
    text = "\n".join(
        f"BT /F1 {14 if i == 0 else 11} Tf 60 {780 - 22 * i} Td ({line.replace('(', '[').replace(')', ']')}) Tj ET"
        for i, line in enumerate(lines)
    ).encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# Who signed: the position of the signatory (the names are not in the sources at hand).
DOCUMENT_SIGNERS = {
    "2200-QĐ/TU": "T/M Ban Thường vụ Thành ủy — Bí thư Thành ủy Hà Nội",
    "85-KH/QU": "T/M Ban Thường vụ Quận ủy — Bí thư Quận ủy Bắc Từ Liêm",
}
DOCUMENT_PDF_LINES = {
    "2200-QĐ/TU": [
        "Thanh uy Ha Noi - Quyet dinh so 2200-QD/TU ngay 25/5/2017",
        "Quy che tiep xuc, doi thoai truc tiep giua nguoi dung dau cap uy, chinh quyen cac cap",
        "voi MTTQ, cac to chuc chinh tri - xa hoi va Nhan dan (3 chuong, 12 dieu).",
        "Ban minh hoa cua du lieu demo - khong phai van ban chinh thuc.",
    ],
    "85-KH/QU": [
        "Quan uy Bac Tu Liem - Ke hoach so 85-KH/QU ngay 10/7/2017",
        "Thuc hien Quyet dinh 2200-QD/TU cua Thanh uy Ha Noi.",
        "Ban minh hoa cua du lieu demo - khong phai van ban chinh thuc.",
    ],
}


def _complete_document(document) -> None:
    """Fill the signer and a stand-in PDF of a demo document, once (a re-run changes nothing)."""
    from django.core.files.base import ContentFile

    changed = []
    if not document.signer:
        document.signer = DOCUMENT_SIGNERS[document.number]
        changed.append("signer")
    if not document.file:
        name = document.number.replace("/", "-").replace("Đ", "D") + ".pdf"
        document.file.save(name, ContentFile(demo_pdf(DOCUMENT_PDF_LINES[document.number])), save=False)
        changed.append("file")
    if changed:
        document.save(update_fields=changed)


def install_documents(world: DemoWorld) -> None:
    """Create Decision 2200-QĐ/TU and the Bắc Từ Liêm implementation plan 85-KH/QU, signed, with a file."""
    from conferences.models import Document, DocumentType

    decision, _c = Document.objects.get_or_create(
        number="2200-QĐ/TU",
        issued_on=D(2017, 5, 25),
        issuer="Thành ủy Hà Nội",
        defaults={
            "doc_type": DocumentType.DIRECTIVE,
            "title": (
                "Quy chế tiếp xúc, đối thoại trực tiếp giữa người đứng đầu cấp ủy, chính quyền các cấp với "
                "MTTQ, các tổ chức chính trị - xã hội và Nhân dân"
            ),
        },
    )
    plan, _c = Document.objects.get_or_create(
        number="85-KH/QU",
        issued_on=D(2017, 7, 10),
        issuer="Quận ủy Bắc Từ Liêm",
        defaults={
            "doc_type": DocumentType.PLAN,
            "title": "Kế hoạch thực hiện Quyết định 2200-QĐ/TU của Thành ủy Hà Nội",
            "unit": world.district,
            "parent": decision,
        },
    )
    _complete_document(decision)
    _complete_document(plan)
    world.documents.update(decision=decision, plan_85=plan)


# --- Answer templates -------------------------------------------------------------------------

ANSWER_TEMPLATES = [
    (
        "Đã tiếp nhận, đang xử lý",
        None,
        "Kính gửi ông/bà,\n\nỦy ban nhân dân phường đã tiếp nhận ý kiến, kiến nghị của ông/bà và đã giao cơ quan "
        "chuyên môn kiểm tra, xử lý. Kết quả sẽ được thông báo tới ông/bà trong thời hạn quy định.\n\nTrân trọng.",
    ),
    (
        "Đã giải quyết xong",
        None,
        "Kính gửi ông/bà,\n\nNội dung ông/bà phản ánh đã được cơ quan chức năng kiểm tra và giải quyết dứt điểm "
        "(kèm văn bản, hình ảnh minh chứng). Đề nghị ông/bà xác nhận kết quả trên Cổng đối thoại.\n\nTrân trọng.",
    ),
    (
        "Không thuộc thẩm quyền — hướng dẫn nơi gửi",
        None,
        "Kính gửi ông/bà,\n\nNội dung ông/bà gửi không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường. "
        "Đề nghị ông/bà gửi đơn tới cơ quan có thẩm quyền theo quy định của pháp luật về khiếu nại, tố cáo."
        "\n\nTrân trọng.",
    ),
]


def install_answer_templates() -> None:
    """Create the answer templates shared by every unit (by title: a re-run changes nothing)."""
    from petitions.models import AnswerTemplate

    for title, unit, text in ANSWER_TEMPLATES:
        AnswerTemplate.objects.get_or_create(title=title, unit=unit, defaults={"text": text})


# --- Accounts -----------------------------------------------------------------------------------

ACCOUNTS = [
    # username, first name, last name, role, unit key, organisation key, position
    ("admin", "Quản trị", "hệ thống", None, None, None, "Quản trị hệ thống"),
    ("canbo.xuandinh", "Lan", "Nguyễn Thị", Role.UNIT_OFFICIAL, "Xuân Đỉnh", None, "Chuyên viên Văn phòng HĐND-UBND"),
    ("canbo.phudien", "Minh", "Trần Văn", Role.UNIT_OFFICIAL, "Phú Diễn", None, "Chuyên viên Văn phòng Đảng ủy"),
    ("giamsat.thanhpho", "Hà", "Lê Thu", Role.SUPERVISOR, "city", "dan_van", "Chuyên viên Ban Dân vận Thành ủy"),
    ("chutich.xuandinh", "Hùng", "Phạm Quốc", Role.CHAIR, "Xuân Đỉnh", "ubnd", "Chủ tịch UBND phường"),
    ("xuly.xuandinh", "Tuấn", "Đỗ Anh", Role.HANDLING_OFFICER, "Xuân Đỉnh", "kinh_te", "Chuyên viên phòng"),
    ("mttq.thanhpho", "Mai", "Vũ Thị", Role.FRONT_SUPERVISOR, "city", "mttq", "Cán bộ Ủy ban MTTQ Thành phố"),
]


def install_accounts(world: DemoWorld) -> None:
    """Create one account per role (password `DEMO_PASSWORD`), with its group and unit membership."""
    User = get_user_model()
    for username, first, last, role, unit_key, org_key, title in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        # Only the administrator uses the Django admin; officials work in the portal.
        is_admin = role is None
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@doithoai.local",
                is_staff=is_admin,
                is_superuser=is_admin,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        elif (user.is_staff, user.is_superuser) != (is_admin, is_admin):
            user.is_staff = user.is_superuser = is_admin  # an earlier demo made officials staff: correct it
            user.save(update_fields=["is_staff", "is_superuser"])
        world.users[username] = user
        if role is None:
            world.accounts.append((username, "Superuser", "—"))
            continue
        unit = world.city if unit_key == "city" else world.new[unit_key]
        org = world.orgs[(unit.pk, org_key)] if org_key else None
        Membership.objects.get_or_create(
            user=user, unit=unit, role=role, defaults={"organisation": org, "title": title}
        )
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        label = Role(role).label
        world.accounts.append((username, str(label), f"{unit}{f' — {org}' if org else ''}"))


# --- The simulated clock -------------------------------------------------------------------------


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@contextlib.contextmanager
def clock(day: datetime.date, hour: int = 9):
    """Run services as if it were `day` (every `timezone.now()` / `localdate()` call sees that moment)."""
    moment = at(day, hour)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


# --- Entry point ---------------------------------------------------------------------------------


def load_demo(*, with_activity: bool = True) -> DemoWorld:
    """Install everything the demo needs; return the world (with the account table). Idempotent."""
    with transaction.atomic():
        install_default_rules()
        install_holidays()
        sync_role_groups()
        world = install_units()
        install_organisations(world)
        install_documents(world)
        install_answer_templates()
        install_accounts(world)
    if with_activity:
        from dialogue_portal.demo.activity import install_activity

        install_activity(world)
    return world
