"""A supervisor moves an old unit's open petitions to one of its successors, with history (issue 8 §9).

Uses `reform` (tests/units/conftest.py): the old wards' petitions, the new Xuân Đỉnh, its official
`xuan`, and `thanh`, a supervising official of the city.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from audit.transitions import TransitionNotAllowed
from petitions import services
from petitions.models import Petition, PetitionStatus
from petitions.permissions import can_manage_petition, can_see_contacts
from tests import factories as f

pytestmark = pytest.mark.django_db


def url(unit) -> str:
    return f"/portal/units/{unit.pk}/transfer-open-petitions/"


@pytest.fixture
def old_petitions(reform):
    """Old Xuân Đỉnh holds two open petitions (one from the fixture) and two closed ones."""
    accepted = f.PetitionFactory(unit=reform.old_xd, title="Chưa trả lời", status=PetitionStatus.ACCEPTED)
    answered = f.PetitionFactory(
        unit=reform.old_xd, title="Đã trả lời", status=PetitionStatus.ANSWERED, answered_on=datetime.date(2025, 3, 1)
    )
    resolved = f.PetitionFactory(unit=reform.old_xd, title="Đã giải quyết", status=PetitionStatus.RESOLVED)
    return {"open": [reform.petition, accepted], "closed": [answered, resolved]}


def test_the_confirmation_shows_how_many_open_petitions_will_move(reform, old_petitions, client):
    client.force_login(reform.thanh)
    response = client.get(url(reform.old_xd))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 open petition(s) of Phường Xuân Đỉnh (until 30/06/2025) will move" in html
    for petition in old_petitions["open"]:
        assert petition.display_code in html
    for petition in old_petitions["closed"]:
        assert petition.display_code not in html
    assert list(response.context["form"].fields["successor"].queryset) == [reform.new_xd]
    assert Petition.objects.filter(unit=reform.old_xd).count() == 4  # nothing moved on GET


def test_transfer_through_the_page_moves_only_open_petitions_with_history(reform, old_petitions, client):
    client.force_login(reform.thanh)
    response = client.post(url(reform.old_xd), {"successor": reform.new_xd.pk})
    assert response.status_code == 302
    for petition in old_petitions["open"]:
        petition.refresh_from_db()
        assert petition.unit == reform.new_xd
        event = AuditEvent.objects.for_object(petition).get(action="unit_transferred")
        assert event.actor == reform.thanh
        assert event.data == {"from_unit": reform.old_xd.pk, "to_unit": reform.new_xd.pk}
    for petition in old_petitions["closed"]:
        petition.refresh_from_db()
        assert petition.unit == reform.old_xd
        assert not AuditEvent.objects.for_object(petition).filter(action="unit_transferred").exists()
    # The history is on the petition's timeline, for the successor's official who now handles it.
    client.force_login(reform.xuan)
    page = client.get(f"/portal/petitions/{reform.petition.pk}/")
    moved = [e for e in page.context["timeline"] if e.action == "unit_transferred"]
    assert (
        len(moved) == 1 and moved[0].note == "Phường Xuân Đỉnh (27/12/2013–30/06/2025) → Phường Xuân Đỉnh (01/07/2025–)"
    )
    assert "Moved to the successor unit" in page.content.decode()


def test_after_the_transfer_the_successor_handles_the_petition_and_sees_its_contacts(reform, old_petitions):
    xuan, petition = reform.xuan, reform.petition
    assert not can_manage_petition(xuan, petition) and not can_see_contacts(xuan, petition)
    services.transfer_open_petitions(old_unit=reform.old_xd, new_unit=reform.new_xd, by=reform.thanh)
    petition.refresh_from_db()
    xuan = type(xuan).objects.get(pk=xuan.pk)  # a new request: a fresh scope cache
    assert can_manage_petition(xuan, petition) and can_see_contacts(xuan, petition)


def test_the_page_refuses_a_target_that_is_not_a_successor(reform, old_petitions, client):
    client.force_login(reform.thanh)
    response = client.post(url(reform.old_xd), {"successor": reform.world.ward_a.pk})
    assert response.status_code == 200
    assert "successor" in response.context["form"].errors
    assert Petition.objects.filter(unit=reform.old_xd).count() == 4
    assert not AuditEvent.objects.filter(action="unit_transferred").exists()


def test_the_service_refuses_a_target_that_is_not_a_successor(reform, old_petitions):
    with pytest.raises(TransitionNotAllowed):
        services.transfer_open_petitions(old_unit=reform.old_xd, new_unit=reform.world.ward_a, by=reform.thanh)
    # Old Xuân Tảo's successor is not old Xuân Đỉnh's only because they share a successor.
    with pytest.raises(TransitionNotAllowed):
        services.transfer_open_petitions(old_unit=reform.old_xd, new_unit=reform.old_xt, by=reform.thanh)
    assert Petition.objects.filter(unit=reform.old_xd).count() == 4


def test_only_supervisors_and_administrators_may_transfer(reform, old_petitions, client):
    world = reform.world
    old_official = f.UserFactory(username="old_official")
    f.MembershipFactory(user=old_official, unit=reform.old_xd, role="unit_official")
    for user, status in [(reform.xuan, 404), (world.alice, 404), (old_official, 403), (world.fiona, 403)]:
        client.force_login(user)
        assert client.get(url(reform.old_xd)).status_code == status, user
        assert client.post(url(reform.old_xd), {"successor": reform.new_xd.pk}).status_code == status, user
        with pytest.raises(PermissionDenied):
            services.transfer_open_petitions(old_unit=reform.old_xd, new_unit=reform.new_xd, by=user)
    assert Petition.objects.filter(unit=reform.old_xd).count() == 4
    admin = f.UserFactory(username="admin", is_superuser=True, is_staff=True)
    assert services.transfer_open_petitions(old_unit=reform.old_xd, new_unit=reform.new_xd, by=admin) == 2


def test_a_supervisor_moves_petitions_only_into_units_they_supervise(reform, old_petitions, client):
    """Sam supervises the old district (old Xuân Đỉnh is below it), not the new Xuân Đỉnh under the city."""
    sam = reform.world.sam
    client.force_login(sam)
    response = client.get(url(reform.old_xd))
    assert response.status_code == 200
    assert list(response.context["form"].fields["successor"].queryset) == []
    client.post(url(reform.old_xd), {"successor": reform.new_xd.pk})
    with pytest.raises(PermissionDenied):
        services.transfer_open_petitions(old_unit=reform.old_xd, new_unit=reform.new_xd, by=sam)
    assert Petition.objects.filter(unit=reform.old_xd).count() == 4


def test_a_second_transfer_moves_nothing(reform, old_petitions):
    assert services.transfer_open_petitions(old_unit=reform.old_xd, new_unit=reform.new_xd, by=reform.thanh) == 2
    assert services.transfer_open_petitions(old_unit=reform.old_xd, new_unit=reform.new_xd, by=reform.thanh) == 0
    assert AuditEvent.objects.filter(action="unit_transferred").count() == 2


def test_the_petition_page_offers_the_transfer_to_the_supervisor_only(reform, old_petitions, client):
    page = f"/portal/petitions/{reform.petition.pk}/"
    client.force_login(reform.thanh)
    assert url(reform.old_xd) in client.get(page).content.decode()
    client.force_login(reform.xuan)
    assert url(reform.old_xd) not in client.get(page).content.decode()
    answered = old_petitions["closed"][0]
    client.force_login(reform.thanh)
    assert url(reform.old_xd) not in client.get(f"/portal/petitions/{answered.pk}/").content.decode()
