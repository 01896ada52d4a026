"""After publication a notice is corrected by a new version that says which one it replaces; the
public page shows both, the older one marked as replaced."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from audit.transitions import TransitionNotAllowed
from followup import services
from followup.models import NoticeStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, approved_notice):
    return services.publish_notice(notice=approved_notice, by=world.chris)


def publish_correction(world, correction, number="15-TB/ĐU"):
    correction.number, correction.issued_on = number, timezone.localdate()
    correction.text = correction.text + "\nĐính chính: kết luận 1 giao Phòng Quản lý đô thị."
    correction.save(update_fields=["number", "issued_on", "text"])
    services.approve_notice(notice=correction, by=world.chris)
    return services.publish_notice(notice=correction, by=world.chris)


def test_a_correction_is_a_new_draft_that_replaces_the_published_notice(world, published):
    correction = services.draft_correction(notice=published, by=world.alice)
    assert correction.status == NoticeStatus.DRAFT and correction.replaces == published
    assert correction.conference == published.conference and correction.text == published.text
    assert list(correction.petitions.all()) == list(published.petitions.all())
    with pytest.raises(TransitionNotAllowed):  # one correction at a time
        services.draft_correction(notice=published, by=world.alice)
    publish_correction(world, correction)
    published.refresh_from_db()
    assert published.status == NoticeStatus.PUBLISHED  # never changed, still public
    assert published.published_replacement() == correction
    assert AuditEvent.objects.for_object(published).filter(action="replaced").exists()


def test_only_a_published_notice_is_corrected_and_only_by_the_units_writers(world, published):
    draft = services.draft_notice_from_conference(conference=published.conference, by=world.alice)
    with pytest.raises(TransitionNotAllowed):
        services.draft_correction(notice=draft, by=world.alice)
    for outsider in (world.bob, world.fiona):
        with pytest.raises(PermissionDenied):
            services.draft_correction(notice=published, by=outsider)


def test_the_public_page_shows_both_versions(client, world, published):
    correction = publish_correction(world, services.draft_correction(notice=published, by=world.alice))
    client.cookies["django_language"] = "vi"
    with translation.override("vi"):
        new_page = client.get(reverse("citizens:notice_detail", args=[correction.pk])).content.decode()
        old_page = client.get(reverse("citizens:notice_detail", args=[published.pk])).content.decode()
        listing = client.get(reverse("citizens:notice_list")).content.decode()
    old_url = reverse("citizens:notice_detail", args=[published.pk])
    new_url = reverse("citizens:notice_detail", args=[correction.pk])
    assert "Thay thế thông báo số" in new_page and f'href="{old_url}"' in new_page
    assert "12-TB/ĐU" in new_page
    assert "Đã được thay thế" in old_page and f'href="{new_url}"' in old_page and "15-TB/ĐU" in old_page
    assert old_url in listing and new_url in listing and "Đã được thay thế" in listing


def test_the_officials_page_offers_the_correction_and_leads_to_the_new_draft(client, world, published):
    client.force_login(world.alice)
    detail = reverse("followup:notice_detail", args=[published.pk])
    assert reverse("followup:notice_correct", args=[published.pk]) in client.get(detail).content.decode()
    correct = reverse("followup:notice_correct", args=[published.pk])
    assert client.get(correct).status_code == 200
    response = client.post(correct)
    correction = published.replaced_by.get()
    assert response.status_code == 302 and response.url == reverse("followup:notice_edit", args=[correction.pk])
    # Once a correction is under way the button is gone.
    assert correct not in client.get(detail).content.decode()
    client.force_login(world.bob)
    assert client.post(correct).status_code == 404
