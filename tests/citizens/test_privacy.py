"""No public page shows a petitioner's personal data: name, phone (in any format), e-mail, address."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.services import approve_notice, publish_notice
from petitions.services import record_conference_opinion
from tests import factories as f
from tests.citizens.conftest import EMAIL, NAME, PHONE_FORMS

ADDRESS = "Số 15 ngõ 12"
NEEDLES = [NAME, NAME.upper(), "Nguyen Thi Hoa", EMAIL, ADDRESS, "912345678", "912 345 678", *PHONE_FORMS]


def assert_no_personal_data(response):
    body = response.content.decode()
    found = [needle for needle in NEEDLES if needle in body]
    assert not found, f"{response.request['PATH_INFO']} shows {found}"


@pytest.fixture
def chain(world, submitted, answered):
    """A petition answered, published in a notice of a held conference, plus an opinion raised there."""
    conference = f.ConferenceFactory(
        unit=world.ward_a,
        status="held",
        held_on=datetime.date(2026, 11, 1),
        planned_start=timezone.now() - datetime.timedelta(days=20),
        chair="Chủ tịch UBND phường",
        attendance=80,
    )
    petition = submitted(requested_conference=None)
    answered(petition)
    opinion = record_conference_opinion(
        conference=conference,
        kind="kien_nghi",
        category=world.category,
        title="Ý kiến tại hội nghị",
        content="Nội dung",
        petitioner_name=NAME,
        petitioner_phone="+84912345678",
        petitioner_address=ADDRESS,
        by=world.alice,
        answer_on_spot="Trả lời tại chỗ",
    )
    notice = f.NoticeFactory(unit=world.ward_a, conference=conference, number="5/TB-UBND", issued_on="2026-11-05")
    notice.petitions.add(petition, opinion)
    approve_notice(notice=notice, by=world.chris)
    publish_notice(notice=notice, by=world.chris)
    return {"petition": petition, "opinion": opinion, "conference": conference, "notice": notice}


def test_public_pages_contain_no_personal_data(client, world, chain):
    petition, opinion = chain["petition"], chain["opinion"]
    urls = [
        reverse("citizens:home"),
        reverse("citizens:home") + f"?ward={world.ward_a.pk}",
        reverse("citizens:track_detail", args=[petition.tracking_code]),
        reverse("citizens:track_detail", args=[opinion.tracking_code]),
        reverse("citizens:notice_list"),
        reverse("citizens:notice_detail", args=[chain["notice"].pk]),
        reverse("citizens:conference_calendar"),
        reverse("citizens:conference_detail", args=[chain["conference"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_personal_data(response)
    # The page really is about the seeded petition: it shows its substance.
    assert petition.title in client.get(urls[2]).content.decode()


def test_name_shown_only_when_the_petitioner_asked(client, world, submitted):
    hidden = submitted()
    shown = submitted(show_name_publicly=True, petitioner_name="Lê Văn Công Khai")
    assert NAME not in client.get(reverse("citizens:track_detail", args=[hidden.tracking_code])).content.decode()
    body = client.get(reverse("citizens:track_detail", args=[shown.tracking_code])).content.decode()
    assert "Lê Văn Công Khai" in body
    assert EMAIL not in body and "912345678" not in body


def test_preview_and_confirmation_pages_are_not_cached(client, world, form_data, captcha_passes):
    client.post(reverse("citizens:petition_new"), form_data())
    response = client.get(reverse("citizens:petition_preview"))
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
