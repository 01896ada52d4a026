"""What may appear on public pages, and where uploaded files are stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from petitions.models import Petition, PetitionAttachment, PetitionKind, PetitionStatus, RejectionReason
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_public_excludes_petitions_rejected_as_complaints_or_denunciations(world):
    shown = f.PetitionFactory(unit=world.ward_a, category=world.category)
    reclassified = f.PetitionFactory(
        unit=world.ward_a,
        category=world.category,
        kind=PetitionKind.RECOMMENDATION,
        status=PetitionStatus.REJECTED,
        rejection_reason=RejectionReason.DENUNCIATION,
        title="Tố cáo cán bộ nhận tiền",
    )
    complaint = f.PetitionFactory(unit=world.ward_a, category=world.category, kind=PetitionKind.COMPLAINT)
    public = set(Petition.objects.public().values_list("pk", flat=True))
    assert shown.pk in public
    assert reclassified.pk not in public
    assert complaint.pk not in public


def test_attachments_are_stored_under_a_random_name(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    petition = f.PetitionFactory(unit=world.ward_a, category=world.category)
    attachment = PetitionAttachment.objects.create(
        petition=petition,
        file=SimpleUploadedFile("Nguyen Thi Hoa - CCCD.png", b"\x89PNG\r\n\x1a\n"),
        original_name="Nguyen Thi Hoa - CCCD.png",
        content_type="image/png",
        size=8,
    )
    assert "Nguyen" not in attachment.file.name
    assert attachment.file.name.startswith("petitions/petitionattachment/")
    assert attachment.file.name.endswith(".png")
