"""Vietnamese first (BRIEF §5): the main public and officials' screens, as a first-time visitor sees them.

`vi_page` carries no language cookie, so the portal answers in Vietnamese. Each page must say
`<html lang="vi">`, show its heading and a few words in Vietnamese, show no English sentence of
the catalogue (a string left untranslated, or rendered outside the active language), and pass axe
with no serious or critical violation. Screenshots: test-artifacts/screenshots/vi-<page>.png.
"""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from conferences.models import Conference
from followup.models import FollowUpNotice
from reports.models import Report
from tests import factories as f
from tests.conftest import run_axe, screenshot, sign_in
from tests.test_journeys import build_published_and_supervised

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VI_PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(|%[sdif]|\{|<|&")


def _unquote(text: str) -> str:
    return json.loads(text) if text.startswith('"') else text


def catalogue_sentences() -> list[str]:
    """Return the English source strings of the catalogue worth looking for in a page: two words or
    more, no placeholder or markup, and not the same in both languages (e.g. "Excel (XLSX)").
    Finding one in a Vietnamese page means it was not translated, or not rendered in Vietnamese."""
    found = []
    for block in re.split(r"\n\s*\n", VI_PO.read_text(encoding="utf-8")):
        entry, field = {}, None
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#") or not line:
                continue
            if line.startswith('"'):
                if field:
                    entry[field] += _unquote(line)
                continue
            field, _space, value = line.partition(" ")
            entry[field] = _unquote(value)
        msgid = entry.get("msgid", "")
        if entry.get("msgstr") == msgid or "msgid_plural" in entry:
            continue
        if len(msgid.split()) >= 2 and len(msgid) >= 10 and not PLACEHOLDER.search(msgid) and msgid.isascii():
            found.append(msgid)
    return sorted(set(found), key=len, reverse=True)


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return translation.gettext(msgid)


@pytest.fixture
def records(world):
    """A concluded conference with a petition answered, published in a notice and supervised; a plan; a report."""
    with translation.override("vi"):  # as in a Vietnamese session: the notice is drafted in Vietnamese
        petition = build_published_and_supervised(world)
    conference = Conference.objects.get(pk=petition.conference_id)
    notice = FollowUpNotice.objects.get(conference=conference)
    plan = f.PlanFactory(unit=world.ward_a, year=timezone.localdate().year)
    f.PlanItemFactory(plan=plan)
    year = timezone.localdate().year
    report = Report.objects.create(
        unit=world.district,
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
        format=Report.Format.JSON,
        status=Report.Status.DONE,
        progress=100,
        requested_by=world.sam,
    )
    report.file.save("bao-cao.json", ContentFile(b"{}"))
    return petition, conference, notice, plan


def check(page, name, words, problems):
    """Check one Vietnamese page; append what is wrong to `problems` (so every page is seen before failing)."""
    assert page.evaluate("document.documentElement.lang") == "vi", f"{name}: <html lang> is not vi"
    text = page.inner_text("body")
    html = page.content()  # words in a collapsed phone menu are in the page, not in its visible text
    for word in words:
        if word not in text and word not in html:
            problems.append((name, "missing Vietnamese", word))
    english = [s for s in catalogue_sentences() if s in text]
    # Keep the longest matches only (a short sentence inside a long one is the same leftover).
    english = [s for s in english if not any(s != longer and s in longer for longer in english)]
    for sentence in english:
        problems.append((name, "English left", sentence))
    for violation in run_axe(page):
        problems.append(
            (name, f"axe {violation['impact']}: {violation['id']}", [n["html"][:300] for n in violation["nodes"]])
        )
    screenshot(page, f"vi-{name}")


def test_public_pages_are_in_vietnamese(world, records, vi_page, live_server):
    petition, conference, notice, _plan = records
    page, base = vi_page, live_server.url
    problems = []
    pages = [
        (
            "home",
            f"/?ward={world.ward_a.pk}",
            ["Gửi kiến nghị", "Tra cứu kiến nghị", vi("Talk to your ward's leaders")],
        ),
        ("petition-form", "/gui-kien-nghi/", [vi("Send a petition"), "Kiến nghị"]),
        ("track-form", "/tra-cuu/", [vi("Follow my petition")]),
        ("track-detail", f"/tra-cuu/{petition.tracking_code}/", ["Kiến nghị", petition.display_code]),
        ("notice-list", "/thong-bao/", [vi("Follow-up notices"), notice.title]),
        ("notice-detail", f"/thong-bao/{notice.pk}/", ["Thông báo", notice.number]),
        ("conference-calendar", "/hoi-nghi/", [vi("Dialogue conferences"), "Hội nghị"]),
        ("conference-detail", f"/hoi-nghi/{conference.pk}/", ["Hội nghị", conference.title]),
        ("my-data", "/du-lieu-cua-toi/", [vi("My data")]),
        ("open-data", "/du-lieu-mo/", [vi("Open data"), vi("Charts"), vi("News by e-mail")]),
        ("alert-subscribe", f"/tin/dang-ky/?ward={world.ward_a.pk}", [vi("E-mail alerts"), vi("Subscribe")]),
        ("login", "/accounts/login/", ["Đăng nhập", vi("Officials' sign-in")]),
    ]
    for name, path, words in pages:
        page.goto(base + path)
        check(page, name, words, problems)
    assert not problems, "\n".join(map(str, problems))


def test_officials_pages_are_in_vietnamese(world, records, vi_page, live_server):
    petition, conference, notice, plan = records
    page, base = vi_page, live_server.url
    year = timezone.localdate().year
    problems = []
    personas = {
        "alice": [
            ("dashboard", "/portal/", ["Tổng quan", "Kiến nghị", "Hội nghị", "Đăng xuất"]),
            ("inbox", "/portal/petitions/", ["Kiến nghị", petition.display_code]),
            ("petition-detail", f"/portal/petitions/{petition.pk}/", [vi("Timeline"), petition.title]),
            ("conference-list", "/portal/conferences/", ["Hội nghị", conference.title]),
            ("conference-detail", f"/portal/conferences/{conference.pk}/", ["Hội nghị", conference.title]),
            ("conference-calendar", "/portal/conferences/calendar/", [vi("Conference calendar")]),
            ("plan-list", f"/portal/plans/?year={year}", [plan.title]),
            ("notice-detail", f"/portal/notices/{notice.pk}/", ["Thông báo", notice.number]),
        ],
        "sam": [
            ("compliance", f"/portal/compliance/?year={year}", [vi("Compliance board")]),
            ("reports", "/portal/reports/", [vi("Reports")]),
        ],
        "fiona": [
            ("supervision", "/portal/supervision/", [vi("Front supervision")]),
        ],
    }
    for username, pages in personas.items():
        page.context.clear_cookies()
        sign_in(page, base, username)
        assert page.url.endswith("/portal/"), f"{username} did not land on the dashboard: {page.url}"
        for name, path, words in pages:
            page.goto(base + path)
            check(page, name, words, problems)
    assert not problems, "\n".join(map(str, problems))


def test_the_catalogue_words_the_checks_rely_on_are_translated():
    """The headings looked up with `vi()` above must really change language (else the checks prove nothing)."""
    for msgid in [
        "Talk to your ward's leaders",
        "Send a petition",
        "Follow my petition",
        "Follow-up notices",
        "Dialogue conferences",
        "My data",
        "Officials' sign-in",
        "Timeline",
        "Conference calendar",
        "Compliance board",
        "Reports",
        "Front supervision",
    ]:
        assert vi(msgid) != msgid, f"not translated: {msgid!r}"


def test_reopen_button_has_enough_contrast(world, records, vi_page, live_server):
    petition = records[0]
    sign_in(vi_page, live_server.url, "alice")
    vi_page.goto(f"{live_server.url}/portal/petitions/{petition.pk}/")
    assert vi_page.locator("#action-reopen").count() == 1
    violations = [(v["id"], [n["html"] for n in v["nodes"]]) for v in run_axe(vi_page)]
    assert violations == []


def test_a_notice_drafted_from_an_english_session_is_in_vietnamese(world):
    with translation.override("en"):
        petition = build_published_and_supervised(world)
    notice = FollowUpNotice.objects.get(conference_id=petition.conference_id)
    with translation.override("vi"):
        headings = [translation.gettext("I. Conclusions"), translation.gettext("II. Opinions raised and their answers")]
    assert "I. Conclusions" not in notice.text and all(h in notice.text for h in headings), notice.text
