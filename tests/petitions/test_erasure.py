"""Erasure and redaction: after "erase my data" nothing names the citizen or their place; officials
hide personal data written into a petition, and the original is kept nowhere."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from petitions import services
from petitions.models import PetitionAttachment
from tests.petitions.conftest import pdf_upload, submit

pytestmark = pytest.mark.django_db


def test_erasure_removes_the_location_and_the_attachments_original_names(world):
    petition = submit(world, world.ward_a, location="Nhà số 5 ngõ 12 Phú Diễn")
    PetitionAttachment.objects.create(
        petition=petition,
        file=pdf_upload("Nguyen Thi Hoa CCCD.pdf"),
        original_name="Nguyen Thi Hoa CCCD.pdf",
        content_type="application/pdf",
        size=10,
    )
    services.anonymise_petitioner(petition=petition)
    petition.refresh_from_db()
    assert petition.location == ""
    assert petition.attachments.get().original_name == "tep-dinh-kem-1.pdf"
    assert not petition.history.exclude(location="").exists()


def test_unit_official_hides_a_passage_everywhere_and_the_original_is_kept_nowhere(world):
    petition = submit(
        world,
        world.ward_a,
        title="Ông Trần Văn Nam lấn chiếm ngõ 12",
        content="Hộ ông Trần Văn Nam (CCCD 001088012345) lấn chiếm ngõ 12. Ông Trần Văn Nam không nghe.",
    )
    replaced = services.redact_petition_text(petition=petition, passage="Trần Văn Nam", by=world.alice, ip="10.0.0.1")
    petition.refresh_from_db()
    assert replaced == 3
    assert "Trần Văn Nam" not in petition.title + petition.content
    assert petition.title == "Ông […] lấn chiếm ngõ 12"
    assert not any("Trần Văn Nam" in (row.title or "") for row in petition.history.all())
    event = AuditEvent.objects.for_object(petition).get(action="text_redacted")
    assert event.actor == world.alice and event.data == {"occurrences": {"title": 1, "content": 2}}
    assert "Trần Văn Nam" not in str(event.data)


def test_redaction_of_a_passage_not_in_the_text_changes_nothing(world):
    petition = submit(world, world.ward_a)
    with pytest.raises(ValidationError):
        services.redact_petition_text(petition=petition, passage="không có", by=world.alice)
    assert not AuditEvent.objects.for_object(petition).filter(action="text_redacted").exists()


@pytest.mark.parametrize("persona", ["bob", "stranger"])
def test_others_may_not_redact(world, persona):
    petition = submit(world, world.ward_a, title="Ông Nam lấn chiếm ngõ")
    with pytest.raises(PermissionDenied):
        services.redact_petition_text(petition=petition, passage="Nam", by=getattr(world, persona))


def test_official_redacts_from_the_petition_page(client, world):
    petition = submit(world, world.ward_a, content="Số điện thoại nhà bên cạnh 0987 654 321 hay gây ồn.")
    client.force_login(world.alice)
    detail = client.get(reverse("petitions:petition_detail", args=[petition.pk])).content.decode()
    url = reverse("petitions:petition_redact", args=[petition.pk])
    assert url in detail
    response = client.post(url, {"passage": "0987 654 321"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert "0987 654 321" not in petition.content
    response = client.post(url, {"passage": "0987 654 321"})  # nothing left to hide: the page says so
    assert response.status_code == 200
    assert "This passage does not occur in the petition's text." in [str(m) for m in response.context["messages"]]
    assert response.context["form"]["passage"].value() == "0987 654 321"  # what was typed is kept
