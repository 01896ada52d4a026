"""Successor units read — never change — the records of the units they succeeded (issue 8 §9).

The 2025 reform in miniature: old Xuân Đỉnh and old Xuân Tảo (Bắc Từ Liêm, until 30/06/2025)
are succeeded by the new Xuân Đỉnh (under Hà Nội, since 1/7/2025), old Xuân Tảo only in part.
`xuan` is an official of the new Xuân Đỉnh; ward A's `alice` is unrelated to any of them.
"""

import pytest

from conferences.permissions import can_approve_minutes, can_manage_conferences
from followup.permissions import can_approve_notice, can_draft_notice, can_edit_notice
from petitions.models import PetitionStatus
from petitions.permissions import can_answer, can_manage_petition, can_see_contacts
from tests import factories as f
from tests.units.conftest import NEW_FROM, succeed
from units.models import Role
from units.permissions import (
    can_read_unit,
    can_see_unit,
    is_predecessor_record,
    predecessor_ids,
    readable_unit_ids,
    unit_ids_in_scope,
)

pytestmark = pytest.mark.django_db

# --- The read scope ----------------------------------------------------------------------------


def test_readable_scope_adds_the_predecessors_to_the_own_scope(reform):
    assert unit_ids_in_scope(reform.xuan) == {reform.new_xd.pk}
    assert readable_unit_ids(reform.xuan) == {reform.new_xd.pk, reform.old_xd.pk, reform.old_xt.pk}
    assert can_read_unit(reform.xuan, reform.old_xt) and not can_see_unit(reform.xuan, reform.old_xt)
    assert is_predecessor_record(reform.xuan, reform.old_xd)
    assert not is_predecessor_record(reform.xuan, reform.new_xd)
    assert not can_read_unit(reform.xuan, reform.world.ward_a)


def test_a_successor_that_was_itself_succeeded_passes_the_whole_chain_on(reform):
    later = f.UnitFactory(name="Xuân Đỉnh Mới", code="77001", parent=reform.world.city, valid_from=NEW_FROM)
    succeed(reform.new_xd, later)
    assert predecessor_ids({later.pk}) == {reform.new_xd.pk, reform.old_xd.pk, reform.old_xt.pk}
    user = f.UserFactory(username="later")
    f.MembershipFactory(user=user, unit=later, role=Role.UNIT_OFFICIAL)
    assert can_read_unit(user, reform.old_xt)


def test_succession_reads_backwards_only(reform, world):
    old_official = f.UserFactory(username="old")
    f.MembershipFactory(user=old_official, unit=reform.old_xt, role=Role.UNIT_OFFICIAL)
    assert readable_unit_ids(old_official) == {reform.old_xt.pk}
    assert readable_unit_ids(world.alice) == {world.ward_a.pk}


def test_a_cycle_in_the_succession_table_does_not_loop(reform):
    succeed(reform.new_xd, reform.old_xd)
    assert predecessor_ids({reform.new_xd.pk}) == {reform.new_xd.pk, reform.old_xd.pk, reform.old_xt.pk}


def test_the_read_scope_is_computed_once_per_request(reform, django_assert_num_queries):
    readable_unit_ids(reform.xuan)
    with django_assert_num_queries(0):
        readable_unit_ids(reform.xuan)
        is_predecessor_record(reform.xuan, reform.old_xt.pk)


# --- Pages: the successor reads; the unrelated ward still gets 404 -----------------------------


def pages(reform):
    return {
        "conference": f"/portal/conferences/{reform.conference.pk}/",
        "notice": f"/portal/notices/{reform.notice.pk}/",
        "petition": f"/portal/petitions/{reform.petition.pk}/",
    }


def test_new_xuan_dinh_official_reads_the_2024_records_of_the_old_wards(reform, client):
    client.force_login(reform.xuan)
    for name, url in pages(reform).items():
        response = client.get(url)
        assert response.status_code == 200, name


def test_an_unrelated_ward_still_gets_404_for_the_old_wards_records(reform, client):
    client.force_login(reform.world.alice)
    for name, url in pages(reform).items():
        assert client.get(url).status_code == 404, name


def test_the_successor_sees_no_contacts_of_a_predecessors_petition(reform, client):
    """Contacts were given to the old ward: they pass to the successor only with the petition's transfer."""
    assert not can_see_contacts(reform.xuan, reform.petition)
    client.force_login(reform.xuan)
    html = client.get(pages(reform)["petition"]).content.decode()
    assert reform.petition.title in html
    assert "987654321" not in html and reform.petition.petitioner_email not in html


def test_no_write_predicate_lets_the_successor_change_a_predecessors_record(reform):
    xuan = reform.xuan
    assert not can_manage_conferences(xuan, reform.old_xt)
    assert not can_approve_minutes(xuan, reform.conference)
    assert not can_draft_notice(xuan, reform.conference)
    assert not can_edit_notice(xuan, reform.notice)
    assert not can_approve_notice(xuan, reform.notice)
    assert not can_manage_petition(xuan, reform.petition)
    assert not can_answer(xuan, reform.petition)


def test_the_successor_gets_403_on_every_action_of_a_predecessors_petition(reform, client):
    client.force_login(reform.xuan)
    for action in ("accept", "reject", "assign", "extend", "answer", "resolve", "reopen"):
        url = f"/portal/petitions/{reform.petition.pk}/{action}/"
        assert client.get(url).status_code == 403, action
        assert client.post(url, {"confirm": "1", "reason": "x", "note": "x"}).status_code == 403, action
    reform.petition.refresh_from_db()
    assert reform.petition.status == PetitionStatus.IN_PROGRESS and reform.petition.unit == reform.old_xd


# --- Marked as the predecessor's ---------------------------------------------------------------

LABEL = "Record of predecessor unit: Phường Xuân Tảo (until 30/06/2025)"
READ_ONLY = "Read-only: your unit succeeded this unit"


def test_detail_pages_mark_the_predecessors_record_and_offer_no_action(reform, client):
    client.force_login(reform.xuan)
    labels = {"conference": LABEL, "notice": LABEL, "petition": LABEL.replace("Tảo", "Đỉnh")}
    for name, url in pages(reform).items():
        html = client.get(url).content.decode()
        assert labels[name] in html, name
        assert READ_ONLY in html, name
    petition_page = client.get(pages(reform)["petition"]).content.decode()
    assert "A supervising official can transfer its open petitions" in petition_page
    assert 'id="action-' not in petition_page
    assert "/edit/" not in client.get(pages(reform)["notice"]).content.decode()


def test_list_pages_badge_the_predecessors_records(reform, client):
    client.force_login(reform.xuan)
    for url, title in [
        ("/portal/conferences/", reform.conference.title),
        ("/portal/notices/", reform.notice.title),
        ("/portal/petitions/", reform.petition.title),
    ]:
        html = client.get(url).content.decode()
        assert title in html, url
        assert "Record of predecessor unit: Phường" in html, url


def test_the_inbox_offers_no_bulk_selection_of_a_predecessors_petition(reform, client):
    own = f.PetitionFactory(unit=reform.new_xd, title="Kiến nghị của phường mới")
    client.force_login(reform.xuan)
    html = client.get("/portal/petitions/").content.decode()
    assert f'name="ids" value="{own.pk}"' in html
    assert f'name="ids" value="{reform.petition.pk}"' not in html


def test_own_records_carry_no_predecessor_mark(reform, client):
    own = f.PetitionFactory(unit=reform.new_xd, title="Kiến nghị của phường mới")
    client.force_login(reform.xuan)
    html = client.get(f"/portal/petitions/{own.pk}/").content.decode()
    assert "Record of predecessor unit" not in html and READ_ONLY not in html
    client.force_login(reform.world.alice)
    assert "Record of predecessor unit" not in client.get("/portal/petitions/").content.decode()


def test_the_mark_reads_in_vietnamese(reform, vi_client):
    vi_client.force_login(reform.xuan)
    html = vi_client.get(pages(reform)["conference"]).content.decode()
    assert "Hồ sơ của đơn vị tiền nhiệm: Phường Xuân Tảo (đến 30/06/2025)" in html
    assert "Chỉ xem: đơn vị của bạn kế thừa đơn vị này" in html


def test_the_inbox_marks_rows_without_a_query_per_row(reform, client, django_assert_max_num_queries):
    client.force_login(reform.xuan)
    client.get("/portal/petitions/")
    for i in range(10):
        f.PetitionFactory(unit=reform.old_xt if i % 2 else reform.new_xd, title=f"Kiến nghị {i}")
    with django_assert_max_num_queries(40) as one:
        client.get("/portal/petitions/")
    for i in range(30):
        f.PetitionFactory(unit=reform.old_xt, title=f"Kiến nghị thêm {i}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get("/portal/petitions/").content.decode()
    assert html.count('data-predecessor="') >= 25
