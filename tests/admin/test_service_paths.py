"""What the admin adds or changes goes through the services: deadlines, history, notifications."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from petitions.models import Petition
from petitions.services import petition_changed
from tests.admin.formdata import change_form_data


def _petition_add_data(client, world, **overrides):
    data = change_form_data(client.get(reverse("admin:petitions_petition_add")))
    data.update(
        {
            "unit": str(world.ward_a.pk),
            "kind": "kien_nghi",
            "category": str(world.category.pk),
            "channel": "mail",
            "title": "Đề nghị nạo vét mương thoát nước tổ 5",
            "content": "Mương thoát nước tổ 5 bị tắc, mưa to là ngập.",
            "location": "Tổ 5",
            "petitioner_name": "Trần Văn Bình",
            "petitioner_phone": "0987654321",
            "petitioner_email": "",
            "petitioner_address": "",
            "consent": "on",
        }
    )
    data.update(overrides)
    return data


@pytest.fixture
def signals():
    received = []

    def receiver(sender, petition, action, by=None, **kwargs):
        received.append((petition.pk, action, by))

    petition_changed.connect(receiver, weak=False)
    yield received
    petition_changed.disconnect(receiver)


@pytest.mark.django_db
def test_petition_added_in_the_admin_is_received_by_the_submit_service(client, superuser, admin_world, signals):
    client.force_login(superuser)
    response = client.post(reverse("admin:petitions_petition_add"), _petition_add_data(client, admin_world))
    assert response.status_code == 302, response.context["adminform"].form.errors
    petition = Petition.objects.get(title="Đề nghị nạo vét mương thoát nước tổ 5")
    assert petition.tracking_code
    assert petition.acknowledgement_due_on is not None
    assert petition.due_on == petition.acknowledgement_due_on
    assert petition.consent_given_at is not None
    assert petition.petitioner_name == "Trần Văn Bình"
    event = AuditEvent.objects.for_object(petition).get(action="submitted")
    assert event.actor == superuser
    assert (petition.pk, "submitted", superuser) in signals
    assert response["Location"].endswith(reverse("admin:petitions_petition_change", args=[petition.pk])) or (
        response["Location"] == reverse("admin:petitions_petition_changelist")
    )


@pytest.mark.django_db
def test_online_petition_added_in_the_admin_needs_consent(client, superuser, admin_world):
    client.force_login(superuser)
    data = _petition_add_data(client, admin_world, channel="online")
    del data["consent"]
    response = client.post(reverse("admin:petitions_petition_add"), data)
    assert response.status_code == 200
    assert "consent" in response.context["adminform"].form.errors
    assert not Petition.objects.filter(title=data["title"]).exists()
