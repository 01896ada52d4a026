"""Home, notices and conferences: what the public sees, and that lists cost the same with 1 or 50 rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conferences.models import ConferenceStatus
from tests import factories as f
from units.models import SuccessionKind, UnitSuccession


def published_notice(unit, **extra):
    return f.NoticeFactory(unit=unit, status="published", published_at=timezone.now(), **extra)


def test_home_shows_the_chosen_wards_next_conferences_and_old_names(client, world, upcoming_conference):
    old = f.UnitFactory(name="Cổ Nhuế 2", valid_from=datetime.date(2008, 8, 1), valid_to=datetime.date(2025, 6, 30))
    UnitSuccession.objects.create(
        predecessor=old, successor=world.ward_a, kind=SuccessionKind.PART, effective_on=datetime.date(2025, 7, 1)
    )
    f.ConferenceFactory(unit=world.ward_b, status="announced", title="Hội nghị phường Bình")
    response = client.get(reverse("citizens:home"), {"ward": world.ward_a.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert upcoming_conference.title in body and "Hội nghị phường Bình" not in body
    assert "Cổ Nhuế 2" in body
    assert old not in response.context["ward_form"].fields["ward"].queryset


def test_home_with_a_bad_ward_value_is_not_an_error(client, world):
    for value in ["abc", "-1", "99999999999999999999999", "1\x00"]:
        assert client.get(reverse("citizens:home"), {"ward": value}).status_code == 200


def test_home_figures_use_the_reports_definitions(client, world, submitted, answered):
    petition = submitted()
    answered(petition)
    submitted(title="B")
    figures = client.get(reverse("citizens:home")).context["figures"]
    assert figures["received"] == 2
    assert figures["answered"] == 1
    assert figures["on_time_share"] == 100


def test_notice_list_shows_published_notices_only_and_filters_by_ward(client, world):
    published_notice(world.ward_a, title="TB phường An")
    published_notice(world.ward_b, title="TB phường Bình")
    f.NoticeFactory(unit=world.ward_a, title="Bản nháp chưa công bố")
    body = client.get(reverse("citizens:notice_list")).content.decode()
    assert "TB phường An" in body and "TB phường Bình" in body and "Bản nháp" not in body
    body = client.get(reverse("citizens:notice_list"), {"ward": world.ward_a.pk}).content.decode()
    assert "TB phường An" in body and "TB phường Bình" not in body
    assert client.get(reverse("citizens:notice_list"), {"ward": "x", "year": "y", "page": "z"}).status_code == 200


def test_draft_notice_is_404(client, world):
    draft = f.NoticeFactory(unit=world.ward_a)
    assert client.get(reverse("citizens:notice_detail", args=[draft.pk])).status_code == 404


def test_notice_detail_lists_its_public_petitions_without_names(client, world, submitted):
    notice = published_notice(world.ward_a, number="12/TB-UBND")
    shown = submitted(title="Sửa đèn ngõ 12")
    hidden = submitted(title="Khiếu nại bí mật", kind="khieu_nai", channel="reception")
    notice.petitions.add(shown, hidden)
    body = client.get(reverse("citizens:notice_detail", args=[notice.pk])).content.decode()
    assert "Sửa đèn ngõ 12" in body and "Khiếu nại bí mật" not in body
    assert "12/TB-UBND" in body


def test_conference_calendar_and_held_conference_page(client, world, upcoming_conference):
    held = f.ConferenceFactory(
        unit=world.ward_a,
        status=ConferenceStatus.CONCLUDED,
        held_on=datetime.date(2026, 10, 5),
        planned_start=timezone.now() - datetime.timedelta(days=50),
        chair="Ông Trần Văn B, Bí thư Đảng ủy phường",
        attendance=120,
        opinions_raised_count=14,
        answered_on_spot_count=9,
        title="Hội nghị đã tổ chức",
    )
    f.ConferenceFactory(unit=world.ward_a, status=ConferenceStatus.CANCELLED, title="Hội nghị đã hủy")
    notice = published_notice(world.ward_a, conference=held, title="Thông báo kết luận hội nghị")
    body = client.get(reverse("citizens:conference_calendar")).content.decode()
    assert upcoming_conference.title in body and "Hội nghị đã tổ chức" in body and "Hội nghị đã hủy" not in body
    response = client.get(reverse("citizens:conference_detail", args=[held.pk]))
    page = response.content.decode()
    assert "Ông Trần Văn B" in page and "120" in page
    assert response.context["figures"] == {"raised": 14, "on_spot": 9}
    assert reverse("citizens:notice_detail", args=[notice.pk]) in page


def test_conference_figures_count_the_opinions_recorded_there(client, world):
    from petitions.services import record_conference_opinion

    held = f.ConferenceFactory(unit=world.ward_a, status="held", held_on=datetime.date(2026, 11, 1))
    for n, answer in enumerate(["Đã trả lời tại chỗ", "", ""]):
        record_conference_opinion(
            conference=held,
            kind="kien_nghi",
            category=world.category,
            title=f"Ý kiến {n}",
            content="…",
            by=world.alice,
            answer_on_spot=answer,
        )
    response = client.get(reverse("citizens:conference_detail", args=[held.pk]))
    assert response.context["figures"] == {"raised": 3, "on_spot": 1}


def test_cancelled_conference_page_is_404(client, world):
    cancelled = f.ConferenceFactory(unit=world.ward_a, status=ConferenceStatus.CANCELLED)
    assert client.get(reverse("citizens:conference_detail", args=[cancelled.pk])).status_code == 404


@pytest.mark.parametrize("url_name", ["citizens:notice_list", "citizens:conference_calendar", "citizens:home"])
def test_list_pages_cost_the_same_with_1_and_50_rows(client, world, django_assert_num_queries, url_name):
    def add(n):
        for _i in range(n):
            conference = f.ConferenceFactory(
                unit=world.ward_a,
                status="held",
                held_on=datetime.date(2026, 10, 1),
                planned_start=timezone.now() - datetime.timedelta(days=30),
                attendance=50,
            )
            f.ConferenceFactory(unit=world.ward_a, status="announced")
            published_notice(world.ward_a, conference=conference)

    add(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(url_name), {"ward": world.ward_a.pk}).status_code == 200
    add(49)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse(url_name), {"ward": world.ward_a.pk})


def test_conference_page_offers_to_raise_a_petition_there_prefilled(client, world, upcoming_conference):
    f.ConferenceFactory(
        unit=world.ward_a,
        status="announced",
        title="Hội nghị khác",
        planned_start=timezone.now() + datetime.timedelta(days=5),
    )
    page = client.get(reverse("citizens:conference_detail", args=[upcoming_conference.pk]))
    link = f"{reverse('citizens:petition_new')}?ward={world.ward_a.pk}&amp;conference={upcoming_conference.pk}"
    assert link in page.content.decode()
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert form.initial["requested_conference"] == upcoming_conference.pk
    assert form.initial["unit"] == world.ward_a.pk
    # A conference of another ward, or an unknown one, prefills nothing.
    other = f.ConferenceFactory(
        unit=world.ward_b, status="announced", planned_start=timezone.now() + datetime.timedelta(days=5)
    )
    for value in [other.pk, "abc", "99999999"]:
        query = {"ward": world.ward_a.pk, "conference": value}
        assert "requested_conference" not in client.get(reverse("citizens:petition_new"), query).context["form"].initial


@pytest.mark.parametrize("status", ["postponed", "held", "concluded"])
def test_conference_page_does_not_offer_a_petition_once_postponed_or_held(client, world, status):
    conference = f.ConferenceFactory(
        unit=world.ward_a,
        status=status,
        planned_start=timezone.now() + datetime.timedelta(days=3),
        held_on=datetime.date(2026, 10, 5) if status != "postponed" else None,
    )
    body = client.get(reverse("citizens:conference_detail", args=[conference.pk])).content.decode()
    assert "Send a petition to raise at this conference" not in body
