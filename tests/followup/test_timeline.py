"""One interpreter behind both timelines: the officials' petition page shows every entry, the
citizen's tracking page the public ones, in the same order, without actors, notes or findings."""

import pytest
from django.urls import reverse

from citizens.public import public_timeline
from followup import services as followup_services
from followup.timeline import PUBLIC_ACTIONS, petition_timeline, petition_timelines
from petitions import services
from petitions.models import Verdict
from tests import factories as f
from tests.petitions.conftest import answered

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(world):
    petition = answered(world, world.ward_a, world.alice, world.land_a)
    conference = f.ConferenceFactory(unit=world.ward_a, status="held")
    item = f.ConclusionItemFactory(conference=conference)
    item.petitions.add(petition)
    followup_services.record_supervision(
        unit=world.ward_a,
        by=world.fiona,
        conclusion_item=item,
        subject="Thay bóng đèn",
        finding="met",
        recommendation="Ghi chú nội bộ của MTTQ",
    )
    services.record_verdict(petition=petition, verdict=Verdict.RESOLVED, rating=5)
    return petition


def test_the_public_steps_are_the_public_entries_of_the_officials_chain(world, chain):
    entries = petition_timeline(chain)
    public = [e for e in entries if e.action in PUBLIC_ACTIONS]
    steps = public_timeline(chain)
    assert [s.at for s in steps] == [e.at for e in public]
    # A finding on a conclusion item that settles the petition shows on both.
    assert "supervision" in [e.action for e in entries]
    assert "Checked by the Fatherland Front" in [str(s.title) for s in steps]


def test_the_tracking_page_shows_no_actor_no_note_and_no_finding_details(client, world, chain):
    body = client.get(reverse("citizens:track_detail", args=[chain.tracking_code])).content.decode()
    assert "Ghi chú nội bộ của MTTQ" not in body and world.fiona.username not in body
    assert world.alice.username not in body


def test_the_chain_is_read_in_four_queries_whatever_its_length(world, chain, django_assert_num_queries):
    with django_assert_num_queries(4):
        petition_timeline(chain)


def test_the_batch_form_gives_each_petition_its_own_chain_in_the_same_four_queries(
    world, chain, django_assert_num_queries
):
    other = answered(world, world.ward_b, world.bob, world.land_b)
    alone = {p.pk: [(e.at, e.action) for e in petition_timeline(p)] for p in (chain, other)}
    with django_assert_num_queries(4):
        both = petition_timelines([chain, other])
    assert {pk: [(e.at, e.action) for e in entries] for pk, entries in both.items()} == alone
    assert "supervision" in [e.action for e in both[chain.pk]]
    assert "supervision" not in [e.action for e in both[other.pk]]
