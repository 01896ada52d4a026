"""Following a petition by its code: the public timeline, the evidence, the verdict; no enumeration."""

import datetime
import re

import pytest
from django.urls import reverse

from petitions import codes
from petitions.models import Petition, PetitionStatus
from petitions.services import reject_petition
from tests import factories as f

TRACK = reverse("citizens:track")


def detail(code):
    return reverse("citizens:track_detail", args=[code])


def scrub(html: str) -> str:
    """Remove what differs between two renderings of the same page whatever the code: the CSRF token and
    the language switch's return address (the page's own address)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'name="next" type="hidden" value="[^"]*"', "", html)


def test_tracking_codes_have_at_least_40_bits_from_an_unambiguous_alphabet():
    import math

    assert len(set(codes.ALPHABET)) == 32 and not set("ILOU") & set(codes.ALPHABET)
    assert codes.LENGTH * math.log2(len(codes.ALPHABET)) >= 40
    drawn = {codes.new_tracking_code() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(len(c) == codes.LENGTH and set(c) <= set(codes.ALPHABET) for c in drawn)


def test_code_typed_loosely_finds_the_petition(client, submitted):
    petition = submitted()
    typed = f" {petition.tracking_code[:5].lower()} - {petition.tracking_code[5:]} "
    response = client.get(TRACK, {"code": typed})
    assert response.status_code == 302 and response["Location"] == detail(petition.tracking_code)
    # A non-canonical address redirects to the canonical one.
    assert client.get(detail(petition.display_code))["Location"] == detail(petition.tracking_code)


def test_unknown_and_malformed_codes_get_the_same_not_found_page(client, submitted):
    petition = submitted()
    unknown = "0" * 10 if petition.tracking_code != "0" * 10 else "1" * 10
    pages = [
        client.get(TRACK, {"code": unknown}),
        client.get(TRACK, {"code": "ZZZZZZZZZZ"}),
        client.get(TRACK, {"code": "not a code at all"}),
        client.get(TRACK, {"code": ""}),
        client.get(detail(unknown)),
        client.get(detail("abc")),
    ]
    assert {p.status_code for p in pages} == {404}
    bodies = {scrub(p.content.decode()) for p in pages}
    assert len(bodies) == 1
    assert "not a code at all" not in bodies.pop()


def test_timeline_shows_public_steps_answer_and_evidence(client, world, submitted, answered):
    petition = submitted()
    answer = answered(petition)
    response = client.get(detail(petition.tracking_code))
    assert response.status_code == 200
    titles = [str(step.title) for step in response.context["steps"]]
    assert titles == [
        "Received",
        "Accepted by the ward",
        "Assigned to Phòng Kinh tế - Hạ tầng phường An",
        "Answered in writing",
    ]
    body = response.content.decode()
    assert "123/UBND-KT" in body and "20/11/2026" in body
    evidence_url = reverse("citizens:answer_evidence", args=[petition.tracking_code, answer.pk])
    assert evidence_url in body
    download = client.get(evidence_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert response.context["can_verdict"]


def test_evidence_is_served_only_for_the_petitions_own_answer(client, world, submitted, answered):
    first, second = submitted(), submitted(title="Khác")
    answer = answered(first)
    answered(second)
    assert client.get(reverse("citizens:answer_evidence", args=[second.tracking_code, answer.pk])).status_code == 404
    assert client.get(reverse("citizens:answer_evidence", args=["0000000000", answer.pk])).status_code == 404


def test_evidence_of_an_answer_without_a_file_is_404(client, world, submitted, answered):
    petition = submitted()
    answer = answered(petition, evidence=False)
    url = reverse("citizens:answer_evidence", args=[petition.tracking_code, answer.pk])
    assert client.get(url).status_code == 404


def test_verdict_resolved_closes_the_petition(client, world, submitted, answered):
    petition = submitted()
    answered(petition)
    url = reverse("citizens:verdict", args=[petition.tracking_code])
    response = client.post(url, {"verdict": "resolved", "rating": "5", "comment": "Cảm ơn phường"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RESOLVED and petition.rating == 5
    page = client.get(detail(petition.tracking_code))
    assert not page.context["can_verdict"]
    # A second verdict on the same answer is refused without an error page.
    again = client.post(url, {"verdict": "not_resolved"})
    assert again.status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RESOLVED


def test_verdict_not_resolved_reopens_the_petition(client, world, submitted, answered):
    petition = submitted()
    answered(petition)
    client.post(reverse("citizens:verdict", args=[petition.tracking_code]), {"verdict": "not_resolved", "rating": "1"})
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.IN_PROGRESS and petition.reopened_count == 1
    titles = [str(s.title) for s in client.get(detail(petition.tracking_code)).context["steps"]]
    assert titles[-2:] == ["You said it was not resolved", "Reopened: being handled again"]


def test_verdict_before_an_answer_is_refused(client, world, submitted):
    petition = submitted()
    response = client.post(reverse("citizens:verdict", args=[petition.tracking_code]), {"verdict": "resolved"})
    assert response.status_code == 302
    assert Petition.objects.get(pk=petition.pk).verdict == ""


def test_invalid_verdict_form_shows_errors_not_a_500(client, world, submitted, answered):
    petition = submitted()
    answered(petition)
    response = client.post(
        reverse("citizens:verdict", args=[petition.tracking_code]), {"verdict": "maybe", "rating": "9"}
    )
    assert response.status_code == 200
    assert set(response.context["verdict_form"].errors) == {"verdict", "rating"}


@pytest.mark.parametrize("reason", ["complaint", "denunciation"])
def test_routed_out_petition_shows_only_the_guidance(client, world, submitted, reason):
    petition = submitted(title="Khiếu nại quyết định thu hồi đất", content="Nội dung khiếu nại chi tiết")
    reject_petition(petition=petition, reason=reason, by=world.alice)
    body = client.get(detail(petition.tracking_code)).content.decode()
    assert "Khiếu nại quyết định thu hồi đất" not in body and "Nội dung khiếu nại" not in body
    assert "Law on" in body


def test_conference_opinion_that_is_a_complaint_shows_only_the_guidance(client, world):
    conference = f.ConferenceFactory(unit=world.ward_a, status="held", held_on=datetime.date(2026, 11, 1))
    from petitions.services import record_conference_opinion

    petition = record_conference_opinion(
        conference=conference,
        kind="to_cao",
        category=world.category,
        title="Tố cáo cán bộ X",
        content="Nội dung tố cáo",
        by=world.alice,
    )
    body = client.get(detail(petition.tracking_code)).content.decode()
    assert "Tố cáo cán bộ X" not in body and "Law on Denunciations" in body


def test_notice_publication_appears_on_the_timeline(client, world, submitted, answered):
    from followup.services import approve_notice, publish_notice

    petition = submitted()
    answered(petition)
    notice = f.NoticeFactory(unit=world.ward_a, number="12/TB-UBND", issued_on="2026-11-22")
    notice.petitions.add(petition)
    approve_notice(notice=notice, by=world.chris)
    publish_notice(notice=notice, by=world.chris)
    response = client.get(detail(petition.tracking_code))
    assert [s.notice for s in response.context["steps"] if s.notice] == [notice]
    assert reverse("citizens:notice_detail", args=[notice.pk]) in response.content.decode()


def test_tracking_page_query_count_does_not_grow_with_the_history(
    client, world, submitted, answered, django_assert_max_num_queries
):
    from petitions.services import extend_deadline

    petition = submitted()
    with django_assert_max_num_queries(20) as short:
        client.get(detail(petition.tracking_code))
    answered(petition)
    long = submitted(title="B")
    from petitions.services import accept_petition, assign_petition

    accept_petition(petition=long, by=world.alice)
    assign_petition(petition=long, organisation=world.land_a, by=world.alice)
    long.refresh_from_db()
    import datetime

    for days in range(1, 30):
        extend_deadline(
            petition=long, new_due_on=long.due_on + datetime.timedelta(days=days), reason="Cần khảo sát", by=world.alice
        )
    with django_assert_max_num_queries(len(short.captured_queries)):
        client.get(detail(long.tracking_code))


def test_deadline_is_the_acknowledgement_while_awaiting_acceptance_then_the_answer(client, world, submitted):
    from petitions.services import accept_petition

    petition = submitted()
    assert petition.status == PetitionStatus.SUBMITTED and petition.due_on == petition.acknowledgement_due_on
    body = client.get(detail(petition.tracking_code)).content.decode()
    assert f"Acknowledgement due by {petition.acknowledgement_due_on:%d/%m/%Y}." in body
    assert "Answer due" not in body
    accept_petition(petition=petition, by=world.alice)
    petition.refresh_from_db()
    body = client.get(detail(petition.tracking_code)).content.decode()
    assert f"Answer due by {petition.due_on:%d/%m/%Y}." in body
    assert "Acknowledgement due" not in body


def test_deadline_label_in_vietnamese(vi_client, world, submitted):
    from django.utils import translation

    petition = submitted()
    body = vi_client.get(detail(petition.tracking_code)).content.decode()
    with translation.override("vi"):
        expected = translation.gettext("Acknowledgement due by %(date)s.") % {
            "date": f"{petition.acknowledgement_due_on:%d/%m/%Y}"
        }
    assert expected in body
