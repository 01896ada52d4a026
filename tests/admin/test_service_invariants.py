"""Invariants live in the services, and the admin's add and change forms go through them.

"Serves this unit": assign, transfer and bulk-assign refuse a handling unit that does not serve
the petition's unit — called directly and through the admin. The conference and petition add and
change forms call the services (no direct save of a status, due date, unit or handling unit).
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.transitions import TransitionNotAllowed
from conferences.models import Conference, ConferenceStatus, PlanStatus
from petitions import services as pet
from petitions.models import Assignment, PetitionStatus
from tests import factories as f
from tests.admin.formdata import change_form_data
from units.access import ActionNotAllowed

pytestmark = pytest.mark.django_db


def _accepted(world, unit):
    return f.PetitionFactory(unit=unit, category=world.category, status=PetitionStatus.ACCEPTED)


# --- "Serves this unit", in the services ---------------------------------------------------------


def test_assign_refuses_a_handling_unit_of_another_ward(world):
    petition = _accepted(world, world.ward_a)
    with pytest.raises(TransitionNotAllowed, match="does not serve"):
        pet.assign_petition(petition=petition, organisation=world.land_b, by=world.alice)
    petition.refresh_from_db()
    assert petition.handling_org is None and not Assignment.objects.exists()


def test_assign_accepts_a_handling_unit_of_a_unit_above(world):
    district_office = f.OrganisationFactory(unit=world.district, name="Phòng Tài nguyên quận")
    petition = pet.assign_petition(
        petition=_accepted(world, world.ward_a), organisation=district_office, by=world.alice
    )
    assert petition.handling_org == district_office


def test_transfer_refuses_a_handling_unit_of_another_ward(world):
    petition = pet.assign_petition(petition=_accepted(world, world.ward_a), organisation=world.land_a, by=world.alice)
    with pytest.raises(TransitionNotAllowed, match="does not serve"):
        pet.transfer_petition(petition=petition, organisation=world.land_b, note="Sai thẩm quyền", by=world.alice)
    petition.refresh_from_db()
    assert petition.handling_org == world.land_a


def test_bulk_assign_refuses_each_petition_the_organisation_does_not_serve(world):
    root = f.UserFactory(username="root", is_superuser=True)
    own, other = _accepted(world, world.ward_a), _accepted(world, world.ward_b)
    done, errors = pet.bulk_assign(petitions=[own, other], organisation=world.land_a, by=root)
    assert done == 1 and [p.pk for p, _message in errors] == [other.pk]
    other.refresh_from_db()
    assert other.handling_org is None


def test_bulk_assign_reports_a_refused_actor_per_petition(world):
    done, errors = pet.bulk_assign(petitions=[_accepted(world, world.ward_a)], organisation=world.land_a, by=world.sam)
    assert done == 0 and "You may not assign a petition" in errors[0][1]


def test_admin_assign_action_refuses_an_office_that_does_not_serve_the_petition(client, superuser, admin_world):
    petition = _accepted(admin_world, admin_world.ward_a)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:petitions_petition_changelist"),
        {"action": "assign", "_selected_action": [petition.pk], "organisation": admin_world.land_b.pk},
        follow=True,
    )
    assert "does not serve" in response.content.decode()
    petition.refresh_from_db()
    assert petition.handling_org is None


# --- The conference admin goes through the services -----------------------------------------------


def _conference_add_data(client, world, **overrides):
    data = change_form_data(client.get(reverse("admin:conferences_conference_add")))
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=20))
    data.update(
        {
            "unit": str(world.ward_a.pk),
            "kind": "adhoc",
            "format": "thematic",
            "title": "Đối thoại về dự án đường vành đai",
            "planned_start_0": start.date().isoformat(),
            "planned_start_1": "08:00:00",
        }
    )
    data.update(overrides)
    return data


def test_conference_added_in_the_admin_is_scheduled_by_the_service(client, superuser, admin_world):
    plan = f.PlanFactory(unit=admin_world.ward_a, year=2027, status=PlanStatus.APPROVED)
    item = f.PlanItemFactory(plan=plan)
    client.force_login(superuser)
    data = _conference_add_data(client, admin_world, plan_item=str(item.pk))
    response = client.post(reverse("admin:conferences_conference_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    conference = Conference.objects.get(title="Đối thoại về dự án đường vành đai")
    assert conference.created_by == superuser
    assert AuditEvent.objects.for_object(conference).filter(action="scheduled").exists()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS  # the service started the plan


def test_conference_add_refused_by_the_matrix_is_a_form_error(client, admin_world):
    sam = admin_world.sam
    sam.is_staff = True
    sam.save(update_fields=["is_staff"])
    sam.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="conferences", codename__endswith="_conference")
    )
    client.force_login(sam)
    response = client.post(reverse("admin:conferences_conference_add"), _conference_add_data(client, admin_world))
    assert response.status_code == 200
    assert "You may not schedule a conference" in str(response.context["adminform"].form.non_field_errors())
    assert not Conference.objects.filter(title="Đối thoại về dự án đường vành đai").exists()


def test_conference_change_goes_through_update_conference(client, staff_alice, admin_world):
    conference = admin_world.a.conference
    # As a browser sends it back: whole seconds, in local time.
    start = timezone.localtime(conference.planned_start.replace(microsecond=0))
    Conference.objects.filter(pk=conference.pk).update(planned_start=start)
    unchanged = {"planned_start_0": start.date().isoformat(), "planned_start_1": start.strftime("%H:%M:%S")}
    client.force_login(staff_alice)
    change = reverse("admin:conferences_conference_change", args=[conference.pk])
    response = client.get(change)
    form = response.context["adminform"].form
    for fixed in ("status", "unit", "plan_item", "held_on", "attendance"):
        assert fixed not in form.fields
    data = change_form_data(response, venue="Nhà văn hóa tổ 3", status="cancelled", **unchanged)
    response = client.post(change, data)
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.venue == "Nhà văn hóa tổ 3" and conference.status == ConferenceStatus.PLANNED
    event = AuditEvent.objects.for_object(conference).get(action="edited")
    assert event.data["fields"] == ["venue"] and event.actor == staff_alice


def test_announced_conference_date_is_read_only_in_the_admin(client, staff_alice, admin_world):
    conference = admin_world.a.conference
    Conference.objects.filter(pk=conference.pk).update(status=ConferenceStatus.ANNOUNCED)
    client.force_login(staff_alice)
    response = client.get(reverse("admin:conferences_conference_change", args=[conference.pk]))
    assert "planned_start" not in response.context["adminform"].form.fields


# --- The petition admin goes through the services --------------------------------------------------


def test_petition_change_goes_through_update_petition(client, staff_alice, admin_world):
    petition = admin_world.a.petition
    client.force_login(staff_alice)
    change = reverse("admin:petitions_petition_change", args=[petition.pk])
    response = client.get(change)
    form = response.context["adminform"].form
    for fixed in ("status", "unit", "due_on", "handling_org", "submitted_at"):
        assert fixed not in form.fields
    response = client.post(
        change, change_form_data(response, title="Tiêu đề đã sửa", unit=str(admin_world.ward_b.pk), status="resolved")
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    petition.refresh_from_db()
    assert petition.title == "Tiêu đề đã sửa" and petition.unit == admin_world.ward_a
    assert petition.status == PetitionStatus.SUBMITTED
    assert AuditEvent.objects.for_object(petition).get(action="edited").data["fields"] == ["title"]


def test_update_petition_refuses_those_who_do_not_keep_the_petition(world):
    petition = f.PetitionFactory(unit=world.ward_a, category=world.category)
    for user in (world.sam, world.bob, world.hana, world.fiona):
        with pytest.raises(ActionNotAllowed):
            pet.update_petition(petition=petition, title="x", by=user)
    with pytest.raises(ValueError):
        pet.update_petition(petition=petition, status="resolved", by=world.alice)
    with pytest.raises(ValueError):
        pet.update_petition(petition=petition, petitioner_name="Người khác", by=world.alice)


def test_update_petition_refuses_a_conference_of_another_unit(world):
    petition = f.PetitionFactory(unit=world.ward_a, category=world.category)
    other = f.ConferenceFactory(unit=world.ward_b)
    with pytest.raises(TransitionNotAllowed):
        pet.update_petition(petition=petition, conference=other, by=world.alice)


# --- The plan admin goes through the services -------------------------------------------------------


def test_plan_added_in_the_admin_is_created_by_the_service_and_refused_to_a_supervisor(client, admin_world):
    from conferences.models import DialoguePlan

    sam = admin_world.sam
    sam.is_staff = True
    sam.save(update_fields=["is_staff"])
    sam.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="conferences", codename__endswith="_dialogueplan")
    )
    client.force_login(sam)
    data = change_form_data(client.get(reverse("admin:conferences_dialogueplan_add")))
    data.update({"unit": str(admin_world.ward_a.pk), "year": "2027", "title": "Kế hoạch 2027"})
    response = client.post(reverse("admin:conferences_dialogueplan_add"), data)
    assert response.status_code == 200
    assert "You may not create a dialogue plan" in str(response.context["adminform"].form.non_field_errors())
    assert not DialoguePlan.objects.filter(title="Kế hoạch 2027").exists()


# --- Conclusion items: added by the service, never written directly by the admin -----------------


def test_conclusion_item_change_form_writes_no_assignee_or_deadline(client, superuser, admin_world):
    item = admin_world.a.conclusion
    before = (item.text, item.assignee_id, item.deadline)
    client.force_login(superuser)
    change = reverse("admin:conferences_conclusionitem_change", args=[item.pk])
    response = client.get(change)
    assert not {"text", "assignee", "deadline", "conference"} & set(response.context["adminform"].form.fields)
    response = client.post(change, {"text": "Sửa thẳng", "assignee": admin_world.b.conclusion.assignee_id})
    item.refresh_from_db()
    assert (item.text, item.assignee_id, item.deadline) == before
    assert client.get(reverse("admin:conferences_conclusionitem_add")).status_code == 403


def test_conference_inline_shows_existing_conclusions_read_only(client, superuser, admin_world):
    conference = admin_world.a.conference
    client.force_login(superuser)
    response = client.get(reverse("admin:conferences_conference_change", args=[conference.pk]))
    inline = next(i for i in response.context["inline_admin_formsets"] if i.formset.model.__name__ == "ConclusionItem")
    assert not inline.has_change_permission
