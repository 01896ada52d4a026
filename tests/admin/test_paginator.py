"""The petitions changelist never counts the whole table exactly on PostgreSQL (it must stay fast at 1M rows)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from petitions.admin import PetitionAdmin
from petitions.models import Petition
from petitions.paginators import EstimatedCountPaginator
from tests import factories as f


def test_petition_admin_uses_the_estimating_paginator_and_no_full_count():
    assert PetitionAdmin.paginator is EstimatedCountPaginator
    assert PetitionAdmin.show_full_result_count is False


@pytest.mark.django_db
def test_elsewhere_the_count_is_exact(world):
    for _ in range(3):
        f.PetitionFactory(unit=world.ward_a, category=world.category)
    assert EstimatedCountPaginator(Petition.objects.all(), 50).count == 3


def _counts(queries):
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "petitions_petition" in q["sql"]]


@pytest.mark.django_db
def test_unfiltered_changelist_reads_the_planner_estimate(requires_postgres, client, world, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_limit", 10)
    for _ in range(30):
        f.PetitionFactory(unit=world.ward_a, category=world.category)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE petitions_petition")
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:petitions_petition_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.context["cl"].result_count == 30  # reltuples is exact right after ANALYZE
    assert _counts(ctx.captured_queries) == []
    assert any("reltuples" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_filtered_changelist_counts_at_most_the_cap(requires_postgres, client, world, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_limit", 10)
    for _ in range(15):
        f.PetitionFactory(unit=world.ward_a, category=world.category)
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:petitions_petition_changelist") + "?status__exact=submitted"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    counts = _counts(ctx.captured_queries)
    assert counts and all("LIMIT 11" in sql for sql in counts)
    assert response.context["cl"].result_count >= 11  # past the cap: the planner's estimate, never below it
