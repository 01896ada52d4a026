"""Fixtures of the citizens' portal tests: files with real content, a petition form filled in, a sender."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from petitions.models import Petition
from tests import factories as f

NAME = "Nguyễn Thị Hoa"
PHONE = "0912 345 678"
PHONE_FORMS = ["+84912345678", "0912345678", "0912 345 678", "912345678", "84912345678", "091 234 5678"]
EMAIL = "hoa.nguyen@example.vn"


def jpeg_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 200, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def webp_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buffer, "WEBP")
    return buffer.getvalue()


def blank_pdf_bytes() -> bytes:
    """A real one-page PDF (uploads are parsed: a few bytes that start with %PDF- are no longer enough)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = blank_pdf_bytes()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def captcha_passes(settings, monkeypatch):
    """Let the CAPTCHA accept "PASSED". django-simple-captcha copies the setting at import time,
    so overriding Django's setting alone is not enough."""
    import captcha.conf.settings as captcha_settings

    settings.CAPTCHA_TEST_MODE = True
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


@pytest.fixture
def form_data(world):
    """Return a valid step-1 form for ward A, as a citizen fills it in."""

    def build(**overrides):
        data = {
            "unit": world.ward_a.pk,
            "kind": "phan_anh",
            "category": world.category.pk,
            "title": "Đèn chiếu sáng ngõ 12 bị hỏng",
            "content": "Đèn chiếu sáng ngõ 12 hỏng hơn một tháng, đi lại buổi tối rất nguy hiểm.",
            "location": "Ngõ 12 phố Phú Diễn",
            "petitioner_name": NAME,
            "petitioner_phone": PHONE,
            "petitioner_email": EMAIL,
            "consent": "on",
            "requested_conference": "",
            "website": "",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return build


@pytest.fixture
def send(client, form_data, captcha_passes):
    """Send a petition through both steps; return the petition created (or None)."""

    def go(files=(), remote_addr="203.0.113.5", **overrides):
        data = form_data(**overrides)
        if files:
            data["attachments"] = list(files)
        client.post(reverse("citizens:petition_new"), data, REMOTE_ADDR=remote_addr)
        before = set(Petition.objects.values_list("pk", flat=True))
        client.post(
            reverse("citizens:petition_preview"),
            {"captcha_0": "x", "captcha_1": "PASSED", "website": ""},
            REMOTE_ADDR=remote_addr,
        )
        new = Petition.objects.exclude(pk__in=before).first()
        return new

    return go


@pytest.fixture
def upcoming_conference(world):
    return f.ConferenceFactory(
        unit=world.ward_a,
        status="announced",
        title="Hội nghị đối thoại quý IV phường An",
        planned_start=timezone.now() + datetime.timedelta(days=10),
    )


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Read the pages in English (the source language), so the tests do not depend on the catalogue."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The cast's accounts need no strong hashing in these tests (the default costs ~1 s per account)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def submitted(world):
    """Return a petition of ward A received online through the service, as the form sends it."""
    from petitions.services import submit_petition

    def build(**overrides):
        fields = {
            "unit": world.ward_a,
            "kind": "kien_nghi",
            "category": world.category,
            "title": "Đề nghị sửa đèn chiếu sáng ngõ 12",
            "content": "Đèn chiếu sáng ngõ 12 hỏng hơn một tháng.",
            "petitioner_name": NAME,
            "petitioner_phone": "+84912345678",
            "petitioner_email": EMAIL,
            "petitioner_address": "Số 15 ngõ 12",
            "consent": True,
            "ip": "203.0.113.5",
        }
        fields.update(overrides)
        return submit_petition(**fields)

    return build


@pytest.fixture
def answered(world):
    """Answer a petition through the officials' services: accept, assign to the land office, answer with evidence."""
    from django.core.files.base import ContentFile

    from petitions.services import accept_petition, answer_petition, assign_petition

    def go(petition, evidence=True):
        accept_petition(petition=petition, by=world.alice)
        assign_petition(petition=petition, organisation=world.land_a, by=world.alice)
        return answer_petition(
            petition=petition,
            text="Phường đã thay bóng đèn ngõ 12 ngày 20/11.",
            document_number="123/UBND-KT",
            document_date=datetime.date(2026, 11, 20),
            evidence=ContentFile(PDF_BYTES, name="tra-loi.pdf") if evidence else None,
            by=world.hana,
        )

    return go


@pytest.fixture(autouse=True)
def _no_cache_outage():
    """A test that breaks the cache must not leave the rate limits unchecked for the next tests."""
    from citizens.ratelimits import _Outage

    _Outage.until = 0.0
    yield
    _Outage.until = 0.0
