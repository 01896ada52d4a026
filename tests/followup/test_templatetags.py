"""followup_tags on the pages of other apps: the Front supervisor's "record a finding" on a petition, and
the petition page's actions and dates (petitions/templates, whose tests live here with the tag)."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from petitions.models import PetitionKind, PetitionStatus, RejectionReason
from tests import factories as f

pytestmark = pytest.mark.django_db


def page_of(client, user, petition) -> str:
    client.force_login(user)
    response = client.get(reverse("petitions:petition_detail", args=[petition.pk]))
    assert response.status_code == 200
    return response.content.decode()


def render(user, unit) -> str:
    template = Template("{% load followup_tags %}{% can_supervise_unit user unit as ok %}{{ ok }}")
    return template.render(Context({"user": user, "unit": unit}))


def test_can_supervise_unit_follows_the_permission(world):
    assert render(world.fiona, world.ward_a) == "True"
    assert render(world.alice, world.ward_a) == "False"
    assert render(world.stranger, world.ward_a) == "False"
    assert render(None, world.ward_a) == "False"


# --- 6. Front supervisor on the petition page ------------------------------------------------------


@pytest.mark.parametrize("user", ["fiona", "sam"])
def test_those_above_can_record_a_finding_on_the_petition(client, world, user):
    petition = f.PetitionFactory(unit=world.ward_a, status=PetitionStatus.ANSWERED)
    link = f"{reverse('followup:supervision_create')}?petition={petition.pk}"
    page = page_of(client, getattr(world, user), petition)
    assert f'href="{link}"' in page and "Record a supervision finding" in page
    assert client.get(link).status_code == 200


@pytest.mark.parametrize("user", ["alice", "hana", "chris"])
def test_others_get_no_supervision_link_on_the_petition(client, world, user):
    petition = f.PetitionFactory(unit=world.ward_a, status=PetitionStatus.ANSWERED)
    page = page_of(client, getattr(world, user), petition)
    assert reverse("followup:supervision_create") not in page


# --- 7. A rejected petition is re-accepted, not "accepted" -------------------------------------------


def _accept_button(page: str) -> str:
    return re.search(r'<a [^>]*id="action-accept"[^>]*>.*?</a>', page, re.S).group(0)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [(PetitionKind.COMPLAINT, RejectionReason.COMPLAINT), (PetitionKind.DENUNCIATION, RejectionReason.DENUNCIATION)],
)
def test_rejected_petition_offers_a_quiet_re_accept(client, world, kind, reason):
    petition = f.PetitionFactory(unit=world.ward_a, kind=kind, status=PetitionStatus.REJECTED, rejection_reason=reason)
    button = _accept_button(page_of(client, world.alice, petition))
    assert "Re-accept (wrongly classified)" in button
    assert "btn-outline-secondary" in button and "btn-success" not in button


def test_new_petition_keeps_the_green_accept(client, world):
    petition = f.PetitionFactory(unit=world.ward_a, status=PetitionStatus.SUBMITTED)
    button = _accept_button(page_of(client, world.alice, petition))
    assert "btn-success" in button and "Re-accept" not in button


# --- 12. Date and time in the project's format ------------------------------------------------------


def test_petition_page_shows_received_time_as_the_project_format(client, world):
    petition = f.PetitionFactory(unit=world.ward_a, status=PetitionStatus.SUBMITTED)
    page = page_of(client, world.alice, petition)
    received = timezone.localtime(petition.submitted_at)
    assert received.strftime("%H:%M %d/%m/%Y") in page
    assert received.strftime("%d/%m/%Y %H:%M") not in page
