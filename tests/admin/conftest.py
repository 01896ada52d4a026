"""Fixtures for the admin tests: one record of every kind in ward A and in ward B, and staff accounts."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from conferences.models import ConferenceAttachment, ConferenceParticipation, ConferencePostponement
from followup.models import Commendation
from petitions.models import Answer, AnswerTemplate, Assignment, CitizenVerdict, Extension, PetitionAttachment
from tests import factories as f
from units.models import UnitSuccession


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The cast's passwords hashed with PBKDF2 take seconds per test; a test needs no strong hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def records_of(unit, organisation, category):
    """Create one record of every unit-scoped model for `unit`; return them by name."""
    plan = f.PlanFactory(unit=unit, title=f"Kế hoạch {unit.name}")
    item = f.PlanItemFactory(plan=plan)
    conference = f.ConferenceFactory(unit=unit, plan_item=item, title=f"Hội nghị {unit.name}")
    conclusion = f.ConclusionItemFactory(conference=conference, assignee=organisation)
    ConferenceParticipation.objects.create(conference=conference, organisation=organisation, count=40)
    ConferenceAttachment.objects.create(conference=conference, title="Giấy mời", file="conferences/2026/gm.pdf")
    ConferencePostponement.objects.create(
        conference=conference, from_start=conference.planned_start, to_start=None, reason="Trùng lịch họp"
    )
    petition = f.PetitionFactory(unit=unit, category=category, conference=conference, title=f"Kiến nghị {unit.name}")
    PetitionAttachment.objects.create(
        petition=petition, file="petitions/a.jpg", original_name="a.jpg", content_type="image/jpeg", size=10
    )
    Assignment.objects.create(petition=petition, organisation=organisation, due_on=datetime.date(2026, 12, 31))
    Extension.objects.create(
        petition=petition,
        previous_due_on=datetime.date(2026, 12, 31),
        new_due_on=datetime.date(2027, 1, 15),
        reason="Cần xác minh thêm",
    )
    answer = Answer.objects.create(
        petition=petition, text="Đã sửa đèn", document_number="12/UBND", document_date=datetime.date(2026, 12, 1)
    )
    CitizenVerdict.objects.create(petition=petition, answer=answer, verdict="resolved", rating=5)
    AnswerTemplate.objects.create(unit=unit, title=f"Mẫu {unit.name}", text="Kính gửi ông/bà…")
    notice = f.NoticeFactory(unit=unit, conference=conference, title=f"Thông báo {unit.name}")
    supervision = f.SupervisionFactory(unit=unit, conclusion_item=conclusion, petition=petition)
    commendation = Commendation.objects.create(
        kind="collective", unit=unit, recipient=f"UBND {unit.name}", reason="Đối thoại đúng hạn", year=2026
    )
    document = f.DocumentFactory(unit=unit)
    return SimpleNamespace(
        plan=plan,
        item=item,
        conference=conference,
        conclusion=conclusion,
        petition=petition,
        notice=notice,
        supervision=supervision,
        commendation=commendation,
        document=document,
    )


@pytest.fixture
def admin_world(world):
    """The cast, with records in both wards and a succession between them."""
    world.a = records_of(world.ward_a, world.land_a, world.category)
    world.b = records_of(world.ward_b, world.land_b, world.category)
    UnitSuccession.objects.create(
        predecessor=world.ward_b, successor=world.ward_a, effective_on=datetime.date(2025, 7, 1), is_primary=True
    )
    f.DocumentFactory(doc_type="directive", number="2200-QĐ/TU", issuer="Thành ủy Hà Nội", unit=None)
    return world


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="root", is_staff=True, is_superuser=True)


MODELS_ALICE_MANAGES = [
    "conferences.dialogueplan",
    "conferences.planitem",
    "conferences.conference",
    "conferences.conclusionitem",
    "petitions.petition",
    "followup.followupnotice",
]


@pytest.fixture
def staff_alice(admin_world):
    """Alice, official of ward A, as a staff user with view and change permissions on the unit's records."""
    alice = admin_world.alice
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    for label in MODELS_ALICE_MANAGES:
        app_label, model = label.split(".")
        alice.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=[f"view_{model}", f"change_{model}"]
            )
        )
    return alice


@pytest.fixture
def now():
    return timezone.now()
