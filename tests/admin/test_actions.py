"""Admin actions change state only through the services, and report a forbidden transition per object."""

import datetime

import pytest
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import AuditEvent


def _act(client, url, action, objects, **extra):
    return client.post(
        reverse(url),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [str(o.pk) for o in objects], "index": 0, **extra},
        follow=True,
    )


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)] or [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
def test_approve_plan_action_calls_the_service_and_reports_the_forbidden_one(client, superuser, admin_world):
    draft, other = admin_world.a.plan, admin_world.b.plan
    other.status = "completed"
    other.save(update_fields=["status"])
    client.force_login(superuser)
    response = _act(client, "admin:conferences_dialogueplan_changelist", "approve", [draft, other])
    draft.refresh_from_db()
    other.refresh_from_db()
    assert draft.status == "approved"
    assert other.status == "completed"
    texts = _messages(response)
    assert any(str(other) in t for t in texts)  # one message for the plan that could not move
    assert AuditEvent.objects.for_object(draft).filter(to_status="approved").exists()


@pytest.mark.django_db
def test_announce_and_cancel_conference_actions(client, superuser, admin_world):
    conference, other = admin_world.a.conference, admin_world.b.conference
    client.force_login(superuser)
    url = "admin:conferences_conference_changelist"
    _act(client, url, "announce", [conference], invitation_sent_on="2026-11-01")
    conference.refresh_from_db()
    assert conference.status == "announced"
    assert str(conference.invitation_sent_on) == "2026-11-01"
    response = _act(client, url, "cancel", [other])  # no reason: refused
    other.refresh_from_db()
    assert other.status == "planned"
    assert any(str(other) in t for t in _messages(response))
    _act(client, url, "cancel", [other], reason="Mưa bão")
    other.refresh_from_db()
    assert other.status == "cancelled" and other.status_reason == "Mưa bão"


@pytest.mark.django_db
def test_accept_and_assign_petition_actions(client, superuser, admin_world):
    petition = admin_world.a.petition
    client.force_login(superuser)
    url = "admin:petitions_petition_changelist"
    _act(client, url, "accept", [petition])
    petition.refresh_from_db()
    assert petition.status == "accepted" and petition.due_on is not None
    _act(client, url, "assign", [petition], organisation=str(admin_world.land_a.pk))
    petition.refresh_from_db()
    assert petition.status == "in_progress"
    assert petition.handling_org == admin_world.land_a


@pytest.mark.django_db
def test_ward_a_staff_cannot_assign_to_a_ward_b_office(client, staff_alice, admin_world):
    petition = admin_world.a.petition
    client.force_login(staff_alice)
    url = "admin:petitions_petition_changelist"
    _act(client, url, "accept", [petition])
    _act(client, url, "assign", [petition], organisation=str(admin_world.land_b.pk))
    petition.refresh_from_db()
    assert petition.status == "accepted"
    assert petition.handling_org is None


@pytest.mark.django_db
def test_approve_and_publish_notice_actions(client, superuser, admin_world):
    notice = admin_world.a.notice
    client.force_login(superuser)
    url = "admin:followup_followupnotice_changelist"
    response = _act(client, url, "publish", [notice])  # a draft cannot be published
    notice.refresh_from_db()
    assert notice.status == "draft"
    # The message names the notice in the page's language ("(unnumbered)" is translated): match its title.
    assert any(notice.title in t for t in _messages(response))
    notice.number, notice.issued_on = "12/TB-UBND", datetime.date(2026, 11, 20)
    notice.save(update_fields=["number", "issued_on"])
    _act(client, url, "approve", [notice])
    _act(client, url, "publish", [notice], posted_at="Bảng tin phường")
    notice.refresh_from_db()
    assert notice.status == "published"
    assert notice.posted_at == "Bảng tin phường"
    assert notice.published_at is not None


@pytest.mark.django_db
def test_an_official_without_the_role_cannot_approve_a_plan(client, staff_alice, admin_world):
    plan = admin_world.a.plan  # approving is for the chair or a supervisor, not a unit official
    client.force_login(staff_alice)
    _act(client, "admin:conferences_dialogueplan_changelist", "approve", [plan])
    plan.refresh_from_db()
    assert plan.status == "draft"
