"""What a conference's pages show of what follows it: the follow-up notice action in the header, the
Front supervisor's "record a finding" on the conclusions, the held date, and who did what in the history."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conferences import services
from conferences.models import ConclusionItem, ConferenceStatus, MinutesStatus
from followup.models import FollowUpNotice
from followup.services import draft_notice_from_conference
from tests import factories as f


@pytest.fixture
def login():
    """Sign `user` in on a fresh client that reads the English source strings."""

    def _login(user) -> Client:
        c = Client()
        c.cookies["django_language"] = "en"
        c.force_login(user)
        return c

    return _login


def url(name, *args):
    return reverse(f"conferences:{name}", args=args)


def header(html: str) -> str:
    """Return the conference header (title, summary and notice action), up to the tabs."""
    return html[html.index("<h1") : html.index('<ul class="nav nav-tabs')]


@pytest.fixture
def held_late(world):
    """Planned for 10 days ago at 08:00, actually held 7 days ago."""
    planned = timezone.localtime() - datetime.timedelta(days=10)
    return f.ConferenceFactory(
        unit=world.ward_a,
        title="Hội nghị họp muộn",
        status=ConferenceStatus.HELD,
        planned_start=planned.replace(hour=8, minute=0, second=0, microsecond=0),
        held_on=timezone.localdate() - datetime.timedelta(days=7),
        minutes_status=MinutesStatus.DRAFT,
    )


# --- 1. Follow-up notice action -----------------------------------------------------------------


@pytest.mark.parametrize("tab", ["conference_detail", "opinions", "conclusions"])
def test_held_conference_without_notice_offers_to_draft_it(world, login, held_a, tab):
    html = header(login(world.alice).get(url(tab, held_a.pk)).content.decode())
    action = reverse("followup:notice_create_from_conference", args=[held_a.pk])
    assert re.search(rf'<form method="post" action="{action}">\s*<input type="hidden" name="csrfmiddlewaretoken"', html)
    assert "Draft the follow-up notice" in html


def test_drafting_from_the_header_builds_the_notice_then_the_header_links_to_it(world, login, held_a):
    c = login(world.alice)
    response = c.post(reverse("followup:notice_create_from_conference", args=[held_a.pk]))
    notice = FollowUpNotice.objects.get(conference=held_a)
    assert response.status_code == 302
    html = header(c.get(url("conference_detail", held_a.pk)).content.decode())
    assert reverse("followup:notice_detail", args=[notice.pk]) in html
    assert reverse("followup:notice_create_from_conference", args=[held_a.pk]) not in html
    assert "Follow-up notice" in html


def test_every_notice_of_the_conference_is_linked(world, login, held_a):
    first = draft_notice_from_conference(conference=held_a, by=world.alice)
    second = f.NoticeFactory(unit=world.ward_a, conference=held_a, status="published", published_at=timezone.now())
    html = header(login(world.sam).get(url("conference_detail", held_a.pk)).content.decode())
    for notice in (first, second):
        assert reverse("followup:notice_detail", args=[notice.pk]) in html


@pytest.mark.parametrize("user", ["fiona", "hana"])
def test_those_who_may_not_draft_get_no_button(world, login, held_a, user):
    html = header(login(getattr(world, user)).get(url("conference_detail", held_a.pk)).content.decode())
    assert reverse("followup:notice_create_from_conference", args=[held_a.pk]) not in html


def test_a_conference_not_held_has_no_notice_action(world, login, conference_a):
    html = header(login(world.alice).get(url("conference_detail", conference_a.pk)).content.decode())
    assert 'id="conference-notice-action"' not in html and "/notices/" not in html


# --- 6. Front supervisor on the conclusions ---------------------------------------------------


def test_front_supervisor_can_record_a_finding_on_each_conclusion(world, login, held_a):
    item = services.add_conclusion_item(conference=held_a, text="Sửa đèn ngõ 12", by=world.alice)
    link = f"{reverse('followup:supervision_create')}?conclusion_item={item.pk}"
    fiona_page = login(world.fiona).get(url("conclusions", held_a.pk)).content.decode()
    assert link in fiona_page and "Record a supervision finding" in fiona_page
    alice_page = login(world.alice).get(url("conclusions", held_a.pk)).content.decode()
    assert reverse("followup:supervision_create") not in alice_page and "Record a supervision finding" not in alice_page
    assert login(world.fiona).get(link).status_code == 200


# --- 4. A conclusion assigned to someone has a deadline ----------------------------------------


def test_conclusion_with_an_assignee_needs_a_deadline(world, login, held_a):
    data = {"text": "Giao Phòng KT-HT sửa đèn", "assignee": world.land_a.pk, "deadline": ""}
    response = login(world.alice).post(url("conclusions", held_a.pk), data)
    assert response.status_code == 200
    [error] = response.context["form"].errors["deadline"]
    assert "deadline" in error and world.land_a.name in error
    assert "Giao Phòng KT-HT sửa đèn" in response.content.decode()  # the input is kept
    assert not ConclusionItem.objects.exists()


def test_conclusion_without_an_assignee_needs_no_deadline(world, login, held_a):
    response = login(world.alice).post(url("conclusions", held_a.pk), {"text": "Tiếp tục theo dõi"})
    assert response.status_code == 302
    assert ConclusionItem.objects.get().deadline is None


# --- 10. Held date in the header; names in the history -----------------------------------------


def test_header_shows_the_held_date_not_the_planned_start(world, login, held_late):
    html = header(login(world.alice).get(url("conference_detail", held_late.pk)).content.decode())
    assert f"held on {held_late.held_on:%d/%m/%Y}" in html
    assert f"{timezone.localtime(held_late.planned_start):%d/%m/%Y}" not in html


def test_header_of_a_planned_conference_shows_its_planned_start(world, login, conference_a):
    html = header(login(world.alice).get(url("conference_detail", conference_a.pk)).content.decode())
    assert f"{timezone.localtime(conference_a.planned_start):%H:%M %d/%m/%Y}" in html


def test_history_names_people_by_full_name(world, login, conference_a):
    world.alice.last_name = "Nguyễn"
    world.alice.save()
    services.update_conference(conference=conference_a, title="Tên mới", by=world.alice)
    html = login(world.sam).get(url("conference_detail", conference_a.pk)).content.decode()
    history = html[html.index('id="history-heading"') :]
    assert "Alice Nguyễn" in history
    assert "· alice ·" not in history
