"""Stored reports: request → task → progress → download, scoped; automatic monthly reports announced once."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from reports import services
from reports.models import Report
from reports.tasks import build_periodic_reports, build_report

pytestmark = pytest.mark.django_db


def request_ward_a_report(client, world, django_capture_on_commit_callbacks, fmt="json"):
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:report_list"),
            {"unit": world.ward_a.pk, "period": "quarter", "year": 2026, "part": 3, "format": fmt},
        )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Report.objects.get()


def test_alice_requests_a_report_and_the_task_builds_it(client, world, django_capture_on_commit_callbacks):
    report = request_ward_a_report(client, world, django_capture_on_commit_callbacks)
    assert (report.start, report.end) == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    assert report.status == Report.Status.DONE and report.progress == 100
    assert report.requested_by == world.alice
    page = client.get(reverse("reports:report_detail", args=[report.pk]))
    assert reverse("reports:report_download", args=[report.pk]) in page.content.decode()
    download = client.get(reverse("reports:report_download", args=[report.pk]))
    assert download.status_code == 200
    assert b'"code": "99901"' in b"".join(download.streaming_content)


def test_the_report_is_queued_only_after_the_request_commits(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("reports:report_list"),
            {"unit": world.ward_a.pk, "period": "year", "year": 2026, "format": "csv"},
        )
    assert Report.objects.get().status == Report.Status.QUEUED
    assert len(callbacks) == 1


def test_bob_gets_404_for_alices_ward_report(client, world, django_capture_on_commit_callbacks):
    report = request_ward_a_report(client, world, django_capture_on_commit_callbacks)
    client.force_login(world.bob)
    assert client.get(reverse("reports:report_download", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 404
    assert report not in client.get(reverse("reports:report_list")).context["reports"]
    client.force_login(world.sam)  # the district's supervisor sees the wards below
    assert client.get(reverse("reports:report_download", args=[report.pk])).status_code == 200


def test_bob_cannot_request_a_report_of_ward_a(client, world):
    client.force_login(world.bob)
    response = client.post(
        reverse("reports:report_list"), {"unit": world.ward_a.pk, "period": "year", "year": 2026, "format": "pdf"}
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Report.objects.exists()


def test_progress_partial_polls_until_done_and_works_without_javascript(client, world):
    report = Report.objects.create(unit=world.ward_a, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    client.force_login(world.alice)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert reverse("reports:report_detail", args=[report.pk]) in page  # the refresh link
    partial = client.get(reverse("reports:report_detail", args=[report.pk]), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    build_report(report.pk)
    partial = client.get(reverse("reports:report_detail", args=[report.pk]), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' not in partial.content.decode()


def test_building_twice_does_nothing_the_second_time(world):
    report = Report.objects.create(unit=world.ward_a, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    build_report(report.pk)
    report.refresh_from_db()
    first_file, finished = report.file.name, report.finished_at
    build_report(report.pk)
    report.refresh_from_db()
    assert (report.file.name, report.finished_at) == (first_file, finished)


def test_a_failed_report_keeps_its_error_and_can_be_retried(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    report = Report.objects.create(unit=world.ward_a, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.builder, "build_report_data", broken)
    build_report(report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and "database went away" in report.error
    monkeypatch.undo()
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.DONE


def test_monthly_reports_are_built_once_per_district_and_announced_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.build_periodic_reports(period="month", today=datetime.date(2026, 11, 25))
    assert {r.unit for r in queued} == {world.city, world.district}
    report = Report.objects.get(unit=world.district)
    assert (report.start, report.end, report.periodic) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 31),
        "month",
    )
    assert report.status == Report.Status.DONE
    assert [m.to for m in mail.outbox] == [["sam@example.vn"]]
    assert reverse("reports:report_detail", args=[report.pk]) in mail.outbox[0].body
    # A second beat, the same day: nothing new is built or sent.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.build_periodic_reports(period="month", today=datetime.date(2026, 11, 25))
    assert again == []
    assert Report.objects.count() == 2
    assert len(mail.outbox) == 1


def test_quarterly_task_covers_the_previous_quarter(world, django_capture_on_commit_callbacks):
    assert services.previous_period("quarter", datetime.date(2026, 1, 15)) == (
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
    )
    with django_capture_on_commit_callbacks(execute=True):
        build_periodic_reports.delay("quarter")
    assert Report.objects.filter(periodic="quarter").count() == 2


def test_report_list_query_count_is_the_same_with_1_and_50_reports(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        Report.objects.bulk_create(
            Report(
                unit=world.ward_a,
                start=datetime.date(2026, 1, 1),
                end=datetime.date(2026, 1, 1),
                requested_by=world.alice,
            )
            for _ in range(n)
        )

    add(1)
    client.force_login(world.sam)
    client.get(reverse("reports:report_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reports:report_list"))
    add(49)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("reports:report_list"))
    assert response.context["paginator"].count == 50
