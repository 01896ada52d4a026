"""Follow-up pages after review: the public page of a published notice, wording of the lists, one date
widget typed dd/mm/yyyy, unit choices that tell an abolished ward from its successor of the same name."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from followup import services
from followup.forms import NoticeForm, SupervisionForm
from tests import factories as f
from tests.followup.conftest import make_held_conference

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def url(name, *args):
    return reverse(f"followup:{name}", args=args)


def text(response):
    return response.content.decode()


# --- 5. Published notice → its public page -----------------------------------------------------


def test_published_notice_links_to_its_public_page(client, world, approved_notice):
    notice = services.publish_notice(notice=approved_notice, by=world.chris)
    page = text(as_user(client, world.alice).get(url("notice_detail", notice.pk)))
    public = reverse("citizens:notice_detail", args=[notice.pk])
    assert f'href="{public}"' in page and "View the public page" in page
    assert client.get(public).status_code == 200


@pytest.mark.parametrize("fixture", ["draft_notice", "approved_notice"])
def test_unpublished_notice_has_no_public_link(client, world, request, fixture):
    notice = request.getfixturevalue(fixture)
    page = text(as_user(client, world.chris).get(url("notice_detail", notice.pk)))
    assert reverse("citizens:notice_detail", args=[notice.pk]) not in page
    assert "View the public page" not in page


# --- 12. Date and time read as elsewhere in the project --------------------------------------------


def test_notice_page_shows_publication_time_in_the_project_format(client, world, approved_notice):
    notice = services.publish_notice(notice=approved_notice, by=world.chris)
    page = text(as_user(client, world.alice).get(url("notice_detail", notice.pk)))
    assert timezone.localtime(notice.published_at).strftime("%H:%M %d/%m/%Y") in page


# --- 10. "today", not "0 days ago" -------------------------------------------------------------------


def test_conference_held_today_reads_today(client, world):
    make_held_conference(world.ward_a, by=world.alice, held_days_ago=0)
    page = text(as_user(client, world.alice).get(url("conferences_without_notice")))
    assert "0 days ago" not in page
    assert '<div class="small text-body-secondary">today</div>' in page


def test_conference_held_days_ago_still_counts_days(client, world):
    make_held_conference(world.ward_a, by=world.alice, held_days_ago=3)
    page = text(as_user(client, world.alice).get(url("conferences_without_notice")))
    assert "3 days ago" in page


# --- 9. One date widget: text typed dd/mm/yyyy -------------------------------------------------------


def test_follow_up_date_fields_are_text_inputs_typed_dd_mm_yyyy(world, draft_notice):
    draft_notice.issued_on = datetime.date(2026, 11, 20)
    for bound in (NoticeForm(notice=draft_notice)["issued_on"], SupervisionForm()["recheck_on"]):
        html = str(bound)
        assert 'type="text"' in html and 'type="date"' not in html
        assert 'placeholder="dd/mm/yyyy"' in html and 'inputmode="numeric"' in html
    assert 'value="20/11/2026"' in str(NoticeForm(notice=draft_notice)["issued_on"])


@pytest.mark.parametrize("language", ["en", "vi"])
def test_follow_up_dates_are_accepted_as_dd_mm_yyyy(world, language):
    from django.utils import translation

    day = timezone.localdate() + datetime.timedelta(days=14)
    with translation.override(language):
        form = SupervisionForm({"subject": "Đèn ngõ 12", "finding": "met", "recheck_on": day.strftime("%d/%m/%Y")})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["recheck_on"] == day


def test_supervision_form_page_shows_the_text_date_input(client, world, held_conference):
    item = held_conference.conclusions.get()
    page = text(as_user(client, world.fiona).get(f"{url('supervision_create')}?conclusion_item={item.pk}"))
    assert 'name="recheck_on"' in page and 'type="date"' not in page


# --- 8. Unit choices: an abolished ward carries its end date -------------------------------------


@pytest.fixture
def old_ward_a(world):
    """Ward A's predecessor of the same name, abolished on 30/06/2025."""
    return f.UnitFactory(
        name=world.ward_a.name,
        parent=world.district,
        valid_from=datetime.date(2013, 12, 27),
        valid_to=datetime.date(2025, 6, 30),
    )


@pytest.mark.parametrize("name", ["notice_list", "conferences_without_notice", "supervision_list", "commendation_list"])
def test_unit_filters_tell_an_abolished_ward_from_its_namesake(client, world, old_ward_a, name):
    page = text(as_user(client, world.sam).get(url(name)))
    assert f"{old_ward_a} (until 30/06/2025)</option>" in page
    assert f">{world.ward_a}</option>" in page


def test_commendation_form_tells_an_abolished_ward_from_its_namesake(client, world, old_ward_a):
    page = text(as_user(client, world.sam).get(url("commendation_create")))
    assert f"{old_ward_a} (until 30/06/2025)</option>" in page
