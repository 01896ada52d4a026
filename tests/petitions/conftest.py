"""Petitions in each state for ward A and ward B, built through the services, and upload helpers."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from petitions import services
from petitions.models import Channel, PetitionKind
from tests import factories as f

IP = "203.0.113.7"


def blank_pdf_bytes() -> bytes:
    """A real one-page PDF (uploads are parsed: a few bytes that start with %PDF- are no longer enough)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = blank_pdf_bytes()


def png_bytes() -> bytes:
    """A real 8 × 8 PNG (pictures are decoded and re-encoded: a PNG signature alone is refused)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 200, 30)).save(buffer, "PNG")
    return buffer.getvalue()


PNG_BYTES = png_bytes()


def pdf_upload(name="tra-loi.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def submit(world, unit, title="Đề nghị sửa đèn chiếu sáng ngõ 12", **kwargs):
    """Submit a petition to `unit` as a citizen would (status submitted)."""
    defaults = {
        "kind": PetitionKind.RECOMMENDATION,
        "category": world.category,
        "content": "Đèn chiếu sáng ngõ 12 hỏng hơn một tháng.",
        "petitioner_name": "Nguyễn Thị Hoa",
        "petitioner_phone": "+84912345678",
        "petitioner_email": "hoa.nguyen@example.vn",
        "consent": True,
        "channel": Channel.ONLINE,
    }
    defaults.update(kwargs)
    return services.submit_petition(unit=unit, title=title, **defaults)


def accepted(world, unit, by, **kwargs):
    return services.accept_petition(petition=submit(world, unit, **kwargs), by=by)


def assigned(world, unit, by, org, **kwargs):
    return services.assign_petition(petition=accepted(world, unit, by, **kwargs), organisation=org, by=by)


def answered(world, unit, by, org, **kwargs):
    petition = assigned(world, unit, by, org, **kwargs)
    services.answer_petition(
        petition=petition,
        text="Phường đã thay bóng đèn ngày 20/11.",
        document_number="125/UBND-KT",
        document_date=timezone.localdate(),
        evidence=pdf_upload(),
        by=by,
    )
    petition.refresh_from_db()
    return petition


@pytest.fixture
def petition_a(world):
    """A submitted petition of ward A."""
    return submit(world, world.ward_a, title="Đèn chiếu sáng phường An hỏng")


@pytest.fixture
def petition_b(world):
    """A submitted petition of ward B, with an attachment."""
    from petitions.models import PetitionAttachment

    petition = submit(world, world.ward_b, title="Rác thải phường Bình ùn ứ")
    PetitionAttachment.objects.create(
        petition=petition, file=pdf_upload("anh.pdf"), original_name="anh.pdf", content_type="application/pdf", size=64
    )
    return petition


@pytest.fixture
def assigned_a(world):
    """A ward A petition accepted by alice and assigned to ward A's land office (hana's)."""
    return assigned(world, world.ward_a, world.alice, world.land_a, title="Lấn chiếm vỉa hè phường An")


@pytest.fixture
def next_week():
    return timezone.localdate() + datetime.timedelta(days=7)


__all__ = ["IP", "PDF_BYTES", "PNG_BYTES", "f", "pdf_upload", "submit", "accepted", "assigned", "answered"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The cast's passwords are hashed for every test; the default hasher makes that the slowest part."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
