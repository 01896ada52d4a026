"""Fixtures for the plans and conferences tests: signed-in clients and ward A's records."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from conferences.models import ConferenceStatus, MinutesStatus
from tests import factories as f


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hash the cast's passwords with a fast hasher: PBKDF2 makes each `world` take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def login(client):
    """Return a function that signs `user` in on a fresh client and returns it."""

    def _login(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return _login


@pytest.fixture
def plan_a(world):
    """A draft 2026 plan of ward A with one planned conference."""
    plan = f.PlanFactory(unit=world.ward_a, year=2026)
    f.PlanItemFactory(plan=plan, quarter=2)
    return plan


@pytest.fixture
def plan_b(world):
    plan = f.PlanFactory(unit=world.ward_b, year=2026, title="Kế hoạch phường Bình")
    f.PlanItemFactory(plan=plan, quarter=3)
    return plan


@pytest.fixture
def conference_a(world):
    """A planned conference of ward A, two weeks ahead."""
    return f.ConferenceFactory(unit=world.ward_a, title="Hội nghị phường An")


@pytest.fixture
def conference_b(world):
    return f.ConferenceFactory(unit=world.ward_b, title="Hội nghị phường Bình")


@pytest.fixture
def held_a(world):
    """A conference of ward A held yesterday, minutes in draft."""
    return f.ConferenceFactory(
        unit=world.ward_a,
        title="Hội nghị đã tổ chức phường An",
        status=ConferenceStatus.HELD,
        planned_start=timezone.now() - datetime.timedelta(days=1),
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        minutes_status=MinutesStatus.DRAFT,
    )


@pytest.fixture
def held_b(world):
    return f.ConferenceFactory(
        unit=world.ward_b,
        title="Hội nghị đã tổ chức phường Bình",
        status=ConferenceStatus.HELD,
        planned_start=timezone.now() - datetime.timedelta(days=1),
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        minutes_status=MinutesStatus.DRAFT,
    )
