"""The petition detail page: scope, contacts only for those who handle it, the whole timeline, files."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUpNotice, NoticeStatus, Supervision
from petitions import services
from petitions.models import Answer, PetitionAttachment, Verdict
from tests.petitions.conftest import answered, pdf_upload

pytestmark = pytest.mark.django_db
PHONE, EMAIL = "0912 345 678", "hoa.nguyen@example.vn"


def detail(petition):
    return reverse("petitions:petition_detail", args=[petition.pk])


def open_as(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("persona", ["alice", "chris", "sam", "fiona", "hana"])
def test_ward_a_petition_opens_for_those_in_scope(client, world, petition_a, persona):
    response = open_as(client, getattr(world, persona), detail(petition_a))
    assert response.status_code == 200
    assert petition_a.title in response.content.decode()


@pytest.mark.parametrize("persona", ["bob", "stranger"])
def test_ward_b_official_and_stranger_get_404_for_ward_a_petition(client, world, petition_a, persona):
    assert open_as(client, getattr(world, persona), detail(petition_a)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, petition_a):
    assert client.get(detail(petition_a)).status_code == 302


@pytest.mark.parametrize(
    "persona,sees", [("alice", True), ("chris", True), ("sam", False), ("fiona", False), ("hana", False)]
)
def test_contacts_shown_only_to_those_who_handle_the_petition(client, world, petition_a, persona, sees):
    html = open_as(client, getattr(world, persona), detail(petition_a)).content.decode()
    assert (PHONE in html) is sees
    assert (EMAIL in html) is sees
    assert ("Nguyễn Thị Hoa" in html) is sees


def test_handling_officer_sees_contacts_once_it_is_assigned_to_her_office(client, world, assigned_a):
    html = open_as(client, world.hana, detail(assigned_a)).content.decode()
    assert PHONE in html and EMAIL in html


def test_timeline_shows_the_whole_chain(client, world):
    petition = answered(world, world.ward_a, world.alice, world.land_a)
    notice = FollowUpNotice.objects.create(
        unit=world.ward_a,
        title="Thông báo kết luận hội nghị quý IV",
        text="…",
        number="12-TB/ĐU",
        status=NoticeStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    notice.petitions.add(petition)
    Supervision.objects.create(
        unit=world.ward_a,
        petition=petition,
        subject="Việc thay bóng đèn",
        finding="met",
        supervisor=world.fiona,
        recommendation="Duy trì kiểm tra định kỳ",
    )
    services.record_verdict(petition=petition, verdict=Verdict.RESOLVED, rating=5, comment="Cảm ơn phường")
    response = open_as(client, world.alice, detail(petition))
    actions = [e.action for e in response.context["timeline"]]
    assert actions == ["submitted", "accepted", "assigned", "answered", "notice", "supervision", "verdict", "resolved"]
    html = response.content.decode()
    assert "125/UBND-KT" in html and "12-TB/ĐU" in html and "Duy trì kiểm tra định kỳ" in html
    answer = Answer.objects.get(petition=petition)
    assert reverse("petitions:answer_evidence", args=[answer.pk]) in html


def test_detail_query_count_does_not_grow_with_the_history(client, world, petition_a):
    client.force_login(world.alice)
    client.get(detail(petition_a))

    def count(petition):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(detail(petition)).status_code == 200
        return len(ctx)

    short = count(petition_a)
    long = answered(world, world.ward_a, world.alice, world.land_a)
    services.record_verdict(petition=long, verdict=Verdict.NOT_RESOLVED, comment="Chưa xong")
    services.extend_deadline(
        petition=long, new_due_on=long.due_on + datetime.timedelta(days=30), reason="Chờ vật tư", by=world.alice
    )
    for i in range(3):
        PetitionAttachment.objects.create(
            petition=long, file=pdf_upload(), original_name=f"{i}.pdf", content_type="application/pdf", size=10
        )
    assert count(long) == short
    assert short <= 20


# --- Files ----------------------------------------------------------------------------------


def test_attachment_downloads_only_in_scope(client, world, petition_b):
    attachment = petition_b.attachments.get()
    url = reverse("petitions:attachment_download", args=[attachment.pk])
    assert open_as(client, world.alice, url).status_code == 404
    assert open_as(client, world.stranger, url).status_code == 404
    response = open_as(client, world.bob, url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_answer_evidence_downloads_only_in_scope(client, world):
    petition = answered(world, world.ward_a, world.alice, world.land_a)
    url = reverse("petitions:answer_evidence", args=[petition.answers.get().pk])
    assert open_as(client, world.bob, url).status_code == 404
    assert open_as(client, world.hana, url).status_code == 200
    assert open_as(client, world.sam, url).status_code == 200


def test_file_downloads_are_attachments_never_sniffed_nor_cached(client, world, petition_b):
    attachment = petition_b.attachments.get()
    response = open_as(client, world.bob, reverse("petitions:attachment_download", args=[attachment.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    petition = answered(world, world.ward_a, world.alice, world.land_a)
    response = open_as(client, world.hana, reverse("petitions:answer_evidence", args=[petition.answers.get().pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
