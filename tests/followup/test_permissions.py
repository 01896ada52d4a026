"""followup.permissions: who may draft, edit, approve, post, supervise and commend, across the cast."""

import pytest
from django.utils import timezone

from followup import permissions as p
from tests import factories as f

pytestmark = pytest.mark.django_db

CAST = ["alice", "bob", "sam", "fiona", "hana", "chris", "stranger"]


def who(world, predicate):
    return {name for name in CAST if predicate(getattr(world, name))}


def test_drafting_and_editing_belong_to_the_units_officials(world, held_conference):
    draft = f.NoticeFactory(unit=world.ward_a, conference=held_conference, status="draft")
    approved = f.NoticeFactory(unit=world.ward_a, status="approved")
    assert who(world, lambda u: p.can_draft_notice(u, held_conference)) == {"alice", "chris"}
    assert who(world, lambda u: p.can_edit_notice(u, draft)) == {"alice", "chris"}
    assert who(world, lambda u: p.can_edit_notice(u, approved)) == set()


def test_approval_belongs_to_the_chair_not_to_supervisors(world):
    notice = f.NoticeFactory(unit=world.ward_a, status="draft")
    assert who(world, lambda u: p.can_approve_notice(u, notice)) == {"chris"}


def test_posting_is_recorded_by_the_units_officials_once_published(world):
    draft = f.NoticeFactory(unit=world.ward_a, status="draft")
    published = f.NoticeFactory(unit=world.ward_a, status="published", published_at=timezone.now())
    assert who(world, lambda u: p.can_record_posting(u, draft)) == set()
    assert who(world, lambda u: p.can_record_posting(u, published)) == {"alice", "chris"}


def test_those_above_supervise_and_only_supervising_officials_commend(world):
    assert who(world, lambda u: p.can_supervise(u, world.ward_a)) == {"fiona", "sam"}
    assert who(world, lambda u: p.can_supervise(u, world.ward_b)) == {"fiona", "sam"}
    assert who(world, lambda u: p.can_record_commendation(u, world.ward_a)) == {"sam"}


def test_superuser_may_do_everything(world, held_conference):
    root = f.UserFactory(username="root", is_superuser=True)
    notice = f.NoticeFactory(unit=world.ward_a, status="published", published_at=timezone.now())
    assert p.can_supervise(root, world.ward_a) and p.can_record_commendation(root, world.ward_b)
    assert p.can_draft_notice(root, held_conference) and p.can_record_posting(root, notice)
