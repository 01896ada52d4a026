"""import_units is all or nothing: a failure after rows were written leaves no unit and no succession."""

import datetime

import pytest

from units import importers
from units.importers import SuccessionRow, UnitImportError, UnitRow, import_units
from units.models import AdministrativeUnit, UnitSuccession

D = datetime.date
HANOI = UnitRow("01", "Hà Nội", "thanh_pho", "city", valid_from=D(2008, 8, 1), line=2)
BTL = UnitRow("021", "Bắc Từ Liêm", "quan", "district", parent_code="01", valid_from=D(2013, 12, 27), line=3)
LIEN_MAC = UnitRow(
    "00598", "Liên Mạc", "phuong", "commune", parent_code="021", valid_from=D(2013, 12, 27), valid_to=D(2025, 6, 30)
)
THUONG_CAT = UnitRow("00598", "Thượng Cát", "phuong", "commune", parent_code="01", valid_from=D(2025, 7, 1))


def test_a_failure_after_the_first_written_row_rolls_the_whole_import_back(db, monkeypatch):
    written = []
    real_bulk_create = AdministrativeUnit.objects.bulk_create

    def bulk_create_then_fail(objs, *args, **kwargs):
        written.extend(real_bulk_create(objs, *args, **kwargs))  # the city: one row, really inserted
        raise RuntimeError("the database went away after the first row")

    monkeypatch.setattr(AdministrativeUnit.objects, "bulk_create", bulk_create_then_fail)
    with pytest.raises(RuntimeError):
        import_units([HANOI, BTL, LIEN_MAC])
    assert [unit.code for unit in written] == ["01"]  # the failure came after a written row
    assert not AdministrativeUnit.objects.exists()


def test_a_failing_succession_step_rolls_back_the_units_already_created(db, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("injected after the units were written")

    monkeypatch.setattr(importers, "_import_successions", fail)
    with pytest.raises(RuntimeError):
        import_units([HANOI, BTL, LIEN_MAC, THUONG_CAT], [SuccessionRow("00598", "00598")])
    assert not AdministrativeUnit.objects.exists()
    assert not UnitSuccession.objects.exists()


def test_a_missing_parent_at_a_lower_level_undoes_the_levels_above(db):
    orphan = UnitRow("00999", "Nowhere", "phuong", "commune", parent_code="099", valid_from=D(2025, 7, 1), line=9)
    with pytest.raises(UnitImportError):
        import_units([HANOI, BTL, orphan])  # the city and the district are written before the commune fails
    assert not AdministrativeUnit.objects.exists()
