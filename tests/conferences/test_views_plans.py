"""Plan pages: alice (ward A official) writes her ward's plan and submits it, chris (ward A chair) and
sam (supervisor) approve it or return it, bob (ward B) and the stranger never see it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conferences.models import ConferenceStatus, DialoguePlan, PlanItem, PlanStatus
from conferences.views.plans import default_plan_year
from tests import factories as f

# Session, user, the scope (memberships, subtree, successions), units one may manage (the matrix reads the
# cached memberships), count, the page.
PLAN_LIST_QUERIES = 9


def url(name, *args):
    return reverse(f"conferences:{name}", args=args)


def test_alice_creates_a_plan_for_her_ward(world, login):
    c = login(world.alice)
    response = c.get(url("plan_create"))
    assert response.status_code == 200
    assert list(response.context["form"].fields["unit"].queryset) == [world.ward_a]
    response = c.post(url("plan_create"), {"unit": world.ward_a.pk, "year": 2027, "title": "Kế hoạch 2027"})
    plan = DialoguePlan.objects.get()
    assert response.status_code == 302 and response.url == url("plan_detail", plan.pk)
    assert (plan.unit, plan.year, plan.status) == (world.ward_a, 2027, PlanStatus.DRAFT)
    event = AuditEvent.objects.for_object(plan).get()
    assert (event.action, event.actor, event.ip_address) == ("created", world.alice, "127.0.0.1")


def test_alice_cannot_create_a_plan_for_ward_b(world, login):
    response = login(world.alice).post(url("plan_create"), {"unit": world.ward_b.pk, "year": 2027, "title": "X"})
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not DialoguePlan.objects.exists()


def test_second_plan_for_same_year_is_refused_and_input_kept(world, login, plan_a):
    response = login(world.alice).post(
        url("plan_create"), {"unit": world.ward_a.pk, "year": 2026, "title": "Trùng năm"}
    )
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert "Trùng năm" in response.content.decode()
    assert DialoguePlan.objects.count() == 1


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (datetime.date(2026, 1, 5), 2026),
        (datetime.date(2026, 9, 30), 2026),
        (datetime.date(2026, 10, 1), 2027),
        (datetime.date(2026, 12, 4), 2027),
    ],
)
def test_a_new_plan_is_for_next_year_from_october_on(today, year):
    assert default_plan_year(today) == year


def test_the_plan_form_proposes_the_year_units_are_planning(world, login):
    form = login(world.alice).get(url("plan_create")).context["form"]
    assert form.initial["year"] == default_plan_year(timezone.localdate())


def test_the_already_planned_year_links_to_the_existing_plan(world, login, plan_a):
    response = login(world.alice).post(
        url("plan_create"), {"unit": world.ward_a.pk, "year": plan_a.year, "title": "Trùng năm"}
    )
    assert f'href="{url("plan_detail", plan_a.pk)}"' in response.content.decode()


def test_stranger_cannot_create_plans(world, login):
    assert login(world.stranger).get(url("plan_create")).status_code == 403


def test_anonymous_is_sent_to_sign_in(world, client, plan_a):
    for name, args in [("plan_list", ()), ("plan_detail", (plan_a.pk,)), ("plan_create", ())]:
        response = client.get(url(name, *args))
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_plan_list_is_scoped(world, login, plan_a, plan_b):
    def listed(user):
        return {p.pk for p in login(user).get(url("plan_list")).context["plans"]}

    assert listed(world.alice) == {plan_a.pk}
    assert listed(world.bob) == {plan_b.pk}
    assert listed(world.sam) == {plan_a.pk, plan_b.pk}
    assert listed(world.stranger) == set()


def test_plan_list_filters_by_year(world, login, plan_a):
    older = f.PlanFactory(unit=world.ward_a, year=2025)
    c = login(world.alice)
    assert [p.pk for p in c.get(url("plan_list"), {"year": 2025}).context["plans"]] == [older.pk]
    assert [p.pk for p in c.get(url("plan_list")).context["plans"]] == [plan_a.pk, older.pk]


@pytest.mark.parametrize("user", ["bob", "stranger"])
def test_others_get_404_for_ward_a_plan_pages(world, login, plan_a, user):
    c = login(getattr(world, user))
    item = plan_a.items.get()
    for name, pk in [
        ("plan_detail", plan_a.pk),
        ("plan_edit", plan_a.pk),
        ("plan_item_add", plan_a.pk),
        ("plan_submit", plan_a.pk),
        ("plan_approve", plan_a.pk),
        ("plan_return", plan_a.pk),
        ("plan_complete", plan_a.pk),
        ("plan_item_edit", item.pk),
        ("plan_item_delete", item.pk),
    ]:
        assert c.get(url(name, pk)).status_code == 404, name
        if name != "plan_detail":
            assert c.post(url(name, pk)).status_code == 404, name
    assert PlanItem.objects.filter(pk=item.pk).exists()


def test_plan_detail_shows_planned_vs_held(world, login, plan_a):
    item = plan_a.items.get()
    held = f.ConferenceFactory(unit=world.ward_a, plan_item=item, status=ConferenceStatus.HELD, title="Đã họp")
    outside = f.ConferenceFactory(unit=world.ward_a, title="Ngoài kế hoạch", planned_start=held.planned_start)
    response = login(world.sam).get(url("plan_detail", plan_a.pk))
    assert response.status_code == 200
    [row] = response.context["items"]
    assert row.held == [held]
    assert response.context["fulfilled_total"] == 1
    assert list(response.context["unplanned"]) == [outside]
    html = response.content.decode()
    assert url("conference_detail", held.pk) in html and url("conference_detail", outside.pk) in html


def test_alice_adds_edits_and_removes_planned_conferences(world, login, plan_a):
    c = login(world.alice)
    data = {
        "quarter": "3",
        "month": "",
        "kind": "periodic",
        "format": "thematic",
        "topic": "Đối thoại GPMB",
        "chair": "",
    }
    assert c.post(url("plan_item_add", plan_a.pk), data).status_code == 302
    item = plan_a.items.get(topic="Đối thoại GPMB")
    assert c.post(url("plan_item_edit", item.pk), {**data, "month": "8"}).status_code == 302
    item.refresh_from_db()
    assert (item.quarter, item.month) == (3, 8)
    assert c.get(url("plan_item_delete", item.pk)).status_code == 200  # the confirmation page
    assert PlanItem.objects.filter(pk=item.pk).exists()
    assert c.post(url("plan_item_delete", item.pk)).status_code == 302
    assert not PlanItem.objects.filter(pk=item.pk).exists()
    actions = list(AuditEvent.objects.for_object(plan_a).values_list("action", "ip_address"))
    assert actions == [("item_added", "127.0.0.1"), ("item_edited", "127.0.0.1"), ("item_deleted", "127.0.0.1")]


def test_plan_item_without_quarter_or_month_is_refused_with_input_kept(world, login, plan_a):
    data = {"quarter": "", "month": "", "kind": "periodic", "format": "thematic", "topic": "Chủ đề giữ lại"}
    response = login(world.alice).post(url("plan_item_add", plan_a.pk), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Chủ đề giữ lại" in response.content.decode()


def test_alice_edits_her_draft_plan(world, login, plan_a):
    response = login(world.alice).post(
        url("plan_edit", plan_a.pk), {"year": 2026, "title": "Tên mới", "notes": "Ghi chú"}
    )
    assert response.status_code == 302
    plan_a.refresh_from_db()
    assert (plan_a.title, plan_a.notes) == ("Tên mới", "Ghi chú")


def test_approved_plan_cannot_be_edited(world, login, plan_a):
    plan_a.status = PlanStatus.APPROVED
    plan_a.save()
    assert login(world.alice).get(url("plan_edit", plan_a.pk)).status_code == 403
    assert login(world.alice).post(url("plan_item_add", plan_a.pk), {}).status_code == 403


def test_alice_submits_her_draft_plan_for_approval(world, login, plan_a):
    c = login(world.alice)
    page = c.get(url("plan_detail", plan_a.pk)).content.decode()
    assert url("plan_submit", plan_a.pk) in page and url("plan_approve", plan_a.pk) not in page
    assert c.get(url("plan_submit", plan_a.pk)).status_code == 200  # confirmation
    assert c.post(url("plan_submit", plan_a.pk)).status_code == 302
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.SUBMITTED
    event = AuditEvent.objects.for_object(plan_a).get()
    assert (event.from_status, event.to_status, event.actor) == ("draft", "submitted", world.alice)
    # Submitted: no longer editable by the unit, no second submission offered.
    page = c.get(url("plan_detail", plan_a.pk)).content.decode()
    assert url("plan_submit", plan_a.pk) not in page and url("plan_edit", plan_a.pk) not in page
    assert c.get(url("plan_edit", plan_a.pk)).status_code == 403


def test_stranger_in_scope_cannot_submit(world, login, plan_a):
    """hana handles petitions in ward A but does not write its plans."""
    assert login(world.hana).post(url("plan_submit", plan_a.pk)).status_code == 403
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.DRAFT


def test_chair_cannot_approve_a_draft_plan_before_it_is_submitted(world, login, plan_a):
    c = login(world.chris)
    assert url("plan_approve", plan_a.pk) not in c.get(url("plan_detail", plan_a.pk)).content.decode()
    response = c.post(url("plan_approve", plan_a.pk), follow=True)
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.DRAFT
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_alice_cannot_approve_but_the_chair_can(world, login, plan_a):
    plan_a.status = PlanStatus.SUBMITTED
    plan_a.save()
    assert login(world.alice).post(url("plan_approve", plan_a.pk)).status_code == 403
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.SUBMITTED
    c = login(world.chris)
    page = c.get(url("plan_detail", plan_a.pk)).content.decode()
    assert url("plan_approve", plan_a.pk) in page and url("plan_return", plan_a.pk) in page
    assert c.get(url("plan_approve", plan_a.pk)).status_code == 200  # confirmation
    response = c.post(url("plan_approve", plan_a.pk))
    assert response.status_code == 302
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.APPROVED and plan_a.approved_by == world.chris
    event = AuditEvent.objects.for_object(plan_a).get()
    assert (event.to_status, event.actor, event.ip_address) == ("approved", world.chris, "127.0.0.1")


def test_chair_not_supervisor_returns_a_submitted_plan_to_draft(world, login, plan_a):
    plan_a.status = PlanStatus.SUBMITTED
    plan_a.save()
    assert login(world.sam).post(url("plan_return", plan_a.pk)).status_code == 403
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.SUBMITTED
    assert login(world.chris).post(url("plan_return", plan_a.pk)).status_code == 302
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.DRAFT


def test_an_approved_plan_is_not_returned_to_draft(world, login, plan_a):
    plan_a.status = PlanStatus.APPROVED
    plan_a.save()
    c = login(world.sam)
    assert url("plan_return", plan_a.pk) not in c.get(url("plan_detail", plan_a.pk)).content.decode()
    c.post(url("plan_return", plan_a.pk))
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.APPROVED


def test_plan_detail_names_the_approver_family_name_first(world, login, plan_a):
    world.chris.first_name, world.chris.last_name = "Chí", "Nguyễn Văn"
    world.chris.save()
    plan_a.status = PlanStatus.SUBMITTED
    plan_a.save()
    login(world.chris).post(url("plan_approve", plan_a.pk))
    page = login(world.alice).get(url("plan_detail", plan_a.pk)).content.decode()
    assert "Nguyễn Văn Chí" in page  # Vietnamese order: family name first
    assert f"approved by {world.chris.username}" not in page


def test_refused_transition_is_shown_as_a_message(world, login, plan_a):
    response = login(world.alice).post(url("plan_complete", plan_a.pk), follow=True)
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.DRAFT
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_alice_completes_a_plan_in_progress(world, login, plan_a):
    plan_a.status = PlanStatus.IN_PROGRESS
    plan_a.save()
    assert login(world.alice).post(url("plan_complete", plan_a.pk)).status_code == 302
    plan_a.refresh_from_db()
    assert plan_a.status == PlanStatus.COMPLETED


@pytest.mark.parametrize("rows", [1, 50])
def test_plan_list_queries_do_not_grow_with_rows(world, login, django_assert_num_queries, rows):
    c = login(world.sam)
    for year in range(2000, 2000 + rows):
        plan = f.PlanFactory(unit=world.ward_a if year % 2 else world.ward_b, year=year)
        f.PlanItemFactory(plan=plan)
    c.get(url("plan_list"))  # warm the session
    with django_assert_num_queries(PLAN_LIST_QUERIES):
        response = c.get(url("plan_list"))
    assert len(response.context["plans"]) == min(rows, 25)
