"""The conferences' calendars (iCalendar) and the news feeds (Atom), parsed with real parsers."""

import datetime
from xml.etree import ElementTree

import icalendar
import pytest
from django.utils import timezone

from conferences.models import ConferenceStatus
from conferences.services import cancel_conference, postpone_conference
from followup.models import NoticeStatus
from tests import factories as f
from tests.opendata.conftest import PERSONAL

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def parse_atom(content: bytes):
    return ElementTree.fromstring(content)  # noqa: S314 - our own server's answer, in a test


def events(response) -> dict:
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_city_calendar_has_every_wards_conference_in_hanoi_time(client, world):
    start = timezone.make_aware(datetime.datetime(2027, 3, 5, 8, 0), datetime.UTC)
    f.ConferenceFactory(unit=world.ward_a, title="Đối thoại phường An", planned_start=start)
    f.ConferenceFactory(unit=world.ward_b, title="Đối thoại phường Bình")
    response = client.get("/lich/hoi-nghi.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    found = events(response)
    assert set(found) == {"Đối thoại phường An", "Đối thoại phường Bình"}
    event = found["Đối thoại phường An"]
    assert event["dtstart"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event.decoded("dtstart").hour == 15 and event.decoded("dtstart") == start  # 08:00 UTC is 15:00 in Hà Nội
    assert event["status"] == "TENTATIVE" and event["sequence"] == 0
    assert event["url"].endswith(f"/hoi-nghi/{found['Đối thoại phường An']['uid'].split('-')[1].split('@')[0]}/")


def test_ward_calendar_has_only_that_wards_conferences(client, world):
    f.ConferenceFactory(unit=world.ward_a, title="An")
    f.ConferenceFactory(unit=world.ward_b, title="Bình")
    assert set(events(client.get(f"/lich/hoi-nghi/{world.ward_a.pk}.ics"))) == {"An"}
    assert client.get("/lich/hoi-nghi/999999.ics").status_code == 404


def test_updates_and_cancellations_keep_the_uid_and_raise_the_sequence(client, world):
    conference = f.ConferenceFactory(unit=world.ward_a, title="Đối thoại", status=ConferenceStatus.PLANNED)
    [before] = events(client.get("/lich/hoi-nghi.ics")).values()
    postpone_conference(conference=conference, reason="Trùng lịch họp HĐND", by=world.alice)
    [postponed] = events(client.get("/lich/hoi-nghi.ics")).values()
    assert postponed["uid"] == before["uid"] and postponed["sequence"] > before["sequence"]
    assert postponed["status"] == "TENTATIVE" and str(postponed["summary"]).startswith("Postponed")
    conference.refresh_from_db()
    cancel_conference(conference=conference, reason="Không còn cần thiết", by=world.alice)
    [cancelled] = events(client.get("/lich/hoi-nghi.ics")).values()
    assert cancelled["uid"] == before["uid"] and cancelled["sequence"] > postponed["sequence"]
    assert cancelled["status"] == "CANCELLED"


def test_conference_page_offers_add_to_calendar_and_its_feed(client, world):
    conference = f.ConferenceFactory(unit=world.ward_a, title="Đối thoại", status=ConferenceStatus.ANNOUNCED)
    page = client.get(f"/hoi-nghi/{conference.pk}/").content.decode()
    assert f'href="/lich/hoi-nghi/su-kien/{conference.pk}.ics"' in page
    assert 'rel="alternate" type="application/atom+xml"' in page and f"/tin/hoi-nghi/{world.ward_a.pk}.atom" in page
    [event] = events(client.get(f"/lich/hoi-nghi/su-kien/{conference.pk}.ics")).values()
    assert event["status"] == "CONFIRMED"
    conference.status = ConferenceStatus.CANCELLED
    conference.save(update_fields=["status"])
    assert client.get(f"/lich/hoi-nghi/su-kien/{conference.pk}.ics").status_code == 404


def test_notice_feed_is_atom_with_the_published_notices_per_ward(client, world):
    now = timezone.now()
    f.NoticeFactory(
        unit=world.ward_a, number="12-TB/ĐU", title="Kết luận An", status=NoticeStatus.PUBLISHED, published_at=now
    )
    f.NoticeFactory(unit=world.ward_b, title="Kết luận Bình", status=NoticeStatus.PUBLISHED, published_at=now)
    f.NoticeFactory(unit=world.ward_a, title="Bản nháp")
    feed = parse_atom(client.get("/tin/thong-bao.atom").content)
    assert feed.tag == f"{ATOM}feed"
    titles = {e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")}
    assert titles == {"12-TB/ĐU Kết luận An", "Kết luận Bình"}
    ward = parse_atom(client.get(f"/tin/thong-bao/{world.ward_a.pk}.atom").content)
    [entry] = ward.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/thong-bao/")
    assert entry.findtext(f"{ATOM}summary") == "Nội dung thông báo kết luận."


def test_conference_feed_and_the_pages_link_to_the_feeds(client, world):
    f.ConferenceFactory(unit=world.ward_a, title="Đối thoại An")
    feed = parse_atom(client.get("/tin/hoi-nghi.atom").content)
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == ["Đối thoại An"]
    assert 'href="/tin/hoi-nghi.atom"' in client.get("/hoi-nghi/").content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in client.get("/thong-bao/").content.decode()
    assert 'href="/tin/thong-bao.atom"' in client.get("/thong-bao/").content.decode()


def test_no_personal_data_in_any_feed(client, world):
    conference = f.ConferenceFactory(unit=world.ward_a, status=ConferenceStatus.HELD)
    notice = f.NoticeFactory(
        unit=world.ward_a, conference=conference, status=NoticeStatus.PUBLISHED, published_at=timezone.now()
    )
    petition = f.PetitionFactory(
        unit=world.ward_a, category=world.category, conference=conference, petitioner_address=PERSONAL[-1]
    )
    notice.petitions.add(petition)
    for url in [
        "/lich/hoi-nghi.ics",
        f"/lich/hoi-nghi/{world.ward_a.pk}.ics",
        f"/lich/hoi-nghi/su-kien/{conference.pk}.ics",
        "/tin/thong-bao.atom",
        f"/tin/thong-bao/{world.ward_a.pk}.atom",
        "/tin/hoi-nghi.atom",
    ]:
        body = client.get(url).content.decode()
        assert body
        for value in PERSONAL:
            assert value not in body, (url, value)


def test_officials_own_calendar_is_behind_a_secret_revocable_address(client, world):
    from opendata.models import CalendarToken
    from opendata.services import issue_calendar_token, revoke_calendar_token

    f.ConferenceFactory(unit=world.ward_a, title="An")
    f.ConferenceFactory(unit=world.ward_b, title="Bình")
    f.ConferenceFactory(unit=world.ward_a, title="An, đã hủy", status=ConferenceStatus.CANCELLED)
    token, secret = issue_calendar_token(user=world.alice)
    assert secret not in CalendarToken.objects.get().token_hash
    response = client.get(f"/lich/can-bo/{secret}.ics")
    assert response["Cache-Control"] == "private, no-store"
    found = events(response)
    assert set(found) == {"An", "An, đã hủy"} and found["An, đã hủy"]["status"] == "CANCELLED"
    assert client.get("/lich/can-bo/wrong.ics").status_code == 404
    revoke_calendar_token(token=token)
    assert client.get(f"/lich/can-bo/{secret}.ics").status_code == 404
    _token, other = issue_calendar_token(user=world.bob)
    world.bob.is_active = False
    world.bob.save(update_fields=["is_active"])
    assert client.get(f"/lich/can-bo/{other}.ics").status_code == 404
