"""import_units: from a CSV file and from the vietnamadminunits package, idempotent."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from units.models import AdministrativeUnit, UnitKind, UnitLevel, UnitSuccession

D = datetime.date

CSV = """code,name,kind,level,parent_code,valid_from,valid_to
01,Hà Nội,thanh_pho,city,,2008-08-01,
021,Bắc Từ Liêm,Quận,,01,27/12/2013,30/06/2025
00598,Liên Mạc,Phường,commune,021,2013-12-27,2025-06-30
00595,Thượng Cát,phuong,commune,021,2013-12-27,2025-06-30
00598,Thượng Cát,phuong,commune,01,2025-07-01,
09817,Ô Diên,Xã,,01,2025-07-01,
"""


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_import_units_from_a_csv_builds_the_tree(db, csv_file):
    call_command("import_units", csv=str(csv_file), stdout=None)
    assert AdministrativeUnit.objects.count() == 6
    lien_mac = AdministrativeUnit.objects.with_code_on("00598", D(2024, 1, 1))
    assert lien_mac.name == "Liên Mạc"
    assert lien_mac.parent.code == "021"
    assert lien_mac.parent.parent.code == "01"
    assert lien_mac.path == f"/{lien_mac.parent.parent_id}/{lien_mac.parent_id}/{lien_mac.pk}/"
    assert lien_mac.depth == 2
    thuong_cat = AdministrativeUnit.objects.with_code_on("00598", D(2026, 1, 1))
    assert thuong_cat.name == "Thượng Cát" and thuong_cat.parent.code == "01" and thuong_cat.depth == 1
    o_dien = AdministrativeUnit.objects.get(code="09817")
    assert (o_dien.kind, o_dien.level) == (UnitKind.COMMUNE, UnitLevel.COMMUNE)
    assert AdministrativeUnit.objects.get(code="021").valid_from == D(2013, 12, 27)
    city = AdministrativeUnit.objects.get(code="01")
    assert set(city.subtree()) == set(AdministrativeUnit.objects.all())


def test_reimporting_the_same_csv_changes_nothing(db, csv_file):
    call_command("import_units", csv=str(csv_file))
    before = list(AdministrativeUnit.objects.order_by("pk").values())
    call_command("import_units", csv=str(csv_file))
    assert list(AdministrativeUnit.objects.order_by("pk").values()) == before


def test_a_bad_row_imports_nothing_and_names_its_line(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(CSV + "00999,Nowhere,castle,commune,01,2025-07-01,\n00998,Bad date,phuong,,01,31/31/2025,\n")
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_units", csv=str(path), stderr=stderr)
    assert AdministrativeUnit.objects.count() == 0
    assert "line 8: unknown kind 'castle'" in stderr.getvalue()
    assert "line 9: invalid date" in stderr.getvalue()


def test_overlapping_codes_in_one_file_are_refused(db, tmp_path):
    path = tmp_path / "overlap.csv"
    path.write_text(CSV + "00598,Again,phuong,commune,01,2025-06-01,\n")
    with pytest.raises(CommandError):
        call_command("import_units", csv=str(path))
    assert AdministrativeUnit.objects.count() == 0


def test_a_missing_parent_is_refused(db, tmp_path):
    path = tmp_path / "orphan.csv"
    path.write_text("code,name,kind,level,parent_code,valid_from,valid_to\n00001,Orphan,phuong,,777,2025-07-01,\n")
    with pytest.raises(CommandError):
        call_command("import_units", csv=str(path))
    assert AdministrativeUnit.objects.count() == 0


def test_import_ha_noi_from_the_package_with_its_successions(db):
    call_command("import_units", province="01")
    units = AdministrativeUnit.objects
    assert units.valid_on(D(2025, 6, 30)).filter(level=UnitLevel.DISTRICT).count() == 30
    assert units.valid_on(D(2026, 1, 1)).filter(level=UnitLevel.COMMUNE).count() == 126
    assert units.with_code_on("00598", D(2024, 6, 1)).name == "Liên Mạc"
    assert units.with_code_on("00598", D(2026, 1, 1)).name == "Thượng Cát"
    assert units.with_code_on("021", D(2024, 6, 1)).name == "Bắc Từ Liêm"
    lien_mac = units.with_code_on("00598", D(2024, 6, 1))
    assert [(s.successor.code, s.kind) for s in lien_mac.successions.all()] == [("00598", "whole")]
    counts = (units.count(), UnitSuccession.objects.count())
    call_command("import_units", province="01")
    assert (units.count(), UnitSuccession.objects.count()) == counts


def test_import_after_the_demo_reuses_the_demo_units(db):
    from dialogue_portal.demo import load_demo

    load_demo(with_activity=False)
    demo_units = set(AdministrativeUnit.objects.values_list("pk", flat=True))
    call_command("import_units", province="01")
    assert AdministrativeUnit.objects.filter(code="00598").count() == 2
    assert demo_units <= set(AdministrativeUnit.objects.values_list("pk", flat=True))
