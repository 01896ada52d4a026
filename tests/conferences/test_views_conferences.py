"""Conference pages and actions: alice runs ward A's conferences; bob gets 404 for all of them;
sam (supervisor) sees both wards; fiona (Front) reads but cannot act; the stranger sees nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conferences import services
from conferences.models import (
    ConclusionItem,
    Conference,
    ConferenceAttachment,
    ConferenceStatus,
    MinutesStatus,
    PlanStatus,
)
from tests import factories as f
from tests.petitions.conftest import PDF_BYTES

# Session, user, scope (memberships, subtree, successions), count, page, unit choices, units one may manage
# (the matrix reads the memberships already cached for the scope).
CONFERENCE_LIST_QUERIES = 10
# Session, user, scope (memberships, subtree, successions), the month's conferences.
CALENDAR_QUERIES = 6


def url(name, *args):
    return reverse(f"conferences:{name}", args=args)


def today_str(delta=0):
    return (timezone.localdate() + datetime.timedelta(days=delta)).strftime("%d/%m/%Y")


def events(conference):
    return list(AuditEvent.objects.for_object(conference).values_list("action", "ip_address"))


# --- Lists and calendar -----------------------------------------------------------------------


def listed(c, **params):
    return {conf.pk for conf in c.get(url("conference_list"), params).context["conferences"]}


def test_conference_list_is_scoped(world, login, conference_a, conference_b):
    assert listed(login(world.alice)) == {conference_a.pk}
    assert listed(login(world.bob)) == {conference_b.pk}
    assert listed(login(world.sam)) == {conference_a.pk, conference_b.pk}
    assert listed(login(world.fiona)) == {conference_a.pk, conference_b.pk}
    assert listed(login(world.stranger)) == set()


def test_bob_cannot_filter_his_way_to_ward_a(world, login, conference_a, conference_b):
    c = login(world.bob)
    response = c.get(url("conference_list"), {"unit": world.ward_a.pk})
    assert set(response.context["conferences"]) == set()
    assert "unit" in response.context["filter"].form.errors
    assert listed(c, status="planned") == {conference_b.pk}
    assert conference_a.title not in c.get(url("conference_list"), {"status": "planned"}).content.decode()


def test_filters(world, login, conference_a, conference_b):
    adhoc = f.ConferenceFactory(
        unit=world.ward_a, kind="adhoc", format="thematic", planned_start=timezone.now() - datetime.timedelta(days=400)
    )
    c = login(world.sam)
    assert listed(c, unit=world.ward_a.pk) == {conference_a.pk, adhoc.pk}
    assert listed(c, kind="adhoc") == {adhoc.pk}
    assert listed(c, format="thematic") == {adhoc.pk}
    assert listed(c, year=timezone.localtime(adhoc.planned_start).year) == {adhoc.pk}
    assert listed(c, date_from=today_str(), status="planned") == {conference_a.pk, conference_b.pk}
    assert listed(c, date_to=today_str(-300)) == {adhoc.pk}
    assert listed(c, status="held") == set()


def test_held_and_upcoming_filters_match_the_dashboard_and_reports(world, login, conference_a, held_a):
    last_year = f.ConferenceFactory(
        unit=world.ward_a,
        status=ConferenceStatus.CLOSED,
        planned_start=timezone.now() - datetime.timedelta(days=400),
        held_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    f.ConferenceFactory(unit=world.ward_a, status=ConferenceStatus.CANCELLED)
    c = login(world.alice)
    assert listed(c, held=1) == {held_a.pk, last_year.pk}
    # With "held", the dates are the days they were held.
    assert listed(c, held=1, date_from=today_str(-2), date_to=today_str()) == {held_a.pk}
    assert listed(c, upcoming=1, date_from=today_str(), date_to=today_str(30)) == {conference_a.pk}


@pytest.mark.parametrize("rows", [1, 50])
def test_conference_list_queries_do_not_grow_with_rows(world, login, django_assert_num_queries, rows):
    for i in range(rows):
        f.ConferenceFactory(unit=world.ward_a if i % 2 else world.ward_b)
    c = login(world.sam)
    c.get(url("conference_list"))
    with django_assert_num_queries(CONFERENCE_LIST_QUERIES):
        response = c.get(url("conference_list"), {"status": "planned"})
    assert len(response.context["conferences"]) == min(rows, 25)


@pytest.mark.parametrize("rows", [1, 50])
def test_calendar_queries_do_not_grow_with_rows(world, login, django_assert_num_queries, rows):
    start = timezone.now().replace(day=1, hour=8)
    for i in range(rows):
        f.ConferenceFactory(
            unit=world.ward_a if i % 2 else world.ward_b, planned_start=start + datetime.timedelta(hours=i * 5)
        )
    c = login(world.sam)
    c.get(url("conference_calendar"))
    with django_assert_num_queries(CALENDAR_QUERIES):
        response = c.get(url("conference_calendar"))
    shown = sum(len(cell["conferences"]) for week in response.context["grid"] for cell in week)
    assert shown == rows


def test_calendar_shows_the_month_and_is_scoped(world, login):
    day = datetime.datetime(2026, 3, 17, 8, 0, tzinfo=timezone.get_current_timezone())
    mine = f.ConferenceFactory(unit=world.ward_a, planned_start=day, title="Tiếp xúc cử tri tháng 3")
    f.ConferenceFactory(unit=world.ward_b, planned_start=day, title="Hội nghị của phường Bình")
    response = login(world.alice).get(url("conference_calendar"), {"month": "2026-03"})
    html = response.content.decode()
    assert "Tiếp xúc cử tri tháng 3" in html and "Hội nghị của phường Bình" not in html
    assert response.context["previous"] == "2026-02" and response.context["following"] == "2026-04"
    [cell] = [cell for week in response.context["grid"] for cell in week if cell["date"] == datetime.date(2026, 3, 17)]
    assert cell["conferences"] == [mine]
    assert response.context["grid"][0][0]["date"].weekday() == 0  # weeks start on Monday


def test_calendar_survives_a_bad_month(world, login):
    assert login(world.alice).get(url("conference_calendar"), {"month": "abc"}).status_code == 200


# --- Isolation --------------------------------------------------------------------------------


def ward_a_urls(conference, attachment, item):
    pk = conference.pk
    names = [
        "conference_detail",
        "conference_edit",
        "conference_announce",
        "conference_postpone",
        "conference_reschedule",
        "conference_cancel",
        "conference_record_outcome",
        "conference_close",
        "minutes_edit",
        "minutes_download",
        "minutes_approve",
        "minutes_lock",
        "minutes_to_draft",
        "opinions",
        "conclusions",
    ]
    return [url(name, pk) for name in names] + [
        url("attachment_download", attachment.pk),
        url("conclusion_done", item.pk),
    ]


@pytest.mark.parametrize("user", ["bob", "stranger"])
def test_others_get_404_for_every_ward_a_conference_url(world, login, held_a, user):
    held_a.minutes_file = SimpleUploadedFile("bb.pdf", b"%PDF")
    held_a.save()
    attachment = services.add_attachment(
        conference=held_a, title="Ảnh", file=SimpleUploadedFile("a.jpg", b"jpg"), by=world.alice
    )
    item = f.ConclusionItemFactory(conference=held_a)
    c = login(getattr(world, user))
    for address in ward_a_urls(held_a, attachment, item):
        assert c.get(address).status_code == 404, address
    assert c.post(url("attachment_add", held_a.pk), {"title": "x"}).status_code == 404
    for address in ward_a_urls(held_a, attachment, item)[1:-2]:
        assert c.post(address, {"reason": "x"}).status_code == 404, address
    held_a.refresh_from_db()
    assert held_a.status == ConferenceStatus.HELD
    assert not held_a.petitions.exists() and held_a.conclusions.count() == 1


def test_alice_downloads_her_attachment_and_sam_too(world, login, held_a):
    attachment = services.add_attachment(
        conference=held_a, title="Ảnh", file=SimpleUploadedFile("a.jpg", b"jpg-bytes"), by=world.alice
    )
    for user in (world.alice, world.sam):
        response = login(user).get(url("attachment_download", attachment.pk))
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"jpg-bytes"


def test_front_supervisor_reads_but_cannot_act(world, login, conference_a):
    c = login(world.fiona)
    assert c.get(url("conference_detail", conference_a.pk)).status_code == 200
    assert c.post(url("conference_cancel", conference_a.pk), {"reason": "x"}).status_code == 403
    assert c.get(url("conference_edit", conference_a.pk)).status_code == 403
    conference_a.refresh_from_db()
    assert conference_a.status == ConferenceStatus.PLANNED


# --- Scheduling and editing -------------------------------------------------------------------


def schedule_data(world, **extra):
    return {
        "unit": world.ward_a.pk,
        "kind": "periodic",
        "format": "working_session_mttq",
        "title": "Hội nghị quý 4",
        "planned_start": today_str(20) + " 08:00",
        "venue": "Hội trường",
        **extra,
    }


def test_alice_schedules_an_ad_hoc_conference(world, login):
    response = login(world.alice).post(url("conference_create"), schedule_data(world, co_organisers=[world.land_a.pk]))
    conference = Conference.objects.get()
    assert response.status_code == 302 and response.url == url("conference_detail", conference.pk)
    assert conference.unit == world.ward_a and conference.plan_item is None
    assert timezone.localtime(conference.planned_start).strftime("%d/%m/%Y %H:%M") == today_str(20) + " 08:00"
    assert list(conference.co_organisers.all()) == [world.land_a]
    assert events(conference) == [("scheduled", "127.0.0.1")]


def test_scheduling_from_a_plan_item_prefills_and_starts_the_plan(world, login, plan_a):
    plan_a.status = PlanStatus.APPROVED
    plan_a.save()
    item = plan_a.items.get()
    c = login(world.alice)
    form = c.get(url("conference_create"), {"plan_item": item.pk}).context["form"]
    assert form.initial["plan_item"] == item and form.initial["title"] == item.topic
    response = c.post(url("conference_create"), schedule_data(world, plan_item=item.pk, title=item.topic))
    assert response.status_code == 302
    assert Conference.objects.get().plan_item == item
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.IN_PROGRESS


def test_bob_cannot_schedule_from_ward_a_plan_item(world, login, plan_a):
    item = plan_a.items.get()
    assert login(world.bob).get(url("conference_create"), {"plan_item": item.pk}).status_code == 404
    response = login(world.bob).post(
        url("conference_create"), schedule_data(world, unit=world.ward_b.pk, plan_item=item.pk)
    )
    assert response.status_code == 200 and "plan_item" in response.context["form"].errors
    assert not Conference.objects.exists()


def test_bad_input_keeps_the_form_data(world, login):
    response = login(world.alice).post(
        url("conference_create"), schedule_data(world, planned_start="31/02/2026 08:00", title="Giữ tiêu đề này")
    )
    assert response.status_code == 200
    assert "planned_start" in response.context["form"].errors
    html = response.content.decode()
    assert "Giữ tiêu đề này" in html and "31/02/2026 08:00" in html
    assert not Conference.objects.exists()


def test_stranger_cannot_schedule(world, login):
    assert login(world.stranger).get(url("conference_create")).status_code == 403


def test_alice_edits_a_planned_conference(world, login, conference_a):
    data = schedule_data(world, title="Tên mới", venue="Nhà văn hóa")
    data.pop("unit")
    assert login(world.alice).post(url("conference_edit", conference_a.pk), data).status_code == 302
    conference_a.refresh_from_db()
    assert (conference_a.title, conference_a.venue) == ("Tên mới", "Nhà văn hóa")
    assert events(conference_a)[-1] == ("edited", "127.0.0.1")


# --- Actions ----------------------------------------------------------------------------------


def test_the_announce_button_cannot_be_taken_for_the_follow_up_notice(world, login):
    conference = f.ConferenceFactory(unit=world.ward_a)
    c = login(world.alice)
    c.cookies["django_language"] = "vi"
    page = c.get(url("conference_detail", conference.pk)).content.decode()
    button = page.split(f'href="{url("conference_announce", conference.pk)}"', 1)[1].split("</a>", 1)[0]
    assert "Thông báo tổ chức hội nghị" in button  # not a bare "Thông báo", the name of the follow-up notice


def test_announce_shows_the_lead_time_and_refuses_a_short_one_without_a_reason(world, login):
    conference = f.ConferenceFactory(unit=world.ward_a, planned_start=timezone.now() + datetime.timedelta(days=3))
    c = login(world.alice)
    page = c.get(url("conference_announce", conference.pk))
    assert page.status_code == 200
    assert page.context["form"].lead_days == 7  # shown before confirming
    response = c.post(url("conference_announce", conference.pk), {"invitation_sent_on": today_str()})
    assert response.status_code == 200 and "short_notice_reason" in response.context["form"].errors
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.PLANNED and events(conference) == []
    response = c.post(
        url("conference_announce", conference.pk),
        {"invitation_sent_on": today_str(), "short_notice_reason": "Dân đề nghị đối thoại gấp"},
        follow=True,
    )
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.ANNOUNCED and conference.invitation_sent_on == timezone.localdate()
    assert [m.level_tag for m in response.context["messages"]] == ["success", "warning"]
    assert events(conference) == [("status:announced", "127.0.0.1")]


def test_postpone_needs_a_reason_and_keeps_input(world, login, conference_a):
    c = login(world.alice)
    response = c.post(url("conference_postpone", conference_a.pk), {"reason": "  ", "new_start": "01/01/2027 08:00"})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert "01/01/2027 08:00" in response.content.decode()
    conference_a.refresh_from_db()
    assert conference_a.status == ConferenceStatus.PLANNED
    response = c.post(
        url("conference_postpone", conference_a.pk), {"reason": "Mưa bão", "new_start": "01/01/2027 08:00"}
    )
    assert response.status_code == 302
    conference_a.refresh_from_db()
    assert conference_a.status == ConferenceStatus.POSTPONED and conference_a.status_reason == "Mưa bão"
    assert timezone.localtime(conference_a.planned_start).date() == datetime.date(2027, 1, 1)
    assert (
        c.post(url("conference_reschedule", conference_a.pk), {"planned_start": "05/01/2027 08:00"}).status_code == 302
    )
    conference_a.refresh_from_db()
    assert conference_a.status == ConferenceStatus.PLANNED
    assert events(conference_a) == [("status:postponed", "127.0.0.1"), ("status:planned", "127.0.0.1")]


def test_cancel(world, login, conference_a):
    assert (
        login(world.alice).post(url("conference_cancel", conference_a.pk), {"reason": "Trùng lịch"}).status_code == 302
    )
    conference_a.refresh_from_db()
    assert conference_a.status == ConferenceStatus.CANCELLED and conference_a.status_reason == "Trùng lịch"


def test_forbidden_transition_shows_message_and_keeps_input(world, login, held_a):
    response = login(world.alice).post(url("conference_cancel", held_a.pk), {"reason": "Lý do giữ lại"})
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert "Lý do giữ lại" in response.content.decode()
    held_a.refresh_from_db()
    assert held_a.status == ConferenceStatus.HELD


def test_record_outcome_with_participants_and_minutes_file(world, login):
    conference = f.ConferenceFactory(unit=world.ward_a, status=ConferenceStatus.ANNOUNCED)
    c = login(world.alice)
    assert c.get(url("conference_record_outcome", conference.pk)).status_code == 200
    data = {
        "held_on": today_str(),
        "attendance": "150",
        "minutes_text": "Biên bản",
        "minutes_file": SimpleUploadedFile("bien-ban.pdf", PDF_BYTES),
        "participants-TOTAL_FORMS": "2",
        "participants-INITIAL_FORMS": "0",
        "participants-0-organisation": world.front.pk,
        "participants-0-count": "12",
        "participants-1-group": "Cử tri tổ 3",
        "participants-1-count": "40",
    }
    response = c.post(url("conference_record_outcome", conference.pk), data)
    assert response.status_code == 302 and response.url == url("opinions", conference.pk)
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.HELD and conference.held_on == timezone.localdate()
    assert conference.attendance == 150 and conference.minutes_status == MinutesStatus.DRAFT
    assert {(p.organisation, p.group, p.count) for p in conference.participations.all()} == {
        (world.front, "", 12),
        (None, "Cử tri tổ 3", 40),
    }
    assert c.get(url("minutes_download", conference.pk)).status_code == 200
    assert [a for a, _ in events(conference)] == ["status:held", "participants_recorded", "minutes_updated"]


def test_record_outcome_refuses_a_future_date_and_a_count_without_who(world, login):
    conference = f.ConferenceFactory(unit=world.ward_a, status=ConferenceStatus.ANNOUNCED)
    data = {
        "held_on": today_str(2),
        "attendance": "150",
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-0-count": "12",
    }
    response = login(world.alice).post(url("conference_record_outcome", conference.pk), data)
    assert response.status_code == 200
    assert "held_on" in response.context["form"].errors
    assert response.context["formset"].errors[0]
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.ANNOUNCED


def test_minutes_approve_lock_and_back_to_draft(world, login, held_a):
    c = login(world.alice)
    assert c.post(url("minutes_edit", held_a.pk), {"minutes_text": "Nội dung"}).status_code == 302
    assert c.post(url("minutes_approve", held_a.pk)).status_code == 403  # an official cannot approve
    chair = login(world.chris)
    assert chair.post(url("minutes_approve", held_a.pk)).status_code == 302
    assert chair.post(url("minutes_to_draft", held_a.pk)).status_code == 302
    assert chair.post(url("minutes_approve", held_a.pk)).status_code == 302
    assert chair.post(url("minutes_lock", held_a.pk)).status_code == 302
    held_a.refresh_from_db()
    assert held_a.minutes_status == MinutesStatus.LOCKED and held_a.minutes_text == "Nội dung"
    response = c.post(url("minutes_edit", held_a.pk), {"minutes_text": "Sửa"})
    assert response.status_code == 200 and [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert [a for a, _ in events(held_a)] == [
        "minutes_updated",
        "minutes:approved",
        "minutes:draft",
        "minutes:approved",
        "minutes:locked",
    ]


def test_close_a_concluded_conference(world, login, held_a):
    held_a.status = ConferenceStatus.CONCLUDED
    held_a.save()
    assert login(world.alice).post(url("conference_close", held_a.pk)).status_code == 302
    held_a.refresh_from_db()
    assert held_a.status == ConferenceStatus.CLOSED
    assert events(held_a) == [("status:closed", "127.0.0.1")]


def test_attachment_upload(world, login, conference_a):
    c = login(world.alice)
    response = c.post(
        url("attachment_add", conference_a.pk), {"title": "Giấy mời", "file": SimpleUploadedFile("gm.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302
    attachment = ConferenceAttachment.objects.get()
    assert "Giấy mời" in c.get(url("conference_detail", conference_a.pk)).content.decode()
    assert events(conference_a) == [("attachment_added", "127.0.0.1")]
    assert c.post(url("attachment_add", conference_a.pk), {"title": ""}).status_code == 200  # errors shown
    assert ConferenceAttachment.objects.get() == attachment


def test_disguised_attachment_is_refused_and_the_title_kept(world, login, conference_a):
    c = login(world.alice)
    page = b"<html><script>alert(document.cookie)</script></html>"
    data = {"title": "Giấy mời họp tổ 7", "file": SimpleUploadedFile("gm.pdf", page, content_type="application/pdf")}
    response = c.post(url("attachment_add", conference_a.pk), data)
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert "Giấy mời họp tổ 7" in response.content.decode()
    assert not ConferenceAttachment.objects.exists()


def test_minutes_pdf_with_javascript_is_refused_and_the_text_kept(world, login):
    conference = f.ConferenceFactory(unit=world.ward_a, status=ConferenceStatus.ANNOUNCED)
    hostile = PDF_BYTES.replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    assert hostile != PDF_BYTES
    data = {
        "held_on": today_str(),
        "minutes_text": "Biên bản hội nghị tổ 7",
        "minutes_file": SimpleUploadedFile("bien-ban.pdf", hostile),
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
    }
    response = login(world.alice).post(url("conference_record_outcome", conference.pk), data)
    assert response.status_code == 200
    assert "JavaScript" in str(response.context["form"].errors["minutes_file"])
    assert "Biên bản hội nghị tổ 7" in response.content.decode()
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.ANNOUNCED and not conference.minutes_file


def test_detail_offers_only_allowed_actions(world, login, conference_a):
    html = login(world.alice).get(url("conference_detail", conference_a.pk)).content.decode()
    assert url("conference_announce", conference_a.pk) in html
    assert url("conference_record_outcome", conference_a.pk) not in html
    html = login(world.fiona).get(url("conference_detail", conference_a.pk)).content.decode()
    assert url("conference_announce", conference_a.pk) not in html


def test_conclusion_done_via_page(world, login, held_a):
    item = f.ConclusionItemFactory(conference=held_a)
    c = login(world.alice)
    assert c.get(url("conclusion_done", item.pk)).status_code == 200
    assert c.post(url("conclusion_done", item.pk), {"done_on": today_str()}).status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    response = c.post(url("conclusion_done", item.pk), {"done_on": today_str()})
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert ConclusionItem.objects.get().done_on == timezone.localdate()


def test_conference_downloads_are_attachments_never_sniffed_nor_cached(world, login, held_a):
    held_a.minutes_file = SimpleUploadedFile("bb.pdf", PDF_BYTES)
    held_a.save()
    attachment = services.add_attachment(
        conference=held_a, title="Giấy mời", file=SimpleUploadedFile("gm.pdf", PDF_BYTES), by=world.alice
    )
    c = login(world.alice)
    for address in (url("attachment_download", attachment.pk), url("minutes_download", held_a.pk)):
        response = c.get(address)
        assert response.status_code == 200, address
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
