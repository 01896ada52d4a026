"""The changelists' query counts do not grow with the number of rows (habit 13)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f


def _count_queries(client, url):
    client.get(url)  # the first request of a session also stamps the session's activity
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


_years = itertools.count(1900)


def _add_rows(world, name, n):
    for i in range(n):
        if name == "petition":
            conference = f.ConferenceFactory(unit=world.ward_a)
            f.PetitionFactory(
                unit=world.ward_a,
                category=world.category,
                conference=conference,
                handling_org=world.land_a,
                title=f"Kiến nghị {i}",
            )
        elif name == "conference":
            plan_item = f.PlanItemFactory(plan__unit=world.ward_a, plan__year=next(_years))
            f.ConferenceFactory(unit=world.ward_a, plan_item=plan_item)
        elif name == "dialogueplan":
            f.PlanItemFactory(plan=f.PlanFactory(unit=world.ward_a, year=next(_years)))
        elif name == "followupnotice":
            f.NoticeFactory(unit=world.ward_a, conference=f.ConferenceFactory(unit=world.ward_a))


URLS = {
    "petition": "admin:petitions_petition_changelist",
    "conference": "admin:conferences_conference_changelist",
    "dialogueplan": "admin:conferences_dialogueplan_changelist",
    "followupnotice": "admin:followup_followupnotice_changelist",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(URLS))
@pytest.mark.parametrize("who", ["superuser", "staff_alice"])
def test_changelist_query_count_does_not_grow_with_rows(client, world, request, name, who):
    user = request.getfixturevalue("superuser") if who == "superuser" else _staff(world)
    client.force_login(user)
    url = reverse(URLS[name])
    _add_rows(world, name, 1)
    one, response = _count_queries(client, url)
    assert response.context["cl"].result_count == 1
    _add_rows(world, name, 49)
    fifty, response = _count_queries(client, url)
    assert response.context["cl"].result_count == 50
    assert fifty == one


def _staff(world):
    from django.contrib.auth.models import Permission

    alice = world.alice
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    alice.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    return alice


# --- Every domain changelist ------------------------------------------------------------------

DOMAIN_LABELS = {"units", "rules", "conferences", "petitions", "followup", "audit"}


def _domain_changelists():
    from django.contrib import admin

    return sorted(
        f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist"
        for m in admin.site._registry
        if m._meta.app_label in DOMAIN_LABELS
    )


def _rows_of_every_kind(world, index):
    """One more row of every domain model: a ward with a record of every kind, and the shared tables."""
    import datetime

    from audit.services import record_event
    from rules.models import Holiday, Rule, RuleKey
    from tests.admin.conftest import records_of
    from units.models import Membership, Role, UnitSuccession

    ward = f.UnitFactory(parent=world.district, name=f"Phường số {index}")
    office = f.OrganisationFactory(unit=ward)
    category = f.CategoryFactory(name=f"Lĩnh vực {index}")
    records = records_of(ward, office, category)
    UnitSuccession.objects.create(predecessor=ward, successor=world.ward_a, effective_on=datetime.date(2025, 7, 1))
    Membership.objects.create(user=f.UserFactory(), unit=ward, role=Role.UNIT_OFFICIAL)
    Rule.objects.create(
        key=RuleKey.INVITATION_LEAD_DAYS, level="commune", value=7, valid_from=datetime.date(1900 + index, 1, 1)
    )
    Holiday.objects.create(date=datetime.date(1900 + index, 1, 1), name="Tết Dương lịch")
    record_event(obj=records.petition, action="status:accepted", by=world.alice)


@pytest.mark.django_db
def test_every_domain_changelist_query_count_does_not_grow_with_rows(client, world, superuser):
    client.force_login(superuser)
    _rows_of_every_kind(world, 0)
    urls = [reverse(name) for name in _domain_changelists()]
    assert len(urls) >= 25
    few = {url: _count_queries(client, url)[0] for url in urls}
    for index in range(1, 50):
        _rows_of_every_kind(world, index)
    many = {}
    for url in urls:
        count, response = _count_queries(client, url)
        assert response.context["cl"].result_count >= 50, url
        many[url] = count
    assert many == few
