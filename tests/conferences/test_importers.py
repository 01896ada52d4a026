"""`import_conferences`: conferences held before the portal, from CSV or XLSX, all rows or none."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from openpyxl import Workbook

from audit.models import AuditEvent
from conferences.importers import ImportFileError, import_conferences
from conferences.models import Conference
from tests import factories as f
from units.models import UnitKind, UnitLevel

HEADER = (
    "unit_code,held_on,kind,status,title,format,chair,venue,attendance,topics,opinions_raised,answered_on_spot,"
    "external_ref"
)
GOOD_ROWS = [
    "99901,2019-03-15,periodic,held,Đối thoại với MTTQ quý I,working_session_mttq,Bí thư Đảng ủy phường,"
    "Hội trường UBND,120,Trật tự xây dựng; Vệ sinh môi trường,14,9,BTL-2019-001",
    "99902,20/06/2019,đột xuất,closed,Đối thoại GPMB Vành đai 3,,Chủ tịch UBND,Nhà văn hóa,85,,30,12,BTL-2019-002",
    "99901,05/11/2019,Định kỳ,cancelled,Tiếp xúc cử tri sau kỳ họp,voter_after_na,,,,,,,",
]


def _csv(*rows, header=HEADER, bom=True) -> bytes:
    text = "\n".join([header, *rows]) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def wards(world):
    # The test wards exist since 1/7/2025; make them older so they bore their codes in 2019.
    for ward in (world.ward_a, world.ward_b):
        ward.valid_from = datetime.date(2008, 8, 1)
        ward.save()
    return world


@pytest.fixture
def csv_file(tmp_path):
    def write(data: bytes, name="conferences.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


@pytest.mark.django_db
def test_good_csv_imports_every_row(wards, csv_file):
    out = io.StringIO()
    call_command("import_conferences", csv_file(_csv(*GOOD_ROWS)), stdout=out)
    assert Conference.objects.count() == 3
    first = Conference.objects.get(external_ref="BTL-2019-001")
    assert first.unit == wards.ward_a
    assert first.kind == "periodic" and first.status == "held" and first.format == "working_session_mttq"
    assert first.held_on == datetime.date(2019, 3, 15)
    assert timezone.localtime(first.planned_start) == timezone.make_aware(datetime.datetime(2019, 3, 15, 8, 0))
    assert first.attendance == 120
    assert first.topics == "Trật tự xây dựng\nVệ sinh môi trường"
    assert (first.opinions_raised_count, first.answered_on_spot_count) == (14, 9)
    second = Conference.objects.get(external_ref="BTL-2019-002")
    assert (second.unit, second.kind, second.format) == (wards.ward_b, "adhoc", "thematic")
    assert second.held_on == datetime.date(2019, 6, 20)
    cancelled = Conference.objects.get(title="Tiếp xúc cử tri sau kỳ họp")
    assert cancelled.status == "cancelled" and cancelled.held_on is None and cancelled.external_ref is None
    assert AuditEvent.objects.filter(action="imported").count() == 3
    assert "3" in out.getvalue()


@pytest.mark.django_db
def test_good_xlsx_imports_every_row_with_real_dates_and_numbers(wards, csv_file):
    data = _xlsx(
        [
            [
                "99901",
                datetime.datetime(2019, 3, 15),
                "periodic",
                "held",
                "Đối thoại quý I",
                None,
                None,
                None,
                120,
                "Đất đai",
                14,
                9,
                "X-1",
            ],
            [
                "99902",
                "20/06/2019",
                "adhoc",
                "held",
                "Đối thoại GPMB",
                "thematic",
                None,
                None,
                None,
                None,
                None,
                None,
                "X-2",
            ],
        ]
    )
    call_command("import_conferences", csv_file(data, "old.xlsx"), stdout=io.StringIO())
    assert Conference.objects.get(external_ref="X-1").held_on == datetime.date(2019, 3, 15)
    assert Conference.objects.get(external_ref="X-1").attendance == 120
    assert Conference.objects.get(external_ref="X-2").unit == wards.ward_b


@pytest.mark.django_db
def test_bad_rows_are_reported_by_line_and_nothing_is_imported(wards, csv_file):
    rows = [
        GOOD_ROWS[0],
        "99901,2019-13-45,periodic,held,Ngày sai,,,,,,,,",
        "00000,2019-01-10,periodic,held,Mã sai,,,,,,,,",
        "99901,2019-01-10,thường kỳ,held,Loại sai,,,,,,,,",
        "99901,2019-01-10,periodic,announced,Trạng thái sai,,,,,,,,",
        "99901,2019-01-10,periodic,held,,,,,,,,,",
        "99901,2019-01-10,periodic,held,Số sai,,,,nhiều,,5,9,",
        "99901,2019-01-10,periodic,held,Trùng mã,,,,,,,,BTL-2019-001",
    ]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_conferences", csv_file(_csv(*rows)), stdout=io.StringIO(), stderr=err)
    assert Conference.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    report = err.getvalue()
    for line in range(3, 10):
        assert f"{line}:" in report, (line, report)
    assert "Line 2:" not in report and "Line 1:" not in report
    assert "2019-13-45" in report
    assert "00000" in report
    assert "BTL-2019-001" in report  # the duplicate external_ref, pointing at line 2


@pytest.mark.django_db
def test_line_numbers_count_multi_line_cells(wards):
    data = _csv(
        '99901,2019-03-15,periodic,held,"Tiêu đề\nhai dòng",,,,,,,,',
        "99901,không phải ngày,periodic,held,Ngày sai,,,,,,,,",
    )
    result = import_conferences(data=data, filename="x.csv")
    assert [e.line for e in result.errors] == [4]


@pytest.mark.django_db
def test_missing_column_is_refused(wards):
    with pytest.raises(ImportFileError):
        import_conferences(data=_csv("99901,2019-03-15,periodic,held", header="unit_code,held_on,kind,status"))


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused(wards):
    with pytest.raises(ImportFileError):
        import_conferences(data=(HEADER + "\n99901,2019-03-15,periodic,held,Café\n").encode("latin-1"))


@pytest.mark.django_db
def test_reimporting_the_same_external_ref_updates_instead_of_duplicating(wards, csv_file):
    call_command("import_conferences", csv_file(_csv(*GOOD_ROWS)), stdout=io.StringIO())
    changed = GOOD_ROWS[0].replace(",120,", ",150,").replace("quý I", "quý I (sửa)")
    out = io.StringIO()
    call_command("import_conferences", csv_file(_csv(changed, GOOD_ROWS[1])), stdout=out)
    assert Conference.objects.count() == 3
    first = Conference.objects.get(external_ref="BTL-2019-001")
    assert first.attendance == 150
    assert first.title == "Đối thoại với MTTQ quý I (sửa)"
    assert AuditEvent.objects.for_object(first).filter(action="imported").count() == 2


@pytest.mark.django_db
def test_the_unit_is_the_one_that_bore_the_code_on_the_date(world, csv_file):
    """GSO codes were reused in 2025: 00598 was Liên Mạc until 30/6/2025, then Thượng Cát."""
    district = f.UnitFactory(
        name="Bắc Từ Liêm",
        level=UnitLevel.DISTRICT,
        kind=UnitKind.URBAN_DISTRICT,
        code="021",
        parent=world.city,
        valid_from=datetime.date(2013, 12, 27),
        valid_to=datetime.date(2025, 6, 30),
    )
    lien_mac = f.UnitFactory(
        name="Liên Mạc",
        code="00598",
        parent=district,
        valid_from=datetime.date(2013, 12, 27),
        valid_to=datetime.date(2025, 6, 30),
    )
    thuong_cat = f.UnitFactory(name="Thượng Cát", code="00598", parent=world.city, valid_from=datetime.date(2025, 7, 1))
    rows = [
        "00598,2024-05-10,periodic,held,Đối thoại 2024,,,,,,,,R-2024",
        "00598,2025-06-30,periodic,held,Đối thoại cuối cùng của Liên Mạc,,,,,,,,R-2025-06",
        "00598,01/07/2025,adhoc,held,Đối thoại đầu tiên của Thượng Cát,,,,,,,,R-2025-07",
        "598,2024-05-11,periodic,held,Mã mất số 0 đầu,,,,,,,,R-2024-b",
    ]
    call_command("import_conferences", csv_file(_csv(*rows)), stdout=io.StringIO())
    assert Conference.objects.get(external_ref="R-2024").unit == lien_mac
    assert Conference.objects.get(external_ref="R-2025-06").unit == lien_mac
    assert Conference.objects.get(external_ref="R-2025-07").unit == thuong_cat
    assert Conference.objects.get(external_ref="R-2024-b").unit == lien_mac


@pytest.mark.django_db
def test_a_code_before_its_unit_existed_is_an_error(world):
    result = import_conferences(data=_csv("99901,2019-03-15,periodic,held,Quá sớm,,,,,,,,"))
    assert [e.line for e in result.errors] == [2]
    assert "99901" in result.errors[0].message


@pytest.mark.django_db
def test_dry_run_imports_nothing(wards, csv_file):
    out = io.StringIO()
    call_command("import_conferences", csv_file(_csv(*GOOD_ROWS)), "--dry-run", stdout=out)
    assert Conference.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert "3" in out.getvalue()


@pytest.mark.django_db
def test_dry_run_counts_updates_and_creations(wards):
    import_conferences(data=_csv(GOOD_ROWS[0]))
    changed = GOOD_ROWS[0].replace(",120,", ",150,")
    result = import_conferences(data=_csv(changed, *GOOD_ROWS[1:]), dry_run=True)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    assert Conference.objects.count() == 1
    result = import_conferences(data=_csv(*GOOD_ROWS), dry_run=True)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 1)


@pytest.mark.django_db
def test_reimporting_an_unchanged_file_says_nothing_changed_and_records_nothing(wards, csv_file):
    call_command("import_conferences", csv_file(_csv(*GOOD_ROWS)), stdout=io.StringIO())
    events = AuditEvent.objects.count()
    # (the third row has no external reference: it would be a new conference each time)
    result = import_conferences(data=_csv(*GOOD_ROWS[:2]))
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 2)
    with translation.override("vi"):
        assert "không có gì thay đổi" in result.summary()
        assert "cập nhật" not in result.summary()
    assert AuditEvent.objects.count() == events
    changed = GOOD_ROWS[1].replace("Nhà văn hóa", "Nhà văn hóa tổ 3")
    result = import_conferences(data=_csv(GOOD_ROWS[0], changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)


@pytest.mark.django_db
def test_semicolon_separated_csv_without_bom(wards):
    data = _csv(
        *(r.replace(",", ";").replace("Trật tự xây dựng; Vệ sinh", "Trật tự xây dựng") for r in GOOD_ROWS[:1]),
        header=HEADER.replace(",", ";"),
        bom=False,
    )
    result = import_conferences(data=data)
    assert result.ok, result.errors
    assert Conference.objects.get().attendance == 120


@pytest.mark.django_db
def test_a_held_conference_in_the_future_is_an_error(wards):
    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    result = import_conferences(data=_csv(f"99901,{future},periodic,held,Chưa diễn ra,,,,,,,,"))
    assert [e.line for e in result.errors] == [2]
    day = timezone.localdate() + datetime.timedelta(days=30)
    assert day.strftime("%d/%m/%Y") in result.errors[0].message  # the date as Vietnamese users write it


@pytest.mark.django_db
def test_scope_limits_the_units_a_non_superuser_may_import(wards):
    result = import_conferences(data=_csv(*GOOD_ROWS), scope={wards.ward_a.pk})
    assert [e.line for e in result.errors] == [3]
    assert Conference.objects.count() == 0


@pytest.mark.django_db
def test_imported_held_conferences_have_draft_minutes(wards):
    import_conferences(data=_csv(*GOOD_ROWS))
    assert Conference.objects.get(external_ref="BTL-2019-001").minutes_status == "draft"  # held
    assert Conference.objects.get(external_ref="BTL-2019-002").minutes_status == "draft"  # closed
    assert Conference.objects.get(title="Tiếp xúc cử tri sau kỳ họp").minutes_status == "none"  # cancelled


@pytest.mark.django_db
def test_reimport_may_not_overwrite_a_conference_that_moved_on_in_the_portal(wards):
    assert import_conferences(data=_csv(*GOOD_ROWS)).ok
    conference = Conference.objects.get(external_ref="BTL-2019-001")
    conference.status = "concluded"
    conference.save(update_fields=["status"])
    AuditEvent.objects.create(
        content_type_id=AuditEvent.objects.for_object(conference).first().content_type_id,
        object_id=conference.pk,
        action="status:concluded",
        from_status="held",
        to_status="concluded",
    )
    # The same file again: the row would put the conference back to "held".
    result = import_conferences(data=_csv(*GOOD_ROWS))
    assert [e.line for e in result.errors] == [2]
    assert "BTL-2019-001" in result.errors[0].message and "status" in result.errors[0].message
    conference.refresh_from_db()
    assert conference.status == "concluded"
    # A row that leaves status, unit and date alone may still update the rest.
    changed = GOOD_ROWS[0].replace("held,", "concluded,", 1).replace("Hội trường UBND", "Nhà văn hóa tổ 3")
    result = import_conferences(data=_csv(changed))
    assert result.ok, [str(e) for e in result.errors]
    conference.refresh_from_db()
    assert conference.venue == "Nhà văn hóa tổ 3" and conference.status == "concluded"
