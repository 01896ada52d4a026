"""The officials' follow-up pages, persona by persona.

alice (official of ward A) drafts; chris (chair of ward A) approves and publishes; bob (ward B)
gets 404 for everything of ward A and sees none of it in lists; fiona (Front supervisor of the
district) records findings; sam (supervisor of the district) sees both wards and records
commendations; a stranger sees nothing.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences.models import ConferenceStatus
from followup import services
from followup.models import Commendation, FollowUpNotice, NoticeStatus, Supervision
from petitions.models import PetitionStatus
from tests import factories as f
from tests.followup.conftest import make_held_conference

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def as_user(client, user):
    client.force_login(user)
    return client


def url(name, *args):
    return reverse(f"followup:{name}", args=args)


def text(response):
    return response.content.decode()


def count_queries(client, path):
    client.get(path)  # the first request of a session writes the session; measure the next one
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


NOTICE_PAGES = ["notice_detail", "notice_edit", "notice_approve", "notice_return", "notice_publish", "notice_posting"]


# --- Sign-in ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [("notice_list", ()), ("conferences_without_notice", ()), ("supervision_list", ()), ("commendation_list", ())],
)
def test_anonymous_visitor_is_sent_to_sign_in(client, name, args):
    response = client.get(url(name, *args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Notices: scope --------------------------------------------------------------------------


@pytest.mark.parametrize("name", NOTICE_PAGES)
def test_ward_b_official_gets_404_for_every_ward_a_notice_page(client, world, draft_notice, name):
    as_user(client, world.bob)
    assert client.get(url(name, draft_notice.pk)).status_code == 404
    if name != "notice_detail":
        assert client.post(url(name, draft_notice.pk), {"posted_at": "x", "note": "x"}).status_code == 404
    draft_notice.refresh_from_db()
    assert draft_notice.status == NoticeStatus.DRAFT


def test_ward_b_official_cannot_draft_a_notice_for_a_ward_a_conference(client, world, held_conference):
    as_user(client, world.bob)
    assert client.post(url("notice_create_from_conference", held_conference.pk)).status_code == 404
    assert not FollowUpNotice.objects.exists()


def test_ward_b_official_sees_no_ward_a_record_in_any_list(client, world, draft_notice, held_conference, notice_b):
    make_held_conference(world.ward_a, by=world.alice)
    f.SupervisionFactory(unit=world.ward_a, conclusion_item=held_conference.conclusions.get(), subject="Giám sát An")
    f.SupervisionFactory(unit=world.ward_b, petition=f.PetitionFactory(unit=world.ward_b), subject="Giám sát Bình")
    Commendation.objects.create(unit=world.ward_a, kind="collective", recipient="Phường An", reason="x", year=2026)
    as_user(client, world.bob)
    notices = text(client.get(url("notice_list")))
    assert f'href="{url("notice_detail", draft_notice.pk)}"' not in notices
    assert f'href="{url("notice_detail", notice_b.pk)}"' in notices
    without = text(client.get(url("conferences_without_notice")))
    assert held_conference.title not in without and "Phường An" not in without
    supervision = text(client.get(url("supervision_list")))
    assert "Giám sát An" not in supervision and "Giám sát Bình" in supervision
    assert "Phường An" not in text(client.get(url("commendation_list")))


def test_a_unit_outside_scope_in_the_filter_shows_nothing(client, world, draft_notice):
    as_user(client, world.bob)
    response = client.get(url("notice_list"), {"unit": world.ward_a.pk})
    assert f'href="{url("notice_detail", draft_notice.pk)}"' not in text(response)


def test_supervisor_of_the_district_sees_both_wards(client, world, draft_notice, notice_b):
    as_user(client, world.sam)
    page = text(client.get(url("notice_list")))
    assert f'href="{url("notice_detail", draft_notice.pk)}"' in page
    assert f'href="{url("notice_detail", notice_b.pk)}"' in page
    assert client.get(url("notice_detail", notice_b.pk)).status_code == 200
    filtered = text(client.get(url("notice_list"), {"unit": world.ward_b.pk}))
    assert f'href="{url("notice_detail", draft_notice.pk)}"' not in filtered


def test_stranger_sees_no_notice(client, world, draft_notice):
    as_user(client, world.stranger)
    assert f'href="{url("notice_detail", draft_notice.pk)}"' not in text(client.get(url("notice_list")))
    assert client.get(url("notice_detail", draft_notice.pk)).status_code == 404


# --- Notices: the journey --------------------------------------------------------------------


def test_ward_official_drafts_a_notice_from_a_held_conference(client, world, held_conference):
    as_user(client, world.alice)
    response = client.post(url("notice_create_from_conference", held_conference.pk), REMOTE_ADDR="10.1.1.1")
    notice = FollowUpNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == url("notice_edit", notice.pk)
    assert notice.conference == held_conference and notice.status == NoticeStatus.DRAFT
    # A second click opens the draft instead of making another.
    again = client.post(url("notice_create_from_conference", held_conference.pk))
    assert again["Location"] == url("notice_detail", notice.pk)
    assert FollowUpNotice.objects.count() == 1


def test_drafting_needs_a_held_conference(client, world):
    conference = f.ConferenceFactory(unit=world.ward_a)
    as_user(client, world.alice)
    response = client.post(url("notice_create_from_conference", conference.pk), follow=True)
    assert not FollowUpNotice.objects.exists()
    assert "held" in text(response)


def test_drafting_is_a_post(client, world, held_conference):
    as_user(client, world.alice)
    assert client.get(url("notice_create_from_conference", held_conference.pk)).status_code == 405


def test_handling_officer_cannot_draft_a_notice(client, world, held_conference):
    as_user(client, world.hana)
    assert client.post(url("notice_create_from_conference", held_conference.pk)).status_code == 403


def test_ward_official_edits_the_draft(client, world, draft_notice, held_conference):
    item = held_conference.conclusions.get()
    as_user(client, world.alice)
    form = client.get(url("notice_edit", draft_notice.pk))
    assert form.status_code == 200 and "Kết luận 1" in text(form)
    response = client.post(
        url("notice_edit", draft_notice.pk),
        {
            "number": "15-TB/ĐU",
            "issued_on": TODAY().strftime("%d/%m/%Y"),
            "title": "Thông báo kết luận hội nghị",
            "text": "Nội dung đã sửa",
            "conclusion_items": [item.pk],
        },
    )
    assert response.status_code == 302
    draft_notice.refresh_from_db()
    assert (draft_notice.number, draft_notice.issued_on, draft_notice.text) == ("15-TB/ĐU", TODAY(), "Nội dung đã sửa")
    assert list(draft_notice.conclusion_items.all()) == [item] and not draft_notice.petitions.exists()


def test_rejected_edit_keeps_the_input(client, world, draft_notice, held_conference):
    as_user(client, world.alice)
    before = held_conference.held_on - datetime.timedelta(days=1)
    response = client.post(
        url("notice_edit", draft_notice.pk),
        {"number": "16-TB/ĐU", "issued_on": before.isoformat(), "title": "Tiêu đề giữ lại", "text": "Văn bản"},
    )
    assert response.status_code == 200
    assert "Tiêu đề giữ lại" in text(response) and "16-TB/ĐU" in text(response)
    assert response.context["form"].errors["issued_on"]
    draft_notice.refresh_from_db()
    assert draft_notice.number == ""


def test_an_approved_notice_is_not_editable(client, world, approved_notice):
    as_user(client, world.alice)
    response = client.post(url("notice_edit", approved_notice.pk), {"title": "x", "text": "y"})
    assert response.status_code == 302 and response["Location"] == url("notice_detail", approved_notice.pk)
    approved_notice.refresh_from_db()
    assert approved_notice.title != "x"


def test_ward_official_cannot_approve_or_publish(client, world, numbered_notice):
    as_user(client, world.alice)
    assert client.get(url("notice_approve", numbered_notice.pk)).status_code == 403
    assert client.post(url("notice_approve", numbered_notice.pk)).status_code == 403
    assert client.post(url("notice_publish", numbered_notice.pk)).status_code == 403
    numbered_notice.refresh_from_db()
    assert numbered_notice.status == NoticeStatus.DRAFT


def test_chair_approves_after_confirming(client, world, numbered_notice):
    as_user(client, world.chris)
    confirm = client.get(url("notice_approve", numbered_notice.pk))
    assert confirm.status_code == 200
    numbered_notice.refresh_from_db()
    assert numbered_notice.status == NoticeStatus.DRAFT
    response = client.post(url("notice_approve", numbered_notice.pk))
    assert response["Location"] == url("notice_detail", numbered_notice.pk)
    numbered_notice.refresh_from_db()
    assert (numbered_notice.status, numbered_notice.approved_by) == (NoticeStatus.APPROVED, world.chris)


def test_approving_without_a_number_shows_why(client, world, draft_notice):
    as_user(client, world.chris)
    response = client.post(url("notice_approve", draft_notice.pk))
    assert response.status_code == 200 and "number" in text(response)
    draft_notice.refresh_from_db()
    assert draft_notice.status == NoticeStatus.DRAFT


def test_chair_publishes_with_where_it_was_posted(client, world, approved_notice, held_conference):
    as_user(client, world.chris)
    confirm = client.get(url("notice_publish", approved_notice.pk))
    assert 'name="posted_at"' in text(confirm)
    client.post(
        url("notice_publish", approved_notice.pk), {"posted_at": "Bảng tin UBND phường"}, REMOTE_ADDR="10.2.2.2"
    )
    approved_notice.refresh_from_db()
    held_conference.refresh_from_db()
    assert approved_notice.status == NoticeStatus.PUBLISHED
    assert approved_notice.posted_at == "Bảng tin UBND phường"
    assert held_conference.status == ConferenceStatus.CONCLUDED
    from audit.models import AuditEvent

    assert AuditEvent.objects.for_object(approved_notice).last().ip_address == "10.2.2.2"


def test_publishing_a_draft_is_refused_with_a_message(client, world, numbered_notice):
    as_user(client, world.chris)
    response = client.post(url("notice_publish", numbered_notice.pk), {"posted_at": "Loa"})
    assert response.status_code == 200 and 'role="alert"' in text(response)
    assert "Loa" in text(response)  # the input is kept
    numbered_notice.refresh_from_db()
    assert numbered_notice.status == NoticeStatus.DRAFT


def test_chair_returns_an_approved_notice_to_draft(client, world, approved_notice):
    as_user(client, world.chris)
    client.post(url("notice_return", approved_notice.pk), {"note": "Bổ sung kết luận 2"})
    approved_notice.refresh_from_db()
    assert approved_notice.status == NoticeStatus.DRAFT


def test_posting_is_recorded_after_publication(client, world, approved_notice):
    as_user(client, world.alice)
    assert client.get(url("notice_posting", approved_notice.pk)).status_code == 403
    services.publish_notice(notice=approved_notice, by=world.chris)
    response = client.post(url("notice_posting", approved_notice.pk), {"posted_at": "Loa phát thanh tổ dân phố"})
    assert response.status_code == 302
    approved_notice.refresh_from_db()
    assert approved_notice.posted_at == "Loa phát thanh tổ dân phố"


def test_empty_posting_is_refused_and_kept(client, world, approved_notice):
    services.publish_notice(notice=approved_notice, by=world.chris, posted_at="Bảng tin")
    as_user(client, world.alice)
    response = client.post(url("notice_posting", approved_notice.pk), {"posted_at": ""})
    assert response.status_code == 200 and response.context["form"].errors
    approved_notice.refresh_from_db()
    assert approved_notice.posted_at == "Bảng tin"


def test_notice_page_counts_the_days_left(client, world, draft_notice, held_conference):
    as_user(client, world.alice)
    client.cookies["django_language"] = "en"
    page = text(client.get(url("notice_detail", draft_notice.pk)))
    due = held_conference.held_on + datetime.timedelta(days=10)
    assert draft_notice.due_on == due and due.strftime("%d/%m/%Y") in page
    assert "7 days left" in page


def test_late_notice_is_marked_late_in_the_list(client, world):
    conference = make_held_conference(world.ward_a, by=world.alice, held_days_ago=15)
    late = services.draft_notice_from_conference(conference=conference, by=world.alice)
    on_time = services.draft_notice_from_conference(
        conference=make_held_conference(world.ward_a, by=world.alice), by=world.alice
    )
    as_user(client, world.alice)
    client.cookies["django_language"] = "en"
    page = text(client.get(url("notice_list")))
    assert "5 days late" in page
    late_only = text(client.get(url("notice_list"), {"late": "true"}))
    assert f'href="{url("notice_detail", late.pk)}"' in late_only
    assert f'href="{url("notice_detail", on_time.pk)}"' not in late_only


def test_notice_list_filters_by_status_and_year(client, world, approved_notice, notice_b):
    as_user(client, world.sam)
    approved = text(client.get(url("notice_list"), {"status": "approved"}))
    assert f'href="{url("notice_detail", approved_notice.pk)}"' in approved
    assert f'href="{url("notice_detail", notice_b.pk)}"' not in approved
    this_year = text(client.get(url("notice_list"), {"year": TODAY().year}))
    assert f'href="{url("notice_detail", notice_b.pk)}"' in this_year
    last_year = text(client.get(url("notice_list"), {"year": TODAY().year - 1}))
    assert f'href="{url("notice_detail", notice_b.pk)}"' not in last_year


def test_conferences_without_notice_show_days_since_held_and_deadline(client, world):
    conference = make_held_conference(world.ward_a, by=world.alice, held_days_ago=4)
    as_user(client, world.alice)
    client.cookies["django_language"] = "en"
    page = text(client.get(url("conferences_without_notice")))
    assert conference.title in page and "4 days ago" in page and "6 days left" in page
    assert url("notice_create_from_conference", conference.pk) in page


# --- Front supervision -----------------------------------------------------------------------


def test_front_supervisor_records_a_finding_on_a_conclusion_item(client, world, held_conference):
    item = held_conference.conclusions.get()
    as_user(client, world.fiona)
    form = client.get(url("supervision_create"), {"conclusion_item": item.pk})
    assert form.status_code == 200 and "Kết luận 1" in text(form)
    recheck = TODAY() + datetime.timedelta(days=14)
    response = client.post(
        f"{url('supervision_create')}?conclusion_item={item.pk}",
        {
            "subject": "Việc xử lý vi phạm trật tự xây dựng",
            "finding": "not_met",
            "recommendation": "Đề nghị xử lý dứt điểm trước 31/12",
            "recheck_on": recheck.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    supervision = Supervision.objects.get()
    assert (supervision.unit, supervision.conclusion_item, supervision.supervisor) == (world.ward_a, item, world.fiona)
    assert (supervision.finding, supervision.recheck_on, supervision.organisation) == ("not_met", recheck, world.front)


def test_front_supervisor_records_a_finding_on_a_petition(client, world):
    petition = f.PetitionFactory(unit=world.ward_a)
    as_user(client, world.fiona)
    client.post(f"{url('supervision_create')}?petition={petition.pk}", {"subject": "Trả lời", "finding": "met"})
    assert Supervision.objects.get().petition == petition


def test_not_met_without_recommendation_keeps_the_input(client, world, held_conference):
    item = held_conference.conclusions.get()
    as_user(client, world.fiona)
    response = client.post(
        f"{url('supervision_create')}?conclusion_item={item.pk}",
        {"subject": "Chủ đề giữ lại", "finding": "not_met", "recommendation": ""},
    )
    assert response.status_code == 200 and response.context["form"].errors["recommendation"]
    assert "Chủ đề giữ lại" in text(response)
    assert not Supervision.objects.exists()


def test_recheck_date_in_the_past_is_refused(client, world, held_conference):
    item = held_conference.conclusions.get()
    as_user(client, world.fiona)
    response = client.post(
        f"{url('supervision_create')}?conclusion_item={item.pk}",
        {"subject": "x", "finding": "met", "recheck_on": (TODAY() - datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200 and response.context["form"].errors["recheck_on"]
    assert not Supervision.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "chris", "hana"])
def test_the_units_own_people_do_not_record_findings(client, world, held_conference, persona):
    item = held_conference.conclusions.get()
    as_user(client, getattr(world, persona))
    assert client.get(url("supervision_create"), {"conclusion_item": item.pk}).status_code == 403
    response = client.post(f"{url('supervision_create')}?conclusion_item={item.pk}", {"subject": "x", "finding": "met"})
    assert response.status_code == 403
    assert not Supervision.objects.exists()


def test_ward_b_official_gets_404_for_ward_a_supervision_subjects(client, world, held_conference):
    item = held_conference.conclusions.get()
    petition = f.PetitionFactory(unit=world.ward_a)
    supervision = f.SupervisionFactory(unit=world.ward_a, petition=petition, recheck_on=TODAY())
    as_user(client, world.bob)
    assert client.get(url("supervision_create"), {"conclusion_item": item.pk}).status_code == 404
    assert client.get(url("supervision_create"), {"petition": petition.pk}).status_code == 404
    assert client.post(url("supervision_recheck", supervision.pk)).status_code == 404


def test_garbage_subject_id_is_404(client, world):
    as_user(client, world.fiona)
    assert client.get(url("supervision_create"), {"petition": "abc"}).status_code == 404


def test_unit_officials_read_their_findings_without_the_supervision_worklist(client, world, held_conference):
    f.SupervisionFactory(
        unit=world.ward_a, conclusion_item=held_conference.conclusions.get(), subject="Giám sát kết luận 1"
    )
    as_user(client, world.alice)
    response = client.get(url("supervision_list"))
    assert "Giám sát kết luận 1" in text(response)
    assert "work_page" not in response.context
    assert url("supervision_create") not in text(response)


def test_front_supervisor_worklist_filters(client, world, held_conference):
    open_item = held_conference.conclusions.get()
    late_item = f.ConclusionItemFactory(
        conference=held_conference, number=9, text="Kết luận quá hạn", deadline=TODAY() - datetime.timedelta(days=2)
    )
    answered = f.PetitionFactory(unit=world.ward_a, title="Đã trả lời bằng văn bản", status=PetitionStatus.ANSWERED)
    overdue = f.PetitionFactory(
        unit=world.ward_a,
        title="Quá hạn trả lời",
        status=PetitionStatus.IN_PROGRESS,
        due_on=TODAY() - datetime.timedelta(days=1),
    )
    f.PetitionFactory(unit=world.city, title="Ngoài phạm vi", status=PetitionStatus.ANSWERED)
    as_user(client, world.fiona)

    def shown(show):
        return text(client.get(url("supervision_list"), {"show": show}))

    assert open_item.text in shown("open_items") and "Kết luận quá hạn" in shown("open_items")
    assert "Kết luận quá hạn" in shown("items_overdue") and open_item.text not in shown("items_overdue")
    page = shown("petitions_answered")
    assert answered.title in page and overdue.title not in page and "Ngoài phạm vi" not in page
    page = shown("petitions_overdue")
    assert overdue.title in page and answered.title not in page
    assert late_item.pk


def test_front_supervisor_marks_a_finding_rechecked(client, world):
    supervision = f.SupervisionFactory(
        unit=world.ward_a, petition=f.PetitionFactory(unit=world.ward_a), recheck_on=TODAY(), supervisor=world.fiona
    )
    as_user(client, world.alice)
    assert client.post(url("supervision_recheck", supervision.pk)).status_code == 403
    as_user(client, world.fiona)
    assert client.get(url("supervision_recheck", supervision.pk)).status_code == 200
    assert client.post(url("supervision_recheck", supervision.pk)).status_code == 302
    supervision.refresh_from_db()
    assert supervision.rechecked_at is not None


# --- Commendations ---------------------------------------------------------------------------


def test_supervising_official_records_a_commendation(client, world):
    as_user(client, world.sam)
    assert client.get(url("commendation_create")).status_code == 200
    response = client.post(
        url("commendation_create"),
        {
            "unit": world.ward_a.pk,
            "kind": "collective",
            "recipient": "UBND phường An",
            "reason": "Tổ chức đủ hội nghị đối thoại",
            "year": 2026,
            "decision_number": "15/QĐ-UBND",
        },
    )
    assert response.status_code == 302
    assert Commendation.objects.get().recipient == "UBND phường An"


@pytest.mark.parametrize("persona", ["alice", "chris", "fiona", "bob"])
def test_only_supervising_officials_record_commendations(client, world, persona):
    as_user(client, getattr(world, persona))
    assert client.get(url("commendation_create")).status_code == 403
    assert not Commendation.objects.exists()


def test_commendation_list_filters_by_year_and_unit(client, world):
    Commendation.objects.create(unit=world.ward_a, kind="collective", recipient="Phường An 2025", reason="x", year=2025)
    Commendation.objects.create(unit=world.ward_b, kind="individual", recipient="Ông Bình 2026", reason="x", year=2026)
    as_user(client, world.sam)
    page = text(client.get(url("commendation_list"), {"year": 2026}))
    assert "Ông Bình 2026" in page and "Phường An 2025" not in page
    page = text(client.get(url("commendation_list"), {"unit": world.ward_a.pk}))
    assert "Phường An 2025" in page and "Ông Bình 2026" not in page
    as_user(client, world.alice)
    page = text(client.get(url("commendation_list")))
    assert "Phường An 2025" in page and "Ông Bình 2026" not in page


# --- Query counts: 1 row and 50 rows, same number of queries ---------------------------------


def test_notice_list_query_count_does_not_grow(client, world):
    as_user(client, world.sam)
    f.NoticeFactory(unit=world.ward_a, due_on=TODAY())
    one = count_queries(client, url("notice_list"))
    f.NoticeFactory.create_batch(49, unit=world.ward_b, due_on=TODAY())
    assert count_queries(client, url("notice_list")) == one


def test_conferences_without_notice_query_count_does_not_grow(client, world):
    as_user(client, world.sam)
    make_held_conference(world.ward_a, by=world.alice, items=0, petitions=0)
    one = count_queries(client, url("conferences_without_notice"))
    for n in range(49):
        ward, official = (world.ward_b, world.bob) if n % 2 else (world.ward_a, world.alice)
        make_held_conference(ward, by=official, items=0, petitions=0)
    conference = make_held_conference(world.ward_a, by=world.alice, items=0, petitions=0)
    services.draft_notice_from_conference(conference=conference, by=world.alice)
    assert count_queries(client, url("conferences_without_notice")) == one


@pytest.mark.parametrize("show", ["open_items", "petitions_overdue"])
def test_supervision_list_query_count_does_not_grow(client, world, show):
    conference = make_held_conference(world.ward_a, by=world.alice, items=0, petitions=0)

    def add_rows(n):
        for _ in range(n):
            item = f.ConclusionItemFactory(conference=conference)
            petition = f.PetitionFactory(
                unit=world.ward_a, status=PetitionStatus.IN_PROGRESS, due_on=TODAY() - datetime.timedelta(days=3)
            )
            f.SupervisionFactory(unit=world.ward_a, conclusion_item=item, supervisor=world.fiona)
            f.SupervisionFactory(unit=world.ward_a, petition=petition, recheck_on=TODAY(), supervisor=world.fiona)

    as_user(client, world.fiona)
    add_rows(1)
    path = f"{url('supervision_list')}?show={show}"
    one = count_queries(client, path)
    add_rows(49)
    assert count_queries(client, path) == one


def test_commendation_list_query_count_does_not_grow(client, world):
    as_user(client, world.sam)
    Commendation.objects.create(unit=world.ward_a, kind="collective", recipient="A", reason="x", year=2026)
    one = count_queries(client, url("commendation_list"))
    for n in range(49):
        Commendation.objects.create(unit=world.ward_b, kind="individual", recipient=f"B{n}", reason="x", year=2026)
    assert count_queries(client, url("commendation_list")) == one
