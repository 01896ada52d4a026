"""Isolation sweep (issue 3, "Done when"): an official of ward A gets 404 for every object URL of
ward B, and ward B's records appear in none of ward A's lists, searches or exports — and the mirror.

The sweep discovers the officials' URL patterns by walking the resolver: a new URL with an object
id that is not in `URL_OBJECTS` fails `test_every_object_url_is_covered`, so it cannot escape.
Each ward gets one record of every kind (with real files behind attachments, minutes, evidence and
report), titled with a marker (`mk99901` / `mk99902`) that must never show up on the other side.
"""

import csv
import datetime
import io
import json
from types import SimpleNamespace

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from conferences.models import (
    ConclusionItem,
    Conference,
    ConferenceAttachment,
    ConferenceStatus,
    DialoguePlan,
    MinutesStatus,
    PlanItem,
)
from followup.models import Commendation, FollowUpNotice, NoticeStatus, Supervision
from petitions.models import Answer, Channel, Petition, PetitionAttachment, PetitionStatus
from reports.builder import build_report_data
from reports.models import Report
from tests import factories as f

pytestmark = pytest.mark.django_db

NAMESPACES = ("conferences", "petitions", "followup", "reports")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# URL name → the attribute(s) of a ward's records whose pk fills the URL's int kwarg.
URL_OBJECTS = {
    "conferences:plan_detail": ["plan"],
    "conferences:plan_edit": ["plan"],
    "conferences:plan_item_add": ["plan"],
    "conferences:plan_item_edit": ["item"],
    "conferences:plan_item_delete": ["item"],
    "conferences:plan_approve": ["plan"],
    "conferences:plan_submit": ["plan"],
    "conferences:plan_return": ["plan"],
    "conferences:plan_complete": ["plan"],
    "conferences:conference_detail": ["conference", "upcoming"],
    "conferences:conference_edit": ["conference", "upcoming"],
    "conferences:conference_announce": ["upcoming", "conference"],
    "conferences:conference_postpone": ["upcoming"],
    "conferences:conference_reschedule": ["upcoming"],
    "conferences:conference_cancel": ["upcoming"],
    "conferences:conference_record_outcome": ["upcoming"],
    "conferences:conference_close": ["conference"],
    "conferences:minutes_edit": ["conference"],
    "conferences:minutes_download": ["conference"],
    "conferences:minutes_approve": ["conference"],
    "conferences:minutes_lock": ["conference"],
    "conferences:minutes_to_draft": ["conference"],
    "conferences:attachment_add": ["conference"],
    "conferences:attachment_download": ["attachment"],
    "conferences:opinions": ["conference"],
    "conferences:conclusions": ["conference"],
    "conferences:conclusion_done": ["conclusion"],
    "conferences:conclusion_edit": ["conclusion"],
    "conferences:conclusion_withdraw": ["conclusion"],
    "conferences:attachment_remove": ["attachment"],
    "petitions:petition_detail": ["petition", "open_petition"],
    "petitions:petition_accept": ["open_petition"],
    "petitions:petition_reject": ["open_petition"],
    "petitions:petition_assign": ["open_petition"],
    "petitions:petition_extend": ["open_petition"],
    "petitions:petition_answer": ["open_petition"],
    "petitions:petition_resolve": ["petition"],
    "petitions:petition_reopen": ["petition"],
    "petitions:petition_redact": ["petition"],
    "petitions:attachment_download": ["petition_attachment"],
    "petitions:answer_evidence": ["answer"],
    "petitions:transfer_open_petitions": ["unit"],
    "followup:notice_detail": ["notice_draft", "notice"],
    "followup:notice_edit": ["notice_draft"],
    "followup:notice_approve": ["notice_draft"],
    "followup:notice_return": ["notice_draft"],
    "followup:notice_publish": ["notice_draft"],
    "followup:notice_posting": ["notice"],
    "followup:notice_correct": ["notice"],
    "followup:notice_create_from_conference": ["no_notice_conference"],
    "followup:supervision_recheck": ["supervision"],
    "reports:report_detail": ["report"],
    "reports:report_download": ["report"],
    "reports:report_retry": ["report"],
}


# What a POST carries: enough for most forms to be valid, so a missing scope check would act.
def post_data(world, records):
    today = timezone.localdate()
    return {
        "confirm": "1",
        "reason": "Kiểm tra cô lập",
        "note": "Kiểm tra cô lập",
        "text": "Kiểm tra cô lập",
        "title": "Bị sửa từ phường khác",
        "topic": "Bị sửa",
        "quarter": "3",
        "kind": "periodic",
        "format": "thematic",
        "invitation_sent_on": today.strftime("%d/%m/%Y"),
        "held_on": today.strftime("%d/%m/%Y"),
        "done_on": today.strftime("%d/%m/%Y"),
        "due_on": (today + datetime.timedelta(days=40)).strftime("%d/%m/%Y"),
        "new_due_on": (today + datetime.timedelta(days=90)).strftime("%d/%m/%Y"),
        "planned_start": (today + datetime.timedelta(days=30)).strftime("%d/%m/%Y 08:00"),
        "document_number": "1/UBND",
        "document_date": today.strftime("%d/%m/%Y"),
        "mode": "assign",
        "organisation": str(world.land_a.pk),
        "number": "9/TB",
        "issued_on": today.strftime("%d/%m/%Y"),
        "posted_at": "Bảng tin",
        "attendance": "10",
        "category": str(world.category.pk),
    }


def _walk(resolver, namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and namespace in NAMESPACES:
            yield f"{namespace}:{entry.name}", entry.pattern.converters


def officials_urls():
    """Return {URL name: {kwarg: converter}} of the officials' portal (conferences, petitions, followup, reports)."""
    return dict(_walk(get_resolver()))


def marker(unit) -> str:
    return f"mk{unit.code}"


def build_records(world, unit, org):
    """One record of every kind for `unit`, titled with its marker; files are real."""
    mk = marker(unit)
    now, today = timezone.now(), timezone.localdate()
    plan = f.PlanFactory(unit=unit, year=today.year, title=f"Kế hoạch {mk}")
    item = f.PlanItemFactory(plan=plan, topic=f"Chủ đề {mk}")
    conference = f.ConferenceFactory(
        unit=unit,
        plan_item=item,
        title=f"Hội nghị {mk}",
        status=ConferenceStatus.HELD,
        planned_start=now - datetime.timedelta(days=2),
        held_on=today - datetime.timedelta(days=2),
        minutes_status=MinutesStatus.DRAFT,
        attendance=80,
    )
    conference.minutes_file.save(f"bien-ban-{mk}.pdf", ContentFile(PDF_BYTES))
    upcoming = f.ConferenceFactory(
        unit=unit,
        title=f"Sắp tới {mk}",
        status=ConferenceStatus.PLANNED,
        planned_start=now + datetime.timedelta(days=10),
    )
    no_notice_conference = f.ConferenceFactory(
        unit=unit,
        title=f"Chưa thông báo {mk}",
        status=ConferenceStatus.HELD,
        planned_start=now - datetime.timedelta(days=1),
        held_on=today - datetime.timedelta(days=1),
    )
    attachment = ConferenceAttachment(conference=conference, title=f"Giấy mời {mk}")
    attachment.file.save(f"giay-moi-{mk}.pdf", ContentFile(PDF_BYTES))
    conclusion = f.ConclusionItemFactory(
        conference=conference, assignee=org, text=f"Kết luận {mk}", deadline=today - datetime.timedelta(days=1)
    )
    petition = f.PetitionFactory(
        unit=unit,
        conference=conference,
        channel=Channel.CONFERENCE,
        title=f"Kiến nghị {mk}",
        status=PetitionStatus.ANSWERED,
        handling_org=org,
        due_on=today + datetime.timedelta(days=20),
        answered_on=today,
    )
    conclusion.petitions.add(petition)
    petition_attachment = PetitionAttachment(
        petition=petition, original_name=f"anh-{mk}.pdf", content_type="application/pdf", size=len(PDF_BYTES)
    )
    petition_attachment.file.save(f"anh-{mk}.pdf", ContentFile(PDF_BYTES))
    answer = Answer(petition=petition, text=f"Trả lời {mk}", document_number=f"12/UBND-{mk}", document_date=today)
    answer.evidence.save(f"tra-loi-{mk}.pdf", ContentFile(PDF_BYTES))
    open_petition = f.PetitionFactory(
        unit=unit,
        title=f"Quá hạn {mk}",
        status=PetitionStatus.IN_PROGRESS,
        handling_org=org,
        accepted_at=now - datetime.timedelta(days=60),
        due_on=today - datetime.timedelta(days=3),
    )
    notice_draft = f.NoticeFactory(unit=unit, conference=conference, title=f"Dự thảo {mk}")
    notice = f.NoticeFactory(
        unit=unit,
        conference=conference,
        title=f"Thông báo {mk}",
        number=f"5/TB-{mk}",
        issued_on=today,
        status=NoticeStatus.PUBLISHED,
        published_at=now,
    )
    notice.petitions.add(petition)
    notice.conclusion_items.add(conclusion)
    supervision = f.SupervisionFactory(
        unit=unit,
        conclusion_item=conclusion,
        petition=petition,
        subject=f"Giám sát {mk}",
        finding="not_met",
        recommendation=f"Khuyến nghị {mk}",
        recheck_on=today + datetime.timedelta(days=10),
        supervisor=world.fiona,
    )
    commendation = Commendation.objects.create(
        kind="collective", unit=unit, recipient=f"UBND {mk}", reason=f"Đối thoại {mk}", year=today.year
    )
    report = Report.objects.create(
        unit=unit,
        start=datetime.date(today.year, 1, 1),
        end=datetime.date(today.year, 12, 31),
        format=Report.Format.JSON,
        status=Report.Status.DONE,
        progress=100,
    )
    report.file.save(f"bao-cao-{mk}.json", ContentFile(json.dumps({"unit": mk}).encode()))
    return SimpleNamespace(
        unit=unit,
        mk=mk,
        plan=plan,
        item=item,
        conference=conference,
        upcoming=upcoming,
        no_notice_conference=no_notice_conference,
        attachment=attachment,
        conclusion=conclusion,
        petition=petition,
        petition_attachment=petition_attachment,
        answer=answer,
        open_petition=open_petition,
        notice_draft=notice_draft,
        notice=notice,
        supervision=supervision,
        commendation=commendation,
        report=report,
    )


@pytest.fixture
def wards(world):
    world.a = build_records(world, world.ward_a, world.land_a)
    world.b = build_records(world, world.ward_b, world.land_b)
    return world


def signed_in(user) -> Client:
    c = Client()
    c.cookies["django_language"] = "en"
    c.force_login(user)
    return c


SIDES = [("alice", "a", "b"), ("bob", "b", "a")]


def snapshot(records):
    """Return what must not change when the other ward's official pokes at these records."""
    rows = {
        "plan": DialoguePlan.objects.filter(pk=records.plan.pk).values().get(),
        "items": list(PlanItem.objects.filter(plan=records.plan).values()),
        "conferences": list(Conference.objects.filter(unit=records.unit).order_by("pk").values()),
        "attachments": list(ConferenceAttachment.objects.filter(conference__unit=records.unit).values()),
        "conclusions": list(ConclusionItem.objects.filter(conference__unit=records.unit).values()),
        "petitions": list(Petition.objects.filter(unit=records.unit).order_by("pk").values()),
        "answers": list(Answer.objects.filter(petition__unit=records.unit).values()),
        "notices": list(FollowUpNotice.objects.filter(unit=records.unit).order_by("pk").values()),
        "supervisions": list(Supervision.objects.filter(unit=records.unit).values()),
        "reports": list(Report.objects.filter(unit=records.unit).values()),
    }
    return json.loads(json.dumps(rows, default=str))


# --- Direct URLs ------------------------------------------------------------------------------


def test_every_object_url_is_covered():
    """Every officials' URL taking an object id is in the sweep; no other kind of URL argument exists."""
    found = officials_urls()
    with_ids = {name for name, converters in found.items() if converters}
    assert with_ids, "the walk found no URL with an id: the resolver walk is broken"
    missing = sorted(with_ids - set(URL_OBJECTS))
    assert not missing, f"URL(s) with an object id not in the isolation sweep: {missing}"
    stale = sorted(set(URL_OBJECTS) - with_ids)
    assert not stale, f"URL_OBJECTS names URLs that no longer exist: {stale}"
    for name, converters in found.items():
        for kwarg, converter in converters.items():
            assert isinstance(converter, IntConverter), f"{name} takes a non-integer {kwarg}: extend the sweep"


def _urls_for(records):
    for name, converters in officials_urls().items():
        if not converters:
            continue
        (kwarg,) = converters
        for attr in URL_OBJECTS[name]:
            yield name, attr, reverse(name, kwargs={kwarg: getattr(records, attr).pk})


@pytest.mark.parametrize("viewer,own,other", SIDES)
def test_every_object_url_of_the_other_ward_is_a_404(wards, viewer, own, other):
    client = signed_in(getattr(wards, viewer))
    theirs = getattr(wards, other)
    before = snapshot(theirs)
    events_before = AuditEvent.objects.count()
    data = post_data(wards, theirs)
    failures = []
    for name, attr, url in _urls_for(theirs):
        missing_url = reverse(name, kwargs={next(iter(officials_urls()[name])): 987654321})
        for method, send in (("GET", client.get), ("POST", lambda u: client.post(u, data))):
            got = send(url).status_code
            # A view that refuses the method (405) before looking anything up does so for any id alike.
            if got == 404 or (got == 405 and send(missing_url).status_code == 405):
                continue
            failures.append((name, attr, method, got))
    assert not failures, f"{viewer} reached the other ward's objects: {failures}"
    assert snapshot(theirs) == before
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("viewer,own,other", SIDES)
def test_the_same_urls_of_the_own_ward_are_found(wards, viewer, own, other):
    """Honesty check of the sweep: each URL, filled with the viewer's own record of the same kind, is not a 404."""
    client = signed_in(getattr(wards, viewer))
    mine = getattr(wards, own)
    found = []
    for name, attr, url in _urls_for(mine):
        status = client.get(url).status_code
        if status == 404:
            found.append((name, attr))
    assert not found, f"the sweep's mapping is wrong (own record 404s too): {found}"


@pytest.mark.parametrize("viewer,own,other", SIDES)
def test_object_ids_in_query_strings_are_scoped_too(wards, viewer, own, other):
    client = signed_in(getattr(wards, viewer))
    theirs = getattr(wards, other)
    year = timezone.localdate().year
    for url in [
        f"/portal/conferences/new/?plan_item={theirs.item.pk}",
        f"/portal/supervision/new/?conclusion_item={theirs.conclusion.pk}",
        f"/portal/supervision/new/?petition={theirs.petition.pk}",
        f"/portal/compliance/?year={year}&unit={theirs.unit.pk}",
        f"/portal/commendations/shortlist/?year={year}&unit={theirs.unit.pk}",
    ]:
        assert client.get(url).status_code == 404, url


# --- Writes that name the other ward's records -----------------------------------------------


@pytest.mark.parametrize("viewer,own,other", SIDES)
def test_forms_refuse_the_other_wards_unit_and_records(wards, viewer, own, other):
    user = getattr(wards, viewer)
    client = signed_in(user)
    mine, theirs = getattr(wards, own), getattr(wards, other)
    other_org = wards.land_b if other == "b" else wards.land_a
    today = timezone.localdate()
    counts = (
        DialoguePlan.objects.count(),
        Conference.objects.count(),
        Petition.objects.count(),
        Report.objects.count(),
    )
    client.post(
        "/portal/plans/new/", {"unit": theirs.unit.pk, "year": today.year + 1, "title": "Kế hoạch lạ", "notes": ""}
    )
    client.post(
        "/portal/conferences/new/",
        {
            "unit": theirs.unit.pk,
            "plan_item": theirs.item.pk,
            "kind": "periodic",
            "format": "thematic",
            "title": "Hội nghị lạ",
            "planned_start": (today + datetime.timedelta(days=20)).strftime("%d/%m/%Y 08:00"),
        },
    )
    client.post(
        "/portal/petitions/new/",
        {
            "unit": theirs.unit.pk,
            "channel": "reception",
            "kind": "kien_nghi",
            "category": wards.category.pk,
            "title": "Kiến nghị lạ",
            "content": "Nội dung",
            "consent": "on",
        },
    )
    client.post(
        "/portal/reports/",
        {"unit": theirs.unit.pk, "period": "year", "year": today.year, "format": "json"},
    )
    assert (
        DialoguePlan.objects.count(),
        Conference.objects.count(),
        Petition.objects.count(),
        Report.objects.count(),
    ) == counts
    assert not Conference.objects.filter(plan_item=theirs.item).exclude(pk=theirs.conference.pk).exists()

    # Own records cannot be tied to the other ward's: handling unit, duplicate original, conclusion assignee.
    client.post(
        f"/portal/petitions/{mine.open_petition.pk}/assign/",
        {"mode": "assign", "organisation": other_org.pk, "due_on": (today + datetime.timedelta(days=30)).isoformat()},
    )
    mine.open_petition.refresh_from_db()
    assert mine.open_petition.handling_org != other_org
    client.post(
        f"/portal/petitions/{mine.open_petition.pk}/reject/",
        {"reason": "duplicate", "duplicate_code": theirs.petition.tracking_code},
    )
    mine.open_petition.refresh_from_db()
    assert mine.open_petition.duplicate_of_id is None and mine.open_petition.status == PetitionStatus.IN_PROGRESS
    client.post(
        f"/portal/conferences/{mine.conference.pk}/conclusions/",
        {"text": "Giao phường khác", "assignee": other_org.pk, "petitions": [theirs.petition.pk]},
    )
    assert not ConclusionItem.objects.filter(conference=mine.conference, assignee=other_org).exists()
    assert not theirs.petition.conclusion_items.filter(conference=mine.conference).exists()
    client.post(
        f"/portal/notices/{mine.notice_draft.pk}/edit/",
        {
            "title": "Thông báo",
            "text": "Nội dung",
            "number": "",
            "petitions": [theirs.petition.pk],
            "conclusion_items": [theirs.conclusion.pk],
        },
    )
    assert not mine.notice_draft.petitions.filter(pk=theirs.petition.pk).exists()
    assert not mine.notice_draft.conclusion_items.filter(pk=theirs.conclusion.pk).exists()
    before = snapshot(theirs)
    client.post("/portal/petitions/bulk-assign/", {"ids": [theirs.open_petition.pk], "confirm": "1"})
    assert snapshot(theirs) == before


# --- Lists, searches and the dashboard ---------------------------------------------------------


def list_pages(records):
    year = timezone.localdate().year
    month = f"{records.conference.held_on:%Y-%m}"
    return {
        "inbox": "/portal/petitions/",
        "inbox, open": "/portal/petitions/?status=in_progress",
        "inbox, overdue": "/portal/petitions/?overdue=1",
        "conference list": "/portal/conferences/",
        f"calendar {month}": f"/portal/conferences/calendar/?month={month}",
        "plans": f"/portal/plans/?year={year}",
        "notices": "/portal/notices/",
        "conferences without notice": "/portal/notices/conferences-without-notice/",
        "supervision": "/portal/supervision/",
        "commendations": "/portal/commendations/",
        "reports": "/portal/reports/",
        "dashboard": "/portal/",
        "compliance": f"/portal/compliance/?year={year}",
    }


@pytest.mark.parametrize("viewer,own,other", SIDES)
def test_the_other_wards_records_appear_in_no_list(wards, viewer, own, other):
    client = signed_in(getattr(wards, viewer))
    mine, theirs = getattr(wards, own), getattr(wards, other)
    shows_own = {"inbox", "conference list", "plans", "notices", "conferences without notice", "supervision"}
    for name, url in list_pages(mine).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        html = response.content.decode()
        assert theirs.mk not in html, f"{name} shows the other ward's records"
        assert theirs.petition.tracking_code not in html and theirs.petition.display_code not in html, name
        if name in shows_own:
            assert mine.mk in html, f"{name} does not even show the viewer's own records: the check proves nothing"
    # The list pages filtered by the other ward's unit show nothing of it either.
    for url in [
        f"/portal/conferences/?unit={theirs.unit.pk}",
        f"/portal/conferences/calendar/?month={theirs.conference.held_on:%Y-%m}&unit={theirs.unit.pk}",
        f"/portal/plans/?unit={theirs.unit.pk}",
        f"/portal/notices/?unit={theirs.unit.pk}",
        f"/portal/supervision/?unit={theirs.unit.pk}",
        f"/portal/commendations/?unit={theirs.unit.pk}",
        f"/portal/petitions/?unit={theirs.unit.pk}",
        f"/portal/petitions/?conference={theirs.conference.pk}",
    ]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert theirs.mk not in response.content.decode(), url


@pytest.mark.parametrize("viewer,own,other", SIDES)
def test_inbox_search_finds_nothing_of_the_other_ward(wards, viewer, own, other):
    client = signed_in(getattr(wards, viewer))
    mine, theirs = getattr(wards, own), getattr(wards, other)
    for petition_own, petition_theirs in [(mine.petition, theirs.petition), (mine.open_petition, theirs.open_petition)]:
        for term in [petition_theirs.tracking_code, petition_theirs.display_code, petition_theirs.title, theirs.mk]:
            response = client.get("/portal/petitions/", {"q": term})
            assert response.status_code == 200
            assert [row for row, _overdue in response.context["rows"]] == [], term
            assert response.context["count"] == 0, term
        # The same searches find the viewer's own petition (the search works).
        response = client.get("/portal/petitions/", {"q": petition_own.tracking_code})
        assert [row for row, _overdue in response.context["rows"]] == [petition_own]
        response = client.get("/portal/petitions/", {"q": petition_own.title})
        assert [row for row, _overdue in response.context["rows"]] == [petition_own]


@pytest.mark.parametrize("viewer,own,other", SIDES)
def test_dashboard_and_compliance_count_only_the_own_ward(wards, viewer, own, other):
    client = signed_in(getattr(wards, viewer))
    mine, theirs = getattr(wards, own), getattr(wards, other)
    context = client.get("/portal/").context
    workload = context["workload"]
    assert workload["open"] == Petition.objects.filter(unit=mine.unit, status__in=["in_progress"]).count() == 1
    assert workload["overdue"] == 1
    assert context["agenda"]["upcoming"] == 1
    assert context["agenda"]["without_notice"] == 1
    assert context["plans"]["plans"] == 1 and context["plans"]["planned"] == 1
    assert context["figures"]["conferences"]["total"] == 2
    board = client.get(f"/portal/compliance/?year={timezone.localdate().year}").context
    assert {row.unit for row in board["rows"]} == {mine.unit}
    assert theirs.unit not in {row.unit for row in board["rows"]}


# --- Exports ----------------------------------------------------------------------------------

EXPORTED = {
    "petitions_petition": "petition",
    "conferences_conference": "conference",
    "conferences_dialogueplan": "plan",
    "conferences_conclusionitem": "conclusion",
    "followup_followupnotice": "notice",
}


def staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    for label in EXPORTED:
        app_label, model = label.split("_", 1)
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=[f"view_{model}"])
        )
    return signed_in(user)


@pytest.mark.parametrize("viewer,own,other", SIDES)
@pytest.mark.parametrize("action", ["export_as_csv", "export_as_xlsx"])
@pytest.mark.parametrize("admin_name", sorted(EXPORTED))
def test_admin_exports_leave_out_the_other_ward(wards, viewer, own, other, action, admin_name):
    client = staff(getattr(wards, viewer))
    mine, theirs = getattr(wards, own), getattr(wards, other)
    attr = EXPORTED[admin_name]
    url = reverse(f"admin:{admin_name}_changelist")
    for extra in ({}, {"select_across": "1"}):
        response = client.post(
            url,
            {
                "action": action,
                helpers.ACTION_CHECKBOX_NAME: [str(getattr(mine, attr).pk), str(getattr(theirs, attr).pk)],
                "index": 0,
                **extra,
            },
        )
        assert response.status_code == 200, (admin_name, action, response.status_code)
        if action == "export_as_csv":
            text = b"".join(response.streaming_content).decode("utf-8")
            rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            rows = [[str(c) for c in row if c is not None] for row in sheet.iter_rows(values_only=True)][1:]
            text = "\n".join("\t".join(r) for r in rows)
        assert theirs.mk not in text and theirs.petition.display_code not in text, (admin_name, action, extra)
        assert mine.mk in text or getattr(mine, attr).title in text or str(getattr(mine, attr).pk) in text, (
            admin_name,
            action,
        )
        if not extra:
            assert len(rows) == 1, (admin_name, action, rows)


@pytest.mark.parametrize("viewer,own,other", SIDES)
def test_report_of_the_own_ward_holds_nothing_of_the_other(
    wards, viewer, own, other, django_capture_on_commit_callbacks
):
    mine, theirs = getattr(wards, own), getattr(wards, other)
    year = timezone.localdate().year
    data = build_report_data(unit=mine.unit, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
    text = json.dumps(data, ensure_ascii=False)
    assert theirs.unit.code not in text and theirs.mk not in text
    assert [row["unit"]["id"] for row in data["compliance"]] == [mine.unit.pk]
    assert data["petitions"]["total"] == Petition.objects.filter(unit=mine.unit).count() == 2
    assert data["conferences"]["total"] == 2

    # The same through the portal: request a JSON report of the own ward and download it.
    client = signed_in(getattr(wards, viewer))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/portal/reports/", {"unit": mine.unit.pk, "period": "year", "year": year, "format": "json"}
        )
    assert response.status_code == 302
    report = Report.objects.filter(unit=mine.unit, requested_by=getattr(wards, viewer)).get()
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    response = client.get(f"/portal/reports/{report.pk}/download/")
    downloaded = json.loads(b"".join(response.streaming_content))
    assert downloaded["unit"]["id"] == mine.unit.pk
    assert [row["unit"]["id"] for row in downloaded["compliance"]] == [mine.unit.pk]
    assert theirs.unit.code not in json.dumps(downloaded, ensure_ascii=False)


# --- Public pages ---------------------------------------------------------------------------


def test_drafts_of_either_ward_are_not_public(wards, vi_client):
    for records in (wards.a, wards.b):
        assert vi_client.get(f"/thong-bao/{records.notice_draft.pk}/").status_code == 404
        assert vi_client.get(f"/thong-bao/{records.notice.pk}/").status_code == 200


# --- A successor unit reads its predecessor's records, and changes none of them ---------------

# The pages that show a record. Two of them also take a POST that adds to the record: refused.
READ_PAGES_WITH_A_WRITE = {"conferences:opinions", "conferences:conclusions"}
READ_URLS = {
    "conferences:plan_detail",
    "conferences:conference_detail",
    "conferences:minutes_download",
    "conferences:attachment_download",
    "conferences:opinions",
    "conferences:conclusions",
    "petitions:petition_detail",
    "petitions:attachment_download",
    "petitions:answer_evidence",
    "followup:notice_detail",
}
ABOLISHED_ON = datetime.date(2025, 6, 30)


@pytest.fixture
def heirs(wards):
    """Ward B was abolished on 30/06/2025; "Kế Thừa" (directly under the city) succeeded part of it.

    `heidi` is an official and `hugo` the chair of the successor; neither holds a role in ward B.
    """
    from units.models import AdministrativeUnit, Role, SuccessionKind, UnitSuccession

    AdministrativeUnit.objects.filter(pk=wards.ward_b.pk).update(
        valid_from=datetime.date(2013, 12, 27), valid_to=ABOLISHED_ON
    )
    wards.ward_b.refresh_from_db()
    wards.heir = f.UnitFactory(name="Kế Thừa", code="99903", parent=wards.city)
    UnitSuccession.objects.create(
        predecessor=wards.ward_b, successor=wards.heir, kind=SuccessionKind.PART, effective_on=datetime.date(2025, 7, 1)
    )
    for username, role in (("heidi", Role.UNIT_OFFICIAL), ("hugo", Role.CHAIR)):
        user = f.UserFactory(username=username)
        f.MembershipFactory(user=user, unit=wards.heir, role=role)
        setattr(wards, username, user)
    return wards


HEIRS = ["heidi", "hugo"]


@pytest.mark.parametrize("viewer", HEIRS)
def test_the_successor_reads_every_record_of_its_predecessor_and_writes_none(heirs, viewer):
    client = signed_in(getattr(heirs, viewer))
    theirs = heirs.b
    before = snapshot(theirs)
    events_before = AuditEvent.objects.count()
    data = post_data(heirs, theirs)
    failures = []
    for name, attr, url in _urls_for(theirs):
        missing_url = reverse(name, kwargs={next(iter(officials_urls()[name])): 987654321})
        got = client.get(url).status_code
        if name in READ_URLS:
            if got != 200:
                failures.append((name, attr, "GET (a read)", got))
        elif got not in (403, 404) and not (got == 405 and client.get(missing_url).status_code == 405):
            failures.append((name, attr, "GET", got))
        got = client.post(url, data).status_code
        if name in READ_URLS and name not in READ_PAGES_WITH_A_WRITE:
            continue  # a POST to a page that only reads shows it again; the snapshot below proves nothing changed
        if got not in (403, 404) and not (got == 405 and client.post(missing_url, data).status_code == 405):
            failures.append((name, attr, "POST", got))
    assert not failures, f"{viewer} on the predecessor's records: {failures}"
    assert snapshot(theirs) == before
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("viewer", HEIRS)
def test_the_successor_still_gets_404_for_an_unrelated_ward(heirs, viewer):
    client = signed_in(getattr(heirs, viewer))
    failures = [
        (name, attr, got)
        for name, attr, url in _urls_for(heirs.a)
        if (got := client.get(url).status_code) != 404
        and not (
            got == 405
            and client.get(reverse(name, kwargs={next(iter(officials_urls()[name])): 987654321})).status_code == 405
        )
    ]
    assert not failures, failures
    for url in list_pages(heirs.a).values():
        assert heirs.a.mk not in client.get(url).content.decode(), url


def test_the_predecessor_reads_nothing_of_its_successor(heirs):
    """Succession reads backwards only: ward B's official (were one left) and ward A's see nothing of the heir."""
    heir_records = build_records(heirs, heirs.heir, f.OrganisationFactory(unit=heirs.heir))
    for user in (heirs.bob, heirs.alice):
        client = signed_in(user)
        assert all(client.get(url).status_code in (404, 405) for _n, _a, url in _urls_for(heir_records))
        for url in list_pages(heirs.b).values():
            assert heir_records.mk not in client.get(url).content.decode(), url


@pytest.mark.parametrize("viewer", HEIRS)
def test_the_successor_lists_show_the_predecessors_records(heirs, viewer):
    client = signed_in(getattr(heirs, viewer))
    for name in ("inbox", "conference list", "plans", "notices", "conferences without notice", "supervision"):
        html = client.get(list_pages(heirs.b)[name]).content.decode()
        assert heirs.b.mk in html, f"{name} hides the predecessor's records"
        assert heirs.a.mk not in html, name


@pytest.mark.parametrize("viewer", HEIRS)
def test_the_successors_forms_refuse_the_predecessors_unit(heirs, viewer):
    client = signed_in(getattr(heirs, viewer))
    theirs = heirs.b
    before = snapshot(theirs)
    today = timezone.localdate()
    client.post("/portal/plans/new/", {"unit": theirs.unit.pk, "year": today.year + 1, "title": "Kế hoạch lạ"})
    client.post(
        "/portal/conferences/new/",
        {
            "unit": theirs.unit.pk,
            "plan_item": theirs.item.pk,
            "kind": "periodic",
            "format": "thematic",
            "title": "Hội nghị lạ",
            "planned_start": (today + datetime.timedelta(days=20)).strftime("%d/%m/%Y 08:00"),
        },
    )
    client.post(
        "/portal/petitions/new/",
        {
            "unit": theirs.unit.pk,
            "channel": "reception",
            "kind": "kien_nghi",
            "category": heirs.category.pk,
            "title": "Kiến nghị lạ",
            "content": "Nội dung",
            "consent": "on",
        },
    )
    client.post("/portal/petitions/bulk-assign/", {"ids": [theirs.open_petition.pk], "confirm": "1"})
    assert snapshot(theirs) == before
    assert not DialoguePlan.objects.filter(title="Kế hoạch lạ").exists()
    assert not Conference.objects.filter(title="Hội nghị lạ").exists()
    assert not Petition.objects.filter(title="Kiến nghị lạ").exists()
