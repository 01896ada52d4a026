"""generate_petitions: realistic synthetic petitions with consistent dates and unique codes."""

import datetime
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from conferences.models import Conference
from dialogue_portal.demo import load_demo
from petitions.management.commands.generate_petitions import Command
from petitions.models import OPEN_STATUSES, Petition, PetitionStatus
from rules.holidays_vn import install_holidays
from rules.workdays import WorkCalendar, add_working_days
from units.models import AdministrativeUnit


@pytest.fixture
def units(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(with_activity=False)


def _check_consistency(petitions):
    today = timezone.localdate()
    codes = [p.tracking_code for p in petitions]
    assert len(codes) == len(set(codes))
    for p in petitions:
        day = timezone.localdate(p.submitted_at)
        assert p.unit.is_valid_on(day), (p.unit, day)
        if p.accepted_at:
            assert p.accepted_at >= p.submitted_at
        if p.answered_on:
            assert day <= p.answered_on <= today
        if p.status == PetitionStatus.RESOLVED:
            assert p.resolved_at and p.answered_on
        if p.status == PetitionStatus.REJECTED:
            assert p.rejection_reason
        if p.status in OPEN_STATUSES:
            assert p.due_on is not None
            assert p.unit.valid_to is None or p.unit.valid_to >= today, "an abolished unit keeps no open petition"
        if p.conference_id:
            assert p.unit_id == p.conference.unit_id


def test_generate_200_petitions_with_unique_codes_and_consistent_dates(units):
    out = io.StringIO()
    call_command("generate_petitions", count=200, conferences=20, seed=1, stdout=out)
    petitions = list(Petition.objects.select_related("unit", "conference"))
    assert len(petitions) == 200
    assert Conference.objects.count() == 20
    _check_consistency(petitions)
    assert len({p.status for p in petitions}) >= 6
    assert len({p.unit_id for p in petitions}) > 5
    assert any(p.unit.valid_to for p in petitions), "historical units get petitions too"
    assert "Created 20 conferences and 200 petitions" in out.getvalue()


def test_generating_again_adds_rows_with_new_codes(units):
    call_command("generate_petitions", count=50, seed=3, stdout=io.StringIO())
    call_command("generate_petitions", count=50, seed=3, stdout=io.StringIO())
    assert Petition.objects.values("tracking_code").distinct().count() == 100


def test_due_dates_count_working_days_on_the_holiday_calendar(db):
    install_holidays()
    # The generator counts on the rules' calendar loaded once for its whole range (`WorkCalendar`).
    calendar = WorkCalendar(datetime.date(2025, 1, 1), datetime.date(2027, 12, 31))
    for start in (datetime.date(2026, 2, 9), datetime.date(2025, 4, 29), datetime.date(2026, 1, 9)):
        for n in (1, 10, 30):
            assert calendar.add_working_days(start, n) == add_working_days(start, n)


def test_without_units_it_imports_ha_noi_first(db):
    call_command("generate_petitions", count=10, stdout=io.StringIO())
    assert Petition.objects.count() == 10
    city = AdministrativeUnit.objects.get(code="01")
    assert Petition.objects.filter(unit__path__startswith=city.path).count() == 10


def test_generate_with_copy_on_postgresql(units, requires_postgres):
    with mock.patch.object(Command, "_bulk_create", side_effect=AssertionError("COPY expected")):
        out = io.StringIO()
        call_command("generate_petitions", count=300, conferences=10, seed=2, batch_size=100, stdout=out)
    assert "COPY" in out.getvalue()
    petitions = list(Petition.objects.select_related("unit", "conference"))
    assert len(petitions) == 300
    _check_consistency(petitions)
    assert not Petition.objects.filter(updated_at__lt=F("submitted_at")).exists()
