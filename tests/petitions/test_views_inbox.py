"""The petitions inbox: scope per persona, filters, search, seek pagination and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from petitions import services
from petitions.models import Channel, Petition, PetitionKind, PetitionStatus
from tests import factories as f
from tests.petitions.conftest import accepted, assigned, submit
from units.models import Role

pytestmark = pytest.mark.django_db
INBOX = reverse("petitions:inbox")


def codes_in(response) -> set[int]:
    return {p.pk for p, _overdue in response.context["rows"]}


def get(client, user, url=INBOX, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response


@pytest.fixture
def both(world, petition_a, petition_b):
    return petition_a, petition_b


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_ward_a_official_sees_only_ward_a_petitions(client, world, both):
    response = get(client, world.alice)
    assert codes_in(response) == {both[0].pk}
    assert both[1].title not in response.content.decode()


def test_ward_b_official_sees_none_of_ward_a(client, world, both):
    assert codes_in(get(client, world.bob)) == {both[1].pk}


@pytest.mark.parametrize("term", ["code", "display_code", "title"])
def test_ward_b_official_cannot_find_ward_a_petition_by_code_or_title(client, world, both, term):
    petition_a = both[0]
    value = {"code": petition_a.tracking_code, "display_code": petition_a.display_code, "title": "phường An"}[term]
    assert codes_in(get(client, world.bob, q=value)) == set()
    assert codes_in(get(client, world.alice, q=value)) == {petition_a.pk}


def test_supervisor_sees_both_wards(client, world, both):
    assert codes_in(get(client, world.sam)) == {both[0].pk, both[1].pk}
    assert codes_in(get(client, world.sam, unit=world.ward_b.pk)) == {both[1].pk}


def test_stranger_sees_nothing(client, world, both):
    response = get(client, world.stranger)
    assert codes_in(response) == set()
    assert response.context["count"] == 0


def test_handling_officer_sees_petitions_assigned_to_her_office(client, world):
    # A ward B petition handled by an office that serves ward B but is not ward B's (the district's
    # land office, where hana also works) is hana's too. (Ward A's own office does not serve ward B.)
    district_office = f.OrganisationFactory(unit=world.district, name="Phòng Tài nguyên quận")
    f.MembershipFactory(user=world.hana, unit=world.district, role=Role.HANDLING_OFFICER, organisation=district_office)
    petition = accepted(world, world.ward_b, world.bob)
    services.assign_petition(petition=petition, organisation=district_office, by=world.bob)
    response = get(client, world.hana, my_unit=1)
    assert codes_in(response) == {petition.pk}
    assert codes_in(get(client, world.bob, my_unit=1)) == set()


def test_search_by_tracking_code_as_people_type_it(client, world, petition_a):
    submit(world, world.ward_a, title="Khác")
    typed = petition_a.display_code.lower().replace("-", " ")
    assert codes_in(get(client, world.alice, q=typed)) == {petition_a.pk}


def test_filters_by_status_kind_channel_category(client, world):
    first = accepted(world, world.ward_a, world.alice)
    other_category = f.CategoryFactory(name="Môi trường, vệ sinh, rác thải")
    second = submit(world, world.ward_a, kind=PetitionKind.PROPOSAL, channel=Channel.MAIL, category=other_category)
    assert codes_in(get(client, world.alice, status=PetitionStatus.ACCEPTED)) == {first.pk}
    assert codes_in(get(client, world.alice, status=PetitionStatus.SUBMITTED)) == {second.pk}
    assert codes_in(get(client, world.alice, kind=PetitionKind.PROPOSAL)) == {second.pk}
    assert codes_in(get(client, world.alice, channel=Channel.MAIL)) == {second.pk}
    assert codes_in(get(client, world.alice, category=other_category.pk)) == {second.pk}


def test_overdue_and_due_soon_filters(client, world):
    today = timezone.localdate()
    overdue = assigned(world, world.ward_a, world.alice, world.land_a)
    Petition.objects.filter(pk=overdue.pk).update(due_on=today - datetime.timedelta(days=1))
    soon = assigned(world, world.ward_a, world.alice, world.land_a)
    Petition.objects.filter(pk=soon.pk).update(due_on=today + datetime.timedelta(days=1))
    later = assigned(world, world.ward_a, world.alice, world.land_a)
    Petition.objects.filter(pk=later.pk).update(due_on=today + datetime.timedelta(days=40))
    assert codes_in(get(client, world.alice, overdue=1)) == {overdue.pk}
    assert codes_in(get(client, world.alice, due_soon=1)) == {soon.pk}
    response = get(client, world.alice)
    assert dict(response.context["rows"])[Petition.objects.get(pk=overdue.pk)] is True


def test_assigned_to_me_filter(client, world):
    mine = accepted(world, world.ward_a, world.alice)
    services.assign_petition(petition=mine, organisation=world.land_a, by=world.alice, assignee=world.hana)
    assigned(world, world.ward_a, world.alice, world.land_a)
    assert codes_in(get(client, world.hana, mine=1)) == {mine.pk}


def test_conference_filter(client, world):
    conference = f.ConferenceFactory(unit=world.ward_a, status="held", held_on=timezone.localdate())
    raised = services.record_conference_opinion(
        conference=conference,
        kind=PetitionKind.RECOMMENDATION,
        category=world.category,
        title="Ý kiến tại hội nghị",
        content="…",
        by=world.alice,
    )
    submit(world, world.ward_a)
    response = get(client, world.alice, conference=conference.pk)
    assert codes_in(response) == {raised.pk}
    assert response.context["conference"] == conference
    # Another ward's official learns nothing about ward A's conference.
    response = get(client, world.bob, conference=conference.pk)
    assert codes_in(response) == set() and response.context["conference"] is None


def test_sort_by_due_date_puts_petitions_without_one_last(client, world):
    today = timezone.localdate()
    later = assigned(world, world.ward_a, world.alice, world.land_a)
    sooner = assigned(world, world.ward_a, world.alice, world.land_a)
    none = submit(world, world.ward_a)
    Petition.objects.filter(pk=later.pk).update(due_on=today + datetime.timedelta(days=20))
    Petition.objects.filter(pk=sooner.pk).update(due_on=today + datetime.timedelta(days=2))
    Petition.objects.filter(pk=none.pk).update(due_on=None)
    response = get(client, world.alice, sort="due")
    assert [p.pk for p, _o in response.context["rows"]] == [sooner.pk, later.pk, none.pk]


def test_the_forms_all_options_do_not_spoil_the_other_filters(client, world):
    today = timezone.localdate()
    later = assigned(world, world.ward_a, world.alice, world.land_a)
    sooner = assigned(world, world.ward_a, world.alice, world.land_a)
    Petition.objects.filter(pk=later.pk).update(due_on=today + datetime.timedelta(days=20))
    Petition.objects.filter(pk=sooner.pk).update(due_on=today + datetime.timedelta(days=2))
    response = get(client, world.alice, status="", category="", kind="", q="", sort="due")
    assert [p.pk for p, _o in response.context["rows"]] == [sooner.pk, later.pk]
    assert response.context["next_query"] == "sort=due&after=" + response.context["page"].next_cursor.replace(
        ":", "%3A"
    ).replace("+", "%2B")


def _make(world, unit, n, start):
    for i in range(n):
        f.PetitionFactory(
            unit=unit,
            category=world.category,
            submitted_at=start - datetime.timedelta(minutes=i),
            title=f"Kiến nghị số {i}",
        )


@pytest.mark.parametrize("sort", ["-received", "received", "due"])
def test_seek_pagination_walks_every_row_once_forwards_and_back(client, world, sort):
    now = timezone.now()
    _make(world, world.ward_a, 120, now)
    # Same timestamp for a few rows: the id breaks the tie.
    Petition.objects.filter(title__in=["Kiến nghị số 10", "Kiến nghị số 11", "Kiến nghị số 12"]).update(
        submitted_at=now
    )
    for i, p in enumerate(Petition.objects.order_by("pk")):
        Petition.objects.filter(pk=p.pk).update(
            due_on=None if i % 7 == 0 else now.date() + datetime.timedelta(days=i % 5)
        )
    client.force_login(world.alice)
    seen, pages, url = [], [], f"{INBOX}?sort={sort}"
    while url:
        response = client.get(url)
        page = response.context["page"]
        pages.append((url, [p.pk for p in page.rows]))
        seen += [p.pk for p in page.rows]
        url = f"{INBOX}?{response.context['next_query']}" if page.has_next else None
    assert len(seen) == len(set(seen)) == 120
    assert [len(rows) for _u, rows in pages] == [50, 50, 20]
    # Back from the last page: the previous link shows the second page again.
    response = client.get(pages[-1][0])
    back = client.get(f"{INBOX}?{response.context['prev_query']}")
    assert [p.pk for p in back.context["page"].rows] == pages[1][1]
    assert back.context["page"].has_previous and back.context["page"].has_next


def test_count_is_bounded_not_exact(client, world, monkeypatch):
    monkeypatch.setattr("petitions.filters.COUNT_CAP", 5)
    _make(world, world.ward_a, 7, timezone.now())
    response = get(client, world.alice)
    assert (response.context["count"], response.context["count_more"]) == (5, True)


def test_malformed_cursor_shows_the_first_page(client, world, petition_a):
    assert codes_in(get(client, world.alice, after="garbage")) == {petition_a.pk}


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("params", ["", "?overdue=1&sort=due", "?q=đèn", "?status=submitted&unit=ID"])
def test_inbox_query_count_is_the_same_for_1_and_50_rows(client, world, params):
    client.force_login(world.sam)
    url = INBOX + params.replace("ID", str(world.ward_a.pk))
    submit(world, world.ward_a, title="Đèn 0")
    Petition.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    client.get(url)  # the first request of a session also stamps the session's last activity
    one = _queries(client, url)
    for i in range(49):
        f.PetitionFactory(
            unit=world.ward_a if i % 2 else world.ward_b,
            category=f.CategoryFactory(name=f"Lĩnh vực {i % 5}"),
            handling_org=world.land_a if i % 2 else world.land_b,
            title=f"Đèn {i + 1}",
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    if "unit" in params:
        Petition.objects.update(unit=world.ward_a)
    fifty = _queries(client, url)
    assert one == fifty
    assert fifty <= 12


def test_status_filter_does_not_make_the_query_distinct(client, world, petition_a):
    # DISTINCT would sort every matching row before the LIMIT: slow at a million rows.
    client.force_login(world.alice)
    with CaptureQueriesContext(connection) as ctx:
        client.get(INBOX, {"status": ["submitted", "accepted"]})
    petition_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "petitions_petition"' in q["sql"]]
    assert petition_queries and not any("DISTINCT" in sql for sql in petition_queries)


def test_inbox_indexes_exist_on_postgresql(requires_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'petitions_petition'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"petition_title_upper_trgm", "petition_due_id", "petition_unit_due_id", "petition_status_sub_id"} <= names


def test_answered_period_and_verdict_filters_behind_the_board_links(client, world):
    early = f.PetitionFactory(
        unit=world.ward_a,
        category=world.category,
        status=PetitionStatus.ANSWERED,
        answered_on=datetime.date(2026, 3, 2),
    )
    late = f.PetitionFactory(
        unit=world.ward_a,
        category=world.category,
        status=PetitionStatus.RESOLVED,
        answered_on=datetime.date(2026, 9, 9),
        verdict="resolved",
    )
    f.PetitionFactory(unit=world.ward_a, category=world.category)
    assert codes_in(get(client, world.alice, answered_from="01/06/2026", answered_to="31/12/2026")) == {late.pk}
    assert codes_in(get(client, world.alice, answered_to="31/05/2026")) == {early.pk}
    assert codes_in(get(client, world.alice, verdict="any")) == {late.pk}
    assert codes_in(get(client, world.alice, verdict="not_resolved")) == set()


@pytest.mark.parametrize("off", ["0", "false", "False", "off", "OFF", "", "no"])
def test_a_flag_set_to_0_false_or_off_does_not_filter(client, world, off):
    mine = accepted(world, world.ward_a, world.alice)
    services.assign_petition(petition=mine, organisation=world.land_a, by=world.alice, assignee=world.hana)
    other = assigned(world, world.ward_a, world.alice, world.land_a)
    overdue = assigned(world, world.ward_a, world.alice, world.land_a)
    Petition.objects.filter(pk=overdue.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    everything = {mine.pk, other.pk, overdue.pk}
    assert codes_in(get(client, world.hana, mine="1")) == {mine.pk}
    assert codes_in(get(client, world.hana, mine="true")) == {mine.pk}
    client.force_login(world.hana)
    response = client.get(f"{INBOX}?mine={off}&overdue={off}&due_soon={off}&my_unit={off}&answered_on_spot={off}")
    assert response.status_code == 200
    assert codes_in(response) == everything
    assert not response.context["filter"].cleaned("mine")


def test_statistics_filters_raised_at_held_conferences_answered_on_spot_on_time_and_verdict_dates(client, world):
    from petitions.models import Answer

    held = f.ConferenceFactory(unit=world.ward_a, status="closed", held_on=datetime.date(2026, 3, 1))
    held_last_year = f.ConferenceFactory(unit=world.ward_a, status="closed", held_on=datetime.date(2025, 12, 30))
    spot = f.PetitionFactory(
        unit=world.ward_a, conference=held, channel=Channel.CONFERENCE, status=PetitionStatus.RESOLVED
    )
    Answer.objects.create(petition=spot, text="Trả lời tại hội nghị", on_spot=True)
    on_spot_status = f.PetitionFactory(
        unit=world.ward_a, conference=held, channel=Channel.CONFERENCE, status=PetitionStatus.ANSWERED_ON_SPOT
    )
    open_one = f.PetitionFactory(
        unit=world.ward_a, conference=held, channel=Channel.CONFERENCE, status=PetitionStatus.ACCEPTED
    )
    f.PetitionFactory(unit=world.ward_a, conference=held_last_year, channel=Channel.CONFERENCE)
    year = {"held_from": "01/01/2026", "held_to": "31/12/2026"}
    assert codes_in(get(client, world.alice, channel="conference", **year)) == {spot.pk, on_spot_status.pk, open_one.pk}
    assert codes_in(get(client, world.alice, channel="conference", answered_on_spot=1, **year)) == {
        spot.pk,
        on_spot_status.pk,
    }
    due = datetime.date(2026, 5, 20)
    in_time = f.PetitionFactory(unit=world.ward_a, status=PetitionStatus.ANSWERED, answered_on=due, due_on=due)
    f.PetitionFactory(
        unit=world.ward_a, status=PetitionStatus.ANSWERED, answered_on=due + datetime.timedelta(days=1), due_on=due
    )
    answered = {"status": ["answered"], "answered_from": "01/01/2026", "answered_to": "31/12/2026"}
    assert codes_in(get(client, world.alice, answered_on_time=1, **answered)) == {in_time.pk}

    def verdict_on(day, verdict):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 30)))
        return f.PetitionFactory(unit=world.ward_a, verdict=verdict, verdict_at=moment)

    last_day = verdict_on(datetime.date(2026, 12, 31), "resolved")  # late evening of the last day counts
    verdict_on(datetime.date(2025, 12, 31), "resolved")
    unhappy = verdict_on(datetime.date(2026, 6, 1), "not_resolved")
    period = {"verdict_from": "01/01/2026", "verdict_to": "31/12/2026"}
    assert codes_in(get(client, world.alice, verdict="any", **period)) == {last_day.pk, unhappy.pk}
    assert codes_in(get(client, world.alice, verdict="resolved", **period)) == {last_day.pk}


def test_my_unit_and_unassigned_filters(client, world):
    given = accepted(world, world.ward_a, world.alice)
    services.assign_petition(petition=given, organisation=world.land_a, by=world.alice, assignee=world.hana)
    waiting = assigned(world, world.ward_a, world.alice, world.land_a)
    assert codes_in(get(client, world.hana, my_unit=1)) == {given.pk, waiting.pk}
    assert codes_in(get(client, world.hana, my_unit=1, unassigned=1)) == {waiting.pk}


@pytest.mark.parametrize(
    ("persona", "offered"),
    [("alice", True), ("chris", True), ("hana", False), ("sam", False), ("fiona", False)],
)
def test_record_a_petition_button_only_for_those_the_matrix_lets_record(client, world, persona, offered):
    client.force_login(getattr(world, persona))
    page = client.get(reverse("petitions:inbox")).content.decode()
    assert (reverse("petitions:petition_create") in page) is offered


def test_refining_a_report_drill_down_keeps_its_filters(client, world):
    """A figure's link sets filters the bar does not show (dates, on time): filtering again keeps them."""
    client.force_login(world.alice)
    page = client.get(INBOX, {"answered_on_time": "1", "held_from": "2026-01-01", "overdue": "1"}).content.decode()
    assert '<input type="hidden" name="answered_on_time" value="1">' in page
    assert '<input type="hidden" name="held_from" value="2026-01-01">' in page
    assert 'type="hidden" name="overdue"' not in page  # shown in the bar, as a checked quick filter
    assert 'name="overdue" value="1" id="id_overdue" checked' in page
    # "More filters" folds away unless one of its filters is set, and then says how many.
    assert 'id="more-filters">' in page
    page = client.get(INBOX, {"kind": PetitionKind.RECOMMENDATION}).content.decode()
    assert 'collapse show" id="more-filters"' in page
