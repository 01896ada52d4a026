"""What the admin adds or changes goes through the services: deadlines, history, notifications."""

import datetime

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


# --- Supervision and commendation: recorded by the follow-up services -----------------------------


def _add_form(client, url_name, **values):
    data = change_form_data(client.get(reverse(url_name)))
    data.update({k: str(v) for k, v in values.items()})
    return client.post(reverse(url_name), data)


@pytest.mark.django_db
def test_supervision_added_in_the_admin_is_recorded_by_the_service(client, superuser, admin_world):
    from followup.models import Supervision

    petition, conclusion = admin_world.a.petition, admin_world.a.conclusion
    conclusion.petitions.add(petition)
    client.force_login(superuser)
    response = _add_form(
        client,
        "admin:followup_supervision_add",
        unit=admin_world.ward_a.pk,
        subject="Kiểm tra việc nạo vét mương",
        finding="not_met",
        recommendation="Đề nghị hoàn thành trước 31/12",
        conclusion_item=conclusion.pk,
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    supervision = Supervision.objects.get(subject="Kiểm tra việc nạo vét mương")
    assert supervision.supervisor == superuser
    # The service's history rows: on the conference and on the petitions the item settles.
    assert AuditEvent.objects.for_object(admin_world.a.conference).filter(action="supervised").exists()
    assert AuditEvent.objects.for_object(petition).filter(action="supervised").exists()


@pytest.mark.django_db
def test_supervision_the_service_refuses_is_a_form_error(client, superuser, admin_world):
    from followup.models import Supervision

    client.force_login(superuser)
    response = _add_form(
        client,
        "admin:followup_supervision_add",
        unit=admin_world.ward_a.pk,
        subject="Không có khuyến nghị",
        finding="not_met",  # "not met" needs a recommendation
        conclusion_item=admin_world.a.conclusion.pk,
    )
    assert response.status_code == 200
    assert "A finding of “not met” needs a recommendation." in str(response.context["adminform"].form.errors)
    assert not Supervision.objects.filter(subject="Không có khuyến nghị").exists()
    assert not AuditEvent.objects.filter(action="supervised").exists()  # the dry run left nothing behind


@pytest.mark.django_db
def test_supervision_finding_is_read_only_on_change_and_recheck_is_an_action(client, superuser, admin_world):
    supervision = admin_world.a.supervision
    client.force_login(superuser)
    url = reverse("admin:followup_supervision_change", args=[supervision.pk])
    response = client.get(url)
    fields = response.context["adminform"].form.fields
    assert "finding" not in fields and "rechecked_at" not in fields
    data = change_form_data(response, finding="not_met", recommendation="Bổ sung")
    assert client.post(url, data).status_code == 302
    supervision.refresh_from_db()
    assert supervision.finding == "met" and supervision.recommendation == "Bổ sung"
    client.post(
        reverse("admin:followup_supervision_changelist"),
        {"action": "mark_rechecked", "_selected_action": [str(supervision.pk)], "index": 0},
    )
    supervision.refresh_from_db()
    assert supervision.rechecked_at is not None
    assert AuditEvent.objects.filter(action="supervision_rechecked").exists()


@pytest.mark.django_db
def test_commendation_added_in_the_admin_is_recorded_by_the_service(client, superuser, admin_world):
    from followup.models import Commendation

    client.force_login(superuser)
    response = _add_form(
        client,
        "admin:followup_commendation_add",
        kind="individual",
        unit=admin_world.ward_a.pk,
        recipient="Nguyễn Văn An",
        reason="Tổ chức đối thoại đúng hạn",
        year=2026,
        decision_number="15/QĐ-UBND",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    commendation = Commendation.objects.get(recipient="Nguyễn Văn An")
    event = AuditEvent.objects.for_object(commendation).get(action="recorded")
    assert event.actor == superuser


# --- Conclusions in the conference's inline, planned conferences after approval --------------------


@pytest.mark.django_db
def test_conclusion_added_in_the_conference_inline_goes_through_the_service(client, superuser, admin_world):
    conference = admin_world.a.conference
    conference.status, conference.held_on = "held", datetime.date(2026, 11, 20)
    conference.save(update_fields=["status", "held_on"])
    client.force_login(superuser)
    url = reverse("admin:conferences_conference_change", args=[conference.pk])
    data = change_form_data(client.get(url))
    prefix = "conclusions"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(total + 1),
            f"{prefix}-{total}-text": "Giao UBND phường lắp đèn ngõ 12",
            f"{prefix}-{total}-assignee": str(admin_world.land_a.pk),
            f"{prefix}-{total}-deadline": "2026-12-31",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = conference.conclusions.get(text="Giao UBND phường lắp đèn ngõ 12")
    assert item.number == max(c.number for c in conference.conclusions.all())  # numbered by the service
    assert AuditEvent.objects.for_object(conference).filter(action="conclusion_added", data__item=item.pk).exists()


@pytest.mark.django_db
def test_conclusions_cannot_be_added_to_a_conference_not_held(client, superuser, admin_world):
    conference = admin_world.a.conference  # planned
    client.force_login(superuser)
    response = client.get(reverse("admin:conferences_conference_change", args=[conference.pk]))
    inline = next(i for i in response.context["inline_admin_formsets"] if i.formset.model.__name__ == "ConclusionItem")
    assert not inline.has_add_permission


@pytest.mark.django_db
def test_superuser_change_of_an_approved_plans_items_is_in_its_history(client, superuser, admin_world):
    plan, item = admin_world.a.plan, admin_world.a.item
    plan.status = "approved"
    plan.save(update_fields=["status"])
    client.force_login(superuser)
    url = reverse("admin:conferences_dialogueplan_change", args=[plan.pk])
    data = change_form_data(client.get(url))
    data["items-0-topic"] = "Chủ đề đã đổi sau phê duyệt"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.for_object(plan).get(action="item_edited")
    assert event.actor == superuser
    assert event.data["plan_status"] == "approved" and event.data["item"] == item.pk
    assert event.data["fields"] == ["topic"]


@pytest.mark.django_db
def test_planned_conference_of_an_approved_plan_is_read_only_for_staff_on_its_own_page(
    client, staff_alice, admin_world
):
    from django.contrib.auth.models import Permission

    plan, item = admin_world.a.plan, admin_world.a.item
    staff_alice.user_permissions.add(*Permission.objects.filter(codename__in=["view_planitem", "change_planitem"]))
    client.force_login(staff_alice)
    url = reverse("admin:conferences_planitem_change", args=[item.pk])
    assert "topic" in client.get(url).context["adminform"].form.fields
    plan.status = "approved"
    plan.save(update_fields=["status"])
    assert "topic" not in client.get(url).context["adminform"].form.fields
