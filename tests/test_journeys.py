"""The whole chain across personas, through the real UI in Debian Chromium (issue 3 and 4, "Done when").

Journey 1: alice schedules, announces and holds a conference, records two opinions (one answered on
the spot) and a conclusion; assigns the other opinion to the land office; hana answers it with a PDF;
alice drafts the follow-up notice; chris approves and publishes it; fiona records a finding on the
conclusion; a citizen reads the answer and the notice by the tracking code and says "resolved", 5/5;
alice's petition page shows the whole chain on its timeline.

Journey 2: a citizen sends a petition online from a phone; alice accepts and assigns it; hana answers;
the citizen says "not resolved", which reopens it: alice sees it in progress on her dashboard and inbox.

Screenshots: test-artifacts/screenshots/journey-*.png.
"""

import datetime

import pytest
from django.utils import timezone

from conferences.models import ConclusionItem, Conference, ConferenceStatus
from followup.models import FollowUpNotice, NoticeStatus, Supervision
from notifications.models import Delivery, NotificationKind, OutboxMessage
from petitions.models import Petition, PetitionStatus
from tests.conftest import screenshot, sign_in
from tests.petitions.conftest import PDF_BYTES  # a real PDF: the upload check opens it

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIN_SUBMIT = "main form[method=post] button[type=submit]"


def submit(page, selector=MAIN_SUBMIT):
    with page.expect_navigation():
        page.click(selector)


def sign_out(page):
    """Sign out with the navbar's "Sign out" button (a POST form)."""
    with page.expect_navigation():
        page.click("nav form[action='/accounts/logout/'] button[type=submit]")
    assert page.context.cookies() == [] or not any(c["name"] == "sessionid" for c in page.context.cookies())


def timeline_actions(page) -> list[str]:
    return page.eval_on_selector_all("#timeline li", "items => items.map(li => li.dataset.action)")


def in_order(sequence, wanted) -> bool:
    """Return True if every group of `wanted` (a tuple of accepted names) is found in `sequence`, in order."""
    position = 0
    for names in wanted:
        while position < len(sequence) and sequence[position] not in names:
            position += 1
        if position == len(sequence):
            return False
        position += 1
    return True


def test_a_conference_carried_from_scheduling_to_the_citizens_verdict(world, desktop_page, live_server, tmp_path):
    page, base = desktop_page, live_server.url
    today = timezone.localdate()
    evidence = tmp_path / "cong-van-tra-loi.pdf"
    evidence.write_bytes(PDF_BYTES)

    # --- alice: schedule, announce, hold -------------------------------------------------------
    sign_in(page, base, "alice")
    assert page.url.endswith("/portal/")
    screenshot(page, "journey-01-alice-dashboard")
    page.goto(f"{base}/portal/conferences/new/")
    page.select_option("select[name=kind]", "periodic")
    page.select_option("select[name=format]", "working_session_mttq")
    page.fill("input[name=title]", "Hội nghị đối thoại quý IV phường An")
    soon = timezone.localtime() + datetime.timedelta(minutes=10)  # a start in the past is refused
    page.fill("input[name=planned_start]", f"{soon:%d/%m/%Y %H:%M}")
    page.fill("input[name=venue]", "Hội trường UBND phường An")
    page.fill("input[name=chair]", "Ông Chris, Chủ tịch UBND phường")
    screenshot(page, "journey-02-conference-form")
    submit(page)
    conference = Conference.objects.get(unit=world.ward_a)
    assert page.url.endswith(f"/portal/conferences/{conference.pk}/")

    page.click(f"a[href='/portal/conferences/{conference.pk}/announce/']")
    page.fill("input[name=invitation_sent_on]", f"{today:%d/%m/%Y}")
    # The invitation went out the same day, shorter than the 7-day lead time in force: a reason is needed.
    page.fill("textarea[name=short_notice_reason]", "Đối thoại gấp theo đề nghị của cử tri")
    submit(page)
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.ANNOUNCED and conference.invitation_sent_on == today
    # Accepted with its reason, and the shortfall still said.
    assert page.locator(".alert-warning").count() >= 1
    screenshot(page, "journey-03-conference-announced")

    page.click(f"a[href='/portal/conferences/{conference.pk}/outcome/']")
    page.fill("input[name=held_on]", f"{today:%d/%m/%Y}")
    page.fill("input[name=attendance]", "95")
    page.fill("textarea[name=minutes_text]", "Biên bản hội nghị đối thoại quý IV.")
    submit(page)
    conference.refresh_from_db()
    assert (conference.status, conference.held_on, conference.attendance) == (ConferenceStatus.HELD, today, 95)
    assert page.url.endswith(f"/portal/conferences/{conference.pk}/opinions/")

    # --- two opinions, one answered on the spot --------------------------------------------------
    opinions = [
        ("Đường ngõ 12 bị lún", "Mặt đường ngõ 12 lún sâu, xe máy đi lại nguy hiểm.", ""),
        ("Giờ thu gom rác", "Đề nghị thu gom rác sau 19 giờ.", "Công ty môi trường sẽ thu gom từ 19 giờ 30."),
    ]
    for number, (title, content, answer) in enumerate(opinions, start=1):
        page.select_option("select[name=category]", str(world.category.pk))
        page.fill("input[name=title]", title)
        page.fill("textarea[name=content]", content)
        page.fill("input[name=petitioner_name]", "Trần Văn Cử")
        if answer:
            page.fill("textarea[name=answer_on_spot]", answer)
        submit(page, "#opinion-form button[type=submit]")
        assert page.locator("#opinions-table tbody tr").count() == number
    petition = Petition.objects.get(title=opinions[0][0])
    on_spot = Petition.objects.get(title=opinions[1][0])
    assert petition.status == PetitionStatus.ACCEPTED and on_spot.status == PetitionStatus.ANSWERED_ON_SPOT
    screenshot(page, "journey-04-opinions")

    page.click(f"a[href='/portal/conferences/{conference.pk}/conclusions/']")
    page.fill("textarea[name=text]", "Giao Phòng Kinh tế - Hạ tầng kiểm tra, sửa chữa mặt đường ngõ 12.")
    page.select_option("select[name=assignee]", str(world.land_a.pk))
    page.fill("input[name=deadline]", f"{today + datetime.timedelta(days=30):%d/%m/%Y}")
    page.check(f"input[name=petitions][value='{petition.pk}']")
    submit(page, "#conclusion-form button[type=submit]")
    item = ConclusionItem.objects.get(conference=conference)
    assert (item.assignee, list(item.petitions.all())) == (world.land_a, [petition])
    screenshot(page, "journey-05-conclusions")

    # --- alice assigns the petition to the land office; the due date is shown -------------------
    page.goto(f"{base}/portal/petitions/{petition.pk}/")
    page.click("#action-assign")
    due = page.input_value("#id_due_on")
    assert due, "the assign form proposes the due date from the rule in force"
    page.select_option("#id_organisation", str(world.land_a.pk))
    page.fill("#id_note", "Đề nghị kiểm tra hiện trường, trả lời bằng văn bản.")
    screenshot(page, "journey-06-assign-form")
    submit(page, "#confirm")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.IN_PROGRESS and petition.handling_org == world.land_a
    assert page.inner_text("#due-on").startswith(f"{petition.due_on:%d/%m/%Y}")
    screenshot(page, "journey-07-petition-assigned")
    sign_out(page)

    # --- hana answers with the document's number and date and a PDF --------------------------------
    sign_in(page, base, "hana")
    page.goto(f"{base}/portal/petitions/?my_unit=1")
    assert page.locator(f"tr[data-petition='{petition.pk}']").count() == 1
    screenshot(page, "journey-08-hana-inbox")
    page.goto(f"{base}/portal/petitions/{petition.pk}/")
    page.click("#action-answer")
    page.fill("#id_text", "Phường đã sửa chữa mặt đường ngõ 12, hoàn thành ngày 20/11.")
    page.fill("#id_document_number", "215/UBND-KT")
    page.fill("#id_document_date", today.isoformat())  # an HTML date input
    page.set_input_files("#id_evidence", str(evidence))
    screenshot(page, "journey-09-answer-form")
    submit(page, "#confirm")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    answer = petition.answers.get()
    assert (answer.document_number, answer.document_date) == ("215/UBND-KT", today) and answer.evidence
    screenshot(page, "journey-10-petition-answered")
    sign_out(page)

    # --- alice drafts the follow-up notice from the conference -----------------------------------
    sign_in(page, base, "alice")
    page.goto(f"{base}/portal/notices/conferences-without-notice/")
    assert "Hội nghị đối thoại quý IV phường An" in page.content()
    submit(page, f"form[action='/portal/notices/from-conference/{conference.pk}/'] button[type=submit]")
    notice = FollowUpNotice.objects.get(conference=conference)
    assert page.url.endswith(f"/portal/notices/{notice.pk}/edit/")
    page.fill("input[name=number]", "31-TB/ĐU")
    page.fill("input[name=issued_on]", today.isoformat())
    screenshot(page, "journey-11-notice-draft")
    submit(page)
    notice.refresh_from_db()
    assert (notice.number, notice.issued_on) == ("31-TB/ĐU", today)
    assert set(notice.petitions.all()) == {petition, on_spot}
    sign_out(page)

    # --- chris approves and publishes it ----------------------------------------------------------
    sign_in(page, base, "chris")
    page.goto(f"{base}/portal/notices/{notice.pk}/")
    page.click(f"a[href='/portal/notices/{notice.pk}/approve/']")
    submit(page)
    notice.refresh_from_db()
    screenshot(page, "journey-12-notice-approved")
    assert notice.status == NoticeStatus.APPROVED, page.inner_text("main")
    page.click(f"a[href='/portal/notices/{notice.pk}/publish/']")
    page.fill("textarea[name=posted_at]", "Bảng tin UBND phường An; loa phát thanh")
    submit(page)
    notice.refresh_from_db()
    conference.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED and notice.approved_by == world.chris
    assert conference.status == ConferenceStatus.CONCLUDED
    screenshot(page, "journey-13-notice-published")
    sign_out(page)

    # --- fiona records a finding on the conclusion item -------------------------------------------
    sign_in(page, base, "fiona")
    page.goto(f"{base}/portal/supervision/")
    page.click(f"a[href='/portal/supervision/new/?conclusion_item={item.pk}']")
    page.check("input[name=finding][value=met]")
    page.fill("textarea[name=recommendation]", "Đã kiểm tra thực tế: mặt đường đã được sửa.")
    screenshot(page, "journey-14-supervision-form")
    submit(page)
    supervision = Supervision.objects.get()
    assert (supervision.conclusion_item, supervision.finding, supervision.supervisor) == (item, "met", world.fiona)
    screenshot(page, "journey-15-supervision-list")
    sign_out(page)

    # --- an anonymous citizen follows the petition by its code and gives the verdict ------------------
    citizen = page.context.browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    citizen.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    phone = citizen.new_page()
    phone.set_default_timeout(15000)
    try:
        phone.goto(f"{base}/tra-cuu/")
        phone.fill("input[name=code]", petition.display_code)
        submit(phone, "main form button[type=submit]")
        assert phone.url.endswith(f"/tra-cuu/{petition.tracking_code}/")
        content = phone.content()
        assert "Phường đã sửa chữa mặt đường ngõ 12" in content and "215/UBND-KT" in content
        assert "31-TB/ĐU" in content and f"/thong-bao/{notice.pk}/" in content
        assert "Trần Văn Cử" not in content
        screenshot(phone, "journey-16-citizen-tracking")
        phone.check("input[name=verdict][value=resolved]")
        phone.check("input[name=rating][value='5']")
        phone.fill("textarea[name=comment]", "Cảm ơn phường đã sửa đường.")
        submit(phone, "form[action$='/danh-gia/'] button[type=submit]")
        petition.refresh_from_db()
        assert (petition.status, petition.verdict, petition.rating) == (PetitionStatus.RESOLVED, "resolved", 5)
        screenshot(phone, "journey-17-citizen-verdict")
    finally:
        citizen.close()

    # --- alice's petition page shows the whole chain -----------------------------------------------
    sign_in(page, base, "alice")
    page.goto(f"{base}/portal/petitions/{petition.pk}/")
    actions = timeline_actions(page)
    chain = [
        ("raised_at_conference",),
        ("assigned",),
        ("answered",),
        ("notice", "notice_published"),
        ("supervision", "supervised"),
        ("verdict",),
    ]
    assert in_order(actions, chain), actions
    screenshot(page, "journey-18-petition-timeline")


def build_published_and_supervised(world):
    """Through the services: a held conference, a petition raised there, assigned, answered, in a
    published notice, supervised on its conclusion item and on itself. Return the petition."""
    from django.core.files.base import ContentFile

    from conferences import services as conferences
    from followup import services as followup
    from petitions import services as petitions

    today = timezone.localdate()
    conference = conferences.schedule_conference(
        unit=world.ward_a,
        kind="periodic",
        format="thematic",
        title="Hội nghị đối thoại chuyên đề",
        # A start in the past is refused: the conference starts in a few minutes, on short notice.
        planned_start=timezone.now() + datetime.timedelta(minutes=5),
        by=world.alice,
    )
    conferences.announce_conference(
        conference=conference, invitation_sent_on=today, short_notice_reason="Đối thoại gấp", by=world.alice
    )
    conference = conferences.record_conference_held(conference=conference, held_on=today, by=world.alice)
    petition = petitions.record_conference_opinion(
        conference=conference,
        kind="kien_nghi",
        category=world.category,
        title="Đường ngõ 12 bị lún",
        content="Mặt đường lún.",
        by=world.alice,
    )
    item = conferences.add_conclusion_item(
        conference=conference, text="Sửa đường", assignee=world.land_a, petitions=[petition], by=world.alice
    )
    petitions.assign_petition(petition=petition, organisation=world.land_a, by=world.alice)
    petitions.answer_petition(
        petition=petition,
        text="Đã sửa.",
        document_number="1/UBND",
        document_date=today,
        evidence=ContentFile(PDF_BYTES, name="tra-loi.pdf"),
        by=world.hana,
    )
    notice = followup.draft_notice_from_conference(conference=conference, by=world.alice)
    followup.update_notice(
        notice=notice, by=world.alice, title=notice.title, text=notice.text, number="2-TB/ĐU", issued_on=today
    )
    followup.approve_notice(notice=notice, by=world.chris)
    followup.publish_notice(notice=notice, by=world.chris)
    followup.record_supervision(
        unit=world.ward_a, by=world.fiona, subject="Kết luận 1", finding="met", conclusion_item=item
    )
    followup.record_supervision(
        unit=world.ward_a, by=world.fiona, subject="Kiến nghị", finding="met", petition=petition
    )
    return petition


def test_timeline_entries_are_labelled_and_not_repeated(world, desktop_page, live_server):
    """Each step of the chain shows once per event on the petition's timeline, labelled in words, not by its code."""
    petition = build_published_and_supervised(world)
    page, base = desktop_page, live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}/portal/petitions/{petition.pk}/")
    entries = page.eval_on_selector_all(
        "#timeline li",
        "items => items.map(li => [li.dataset.action, li.querySelector('.fw-semibold').textContent.trim()])",
    )
    screenshot(page, "journey-30-timeline-labels")
    raw = [(action, label) for action, label in entries if label == action]
    assert not raw, f"timeline entries labelled with their raw code: {raw}"
    actions = [action for action, _label in entries]
    published = [a for a in actions if a in ("notice", "notice_published")]
    supervised = [a for a in actions if a in ("supervision", "supervised")]
    assert len(published) == 1, f"one published notice shows {len(published)} times: {actions}"
    assert len(supervised) == 2, f"two findings show {len(supervised)} times: {actions}"


def test_a_citizens_not_resolved_reopens_the_petition(
    world, desktop_page, phone_page, live_server, settings, monkeypatch
):
    import captcha.conf.settings as captcha_settings

    settings.CAPTCHA_TEST_MODE = True
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    base = live_server.url
    phone, page = phone_page, desktop_page

    # --- the citizen sends a petition from a phone ----------------------------------------------
    phone.goto(f"{base}/gui-kien-nghi/")
    phone.select_option("select[name=unit]", str(world.ward_a.pk))
    phone.check("input[name=kind][value=phan_anh]")
    phone.select_option("select[name=category]", str(world.category.pk))
    phone.fill("input[name=title]", "Cống thoát nước ngõ 7 bị tắc")
    phone.fill("textarea[name=content]", "Cống ngõ 7 tắc, mưa là ngập, mùi hôi.")
    phone.fill("input[name=petitioner_name]", "Phạm Thị Lan")
    phone.fill("input[name=petitioner_phone]", "0987 654 321")
    phone.check("input[name=consent]")
    screenshot(phone, "journey-21-citizen-form")
    submit(phone, "main form button[type=submit]")
    assert phone.url.endswith("/gui-kien-nghi/xem-lai/")
    phone.fill("input[name=captcha_1]", "PASSED")
    screenshot(phone, "journey-22-citizen-preview")
    submit(phone, "main form button[type=submit]")
    assert phone.url.endswith("/gui-kien-nghi/da-gui/")
    petition = Petition.objects.get()
    assert phone.inner_text("#tracking-code").strip() == petition.display_code
    assert petition.status == PetitionStatus.SUBMITTED
    screenshot(phone, "journey-23-citizen-sent")

    # --- alice accepts and assigns it ---------------------------------------------------------------
    sign_in(page, base, "alice")
    page.goto(f"{base}/portal/petitions/?status=submitted")
    page.click(f"tr[data-petition='{petition.pk}'] a")
    page.click("#action-accept")
    submit(page, "#confirm")
    page.click("#action-assign")
    page.select_option("#id_organisation", str(world.land_a.pk))
    submit(page, "#confirm")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.IN_PROGRESS and petition.handling_org == world.land_a
    sign_out(page)

    # --- hana answers -------------------------------------------------------------------------------
    sign_in(page, base, "hana")
    page.goto(f"{base}/portal/petitions/{petition.pk}/")
    page.click("#action-answer")
    page.fill("#id_text", "Đã nạo vét cống ngõ 7.")
    page.fill("#id_document_number", "220/UBND-KT")
    page.set_input_files(
        "#id_evidence", files=[{"name": "nao-vet.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    submit(page, "#confirm")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    sign_out(page)

    # --- the citizen says it was not resolved -----------------------------------------------------
    phone.goto(f"{base}/tra-cuu/{petition.tracking_code}/")
    assert "Đã nạo vét cống ngõ 7." in phone.content()
    phone.check("input[name=verdict][value=not_resolved]")
    phone.check("input[name=rating][value='2']")
    phone.fill("textarea[name=comment]", "Cống vẫn tắc sau trận mưa hôm qua.")
    submit(phone, "form[action$='/danh-gia/'] button[type=submit]")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.IN_PROGRESS and petition.reopened_count == 1
    assert petition.verdict == "not_resolved"
    screenshot(phone, "journey-24-citizen-not-resolved")

    # The unit is alerted: alice (its official) and hana (the handling officer) get the alert.
    alerted = {
        m.recipient
        for model in (OutboxMessage, Delivery)
        for m in model.objects.filter(kind=NotificationKind.NOT_RESOLVED_ALERT, object_id=petition.pk)
    }
    assert {f"user:{world.alice.pk}", f"user:{world.hana.pk}"} <= alerted, alerted

    # --- alice sees it in progress again ------------------------------------------------------------
    sign_in(page, base, "alice")
    page.goto(f"{base}/portal/")
    screenshot(page, "journey-25-alice-dashboard-reopened")
    page.goto(f"{base}/portal/petitions/")
    row = page.locator(f"tr[data-petition='{petition.pk}']")
    assert row.count() == 1
    assert "In progress" in row.inner_text()
    screenshot(page, "journey-26-alice-inbox-reopened")
    page.goto(f"{base}/portal/petitions/{petition.pk}/")
    actions = timeline_actions(page)
    assert in_order(actions, [("submitted",), ("accepted",), ("assigned",), ("answered",), ("verdict",), ("reopened",)])
    screenshot(page, "journey-27-petition-reopened")


def reopened_by_the_citizen(world):
    """Through the services: a petition of ward A answered by hana, then "not resolved" by the citizen."""
    from django.core.files.base import ContentFile

    from petitions import services

    petition = services.submit_petition(
        unit=world.ward_a,
        kind="phan_anh",
        category=world.category,
        title="Cống thoát nước ngõ 7 bị tắc",
        content="Cống tắc.",
        consent=True,
    )
    services.accept_petition(petition=petition, by=world.alice)
    services.assign_petition(petition=petition, organisation=world.land_a, by=world.alice)
    services.answer_petition(
        petition=petition,
        text="Đã nạo vét.",
        document_number="220/UBND-KT",
        document_date=timezone.localdate(),
        evidence=ContentFile(PDF_BYTES, name="nao-vet.pdf"),
        by=world.hana,
    )
    services.record_verdict(petition=petition, verdict="not_resolved", comment="Vẫn tắc.")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.IN_PROGRESS
    return petition


def test_the_dashboard_shows_a_petition_the_citizen_reopened(world, desktop_page, live_server):
    petition = reopened_by_the_citizen(world)
    page, base = desktop_page, live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}/portal/")
    figures = page.eval_on_selector_all(
        "section[aria-labelledby=work-heading] a[href^='/portal/petitions/']",
        "links => links.map(a => [a.getAttribute('href'), a.textContent.trim()])",
    )
    leading_to_it = []
    for href, text in figures:
        if text.strip() in ("", "0"):
            continue
        page.goto(base + href)
        if page.locator(f"tr[data-petition='{petition.pk}']").count():
            leading_to_it.append((href, text))
        page.go_back()
    assert leading_to_it, f"no figure of 'Petitions in hand' leads to the reopened petition: {figures}"


def test_a_resolved_petition_is_not_reassigned_without_being_reopened(world, desktop_page, live_server):
    petition = build_published_and_supervised(world)
    from petitions import services

    services.mark_resolved(petition=petition, by=world.alice)
    page, base = desktop_page, live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}/portal/petitions/{petition.pk}/")
    offered = page.locator("#action-assign").count()
    page.goto(f"{base}/portal/petitions/{petition.pk}/assign/")
    if page.locator("#id_organisation").count():
        page.select_option("#id_organisation", str(world.land_a.pk))
        page.check("input[name=mode][value=assign]")
        submit(page, "#confirm")
    petition.refresh_from_db()
    assert (offered, petition.status) == (0, PetitionStatus.RESOLVED), (
        f"assign offered: {bool(offered)}; status after assigning: {petition.status}, "
        f"reopened_count {petition.reopened_count}, resolved_at {petition.resolved_at}"
    )
