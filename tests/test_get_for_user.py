"""Fetch and authorise in one call, the same way in every app: `get_<model>_for_user(user, pk, action=…)`
is a 404 for what the user may not see and a 403 for what they see but may not do."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from conferences.models import (
    get_conclusion_item_for_user,
    get_conference_for_user,
    get_plan_for_user,
    get_plan_item_for_user,
)
from conferences.permissions import can_manage_conferences
from followup.models import get_notice_for_user, get_supervision_for_user
from followup.permissions import can_approve_notice, can_supervise
from petitions.models import get_petition_for_user
from petitions.permissions import can_manage_petition
from tests import factories as f

pytestmark = pytest.mark.django_db


def manages(user, obj):
    return can_manage_conferences(user, obj.unit)


def supervision(world):
    return f.SupervisionFactory(unit=world.ward_a, petition=f.PetitionFactory(unit=world.ward_a))


def cases(world):
    conference = f.ConferenceFactory(unit=world.ward_a)
    plan = f.PlanFactory(unit=world.ward_a)
    return [
        (get_conference_for_user, conference.pk, manages),
        (get_plan_for_user, plan.pk, manages),
        (get_plan_item_for_user, f.PlanItemFactory(plan=plan).pk, manages),
        (get_conclusion_item_for_user, f.ConclusionItemFactory(conference=conference).pk, manages),
        (get_petition_for_user, f.PetitionFactory(unit=world.ward_a).pk, can_manage_petition),
        (get_notice_for_user, f.NoticeFactory(unit=world.ward_a).pk, can_approve_notice),
        (get_supervision_for_user, supervision(world).pk, can_supervise),
    ]


def test_another_wards_official_gets_404_for_every_kind_of_record(world):
    for get, pk, action in cases(world):
        with pytest.raises(Http404):
            get(world.bob, pk)
        with pytest.raises(Http404):
            get(world.bob, pk, action=action)


def test_a_reader_who_may_not_act_gets_403_but_may_still_read(world):
    for get, pk, action in cases(world):
        reader = world.alice if get is get_supervision_for_user else world.fiona  # the Front records findings
        assert get(reader, pk).pk == pk
        with pytest.raises(PermissionDenied):
            get(reader, pk, action=action)
