"""Stored reports: request → task → progress → download, scoped; automatic monthly reports announced once."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import Report
from reports.tasks import build_periodic_reports, build_report
from tests import factories as f

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
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "could not be built" in page and "database went away" not in page  # officials: no raw error
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert "database went away" in client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
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


# --- The broker is not needed by a request; the sweeper picks up what was left -------------------


def _dead_broker(monkeypatch):
    """Make handing a task to Celery fail as it does with Redis down (kombu OperationalError)."""
    from kombu.exceptions import OperationalError

    calls = []

    def refuse(report_id):
        calls.append(report_id)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(build_report, "delay", refuse)
    return calls


def test_a_report_request_succeeds_with_the_broker_down_and_stays_queued(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    calls = _dead_broker(monkeypatch)
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:report_list"),
            {"unit": world.ward_a.pk, "period": "year", "year": 2026, "format": "csv"},
        )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == Report.Status.QUEUED and calls == [report.pk]


def test_the_sweeper_hands_again_reports_waiting_more_than_a_minute(world, monkeypatch):
    from django.utils import timezone

    now = timezone.now()
    waiting = Report.objects.create(unit=world.ward_a, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    Report.objects.filter(pk=waiting.pk).update(queued_at=now - datetime.timedelta(minutes=2))
    Report.objects.create(unit=world.ward_a, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 31))  # fresh
    done = Report.objects.create(
        unit=world.ward_a, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 2, 28), status=Report.Status.DONE
    )
    Report.objects.filter(pk=done.pk).update(queued_at=now - datetime.timedelta(hours=1))
    handed = []
    monkeypatch.setattr(build_report, "delay", handed.append)
    assert services.sweep_reports(now=now) == {"requeued": 1, "reclaimed": 0}
    assert handed == [waiting.pk]
    # Still failing (broker down): the sweeper does not raise, and tries again on its next run.
    calls = _dead_broker(monkeypatch)
    assert services.sweep_reports(now=now + datetime.timedelta(minutes=5))["requeued"] == 2
    assert sorted(calls) == sorted(Report.objects.filter(status="queued").values_list("pk", flat=True))


def test_sweep_reports_command_builds_here_what_was_left_queued(world):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    report = Report.objects.create(unit=world.ward_a, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    Report.objects.filter(pk=report.pk).update(queued_at=timezone.now() - datetime.timedelta(minutes=3))
    out = StringIO()
    call_command("sweep_reports", "--build-here", stdout=out)
    assert "re-queued 1, reclaimed 0" in out.getvalue()
    report.refresh_from_db()
    assert report.status == Report.Status.DONE


def _running(world, minutes_ago):
    from django.utils import timezone

    return Report.objects.create(
        unit=world.ward_a,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 3, 31),
        status=Report.Status.RUNNING,
        progress=40,
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def test_a_report_whose_worker_died_is_rebuilt_after_the_timeout(world, settings):
    settings.REPORT_BUILD_TIMEOUT = 30 * 60
    busy, dead = _running(world, 5), _running(world, 31)
    build_report(busy.pk)  # a second delivery while another worker builds it: left alone
    build_report(dead.pk)  # the worker died (acks_late redelivered the task): built again
    busy.refresh_from_db()
    dead.refresh_from_db()
    assert (busy.status, busy.progress) == (Report.Status.RUNNING, 40)
    assert dead.status == Report.Status.DONE and dead.file


def test_the_sweeper_reclaims_a_report_stuck_being_built(world, monkeypatch):
    from audit.models import AuditEvent

    busy, dead = _running(world, 5), _running(world, 45)
    handed = []
    monkeypatch.setattr(build_report, "delay", handed.append)
    assert services.sweep_reports() == {"requeued": 0, "reclaimed": 1}
    assert handed == [dead.pk]
    dead.refresh_from_db()
    busy.refresh_from_db()
    assert (dead.status, dead.progress) == (Report.Status.QUEUED, 0)
    assert busy.status == Report.Status.RUNNING
    assert AuditEvent.objects.filter(object_id=str(dead.pk), action="reclaimed").exists()


def test_retry_accepts_a_report_stuck_being_built(client, world, django_capture_on_commit_callbacks):
    busy, dead = _running(world, 5), _running(world, 45)
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_retry", args=[dead.pk]))
        client.post(reverse("reports:report_retry", args=[busy.pk]))
    dead.refresh_from_db()
    busy.refresh_from_db()
    assert dead.status == Report.Status.DONE
    assert busy.status == Report.Status.RUNNING


def test_a_build_taken_over_meanwhile_drops_its_result(world, monkeypatch):
    report = Report.objects.create(unit=world.ward_a, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    real = services.builder.build_report_data

    def slow(**kwargs):
        # While this build runs, the sweeper reclaims the report and another build finishes it.
        Report.objects.filter(pk=report.pk).update(status=Report.Status.DONE, progress=100)
        return real(**kwargs)

    monkeypatch.setattr(services.builder, "build_report_data", slow)
    services.build_stored_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and not report.file


# --- The automatic report's e-mail goes through the outbox ----------------------------------------


def test_the_report_ready_e_mail_goes_through_the_outbox_in_the_recipients_language(
    world, django_capture_on_commit_callbacks
):
    from notifications.models import Delivery, NotificationKind, NotificationPreference, OutboxMessage

    NotificationPreference.objects.create(user=world.sam, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.build_periodic_reports(period="month", today=datetime.date(2026, 11, 25))
    report = Report.objects.get(unit=world.district)
    message = OutboxMessage.objects.get(object_type="reports.report", object_id=report.pk)
    assert (message.kind, message.recipient) == (NotificationKind.REPORT_READY, f"user:{world.sam.pk}")
    delivery = Delivery.objects.get(kind=NotificationKind.REPORT_READY)
    assert (delivery.status, delivery.language) == ("sent", "en")
    [email] = mail.outbox
    assert email.extra_headers["X-Portal-Kind"] == NotificationKind.REPORT_READY
    assert 'lang="en"' in email.alternatives[0][0]
    assert "01/10/2026" in email.body and reverse("reports:report_detail", args=[report.pk]) in email.body
    # Announcing again (a re-run, an administrator) sends nothing more.
    assert services.announce_report(report=report) == 0


def test_the_report_is_not_announced_when_the_outbox_write_fails(world, monkeypatch):
    import notifications.services

    report = Report.objects.create(
        unit=world.district, start=datetime.date(2026, 10, 1), end=datetime.date(2026, 10, 31), periodic="month"
    )

    def broken(messages):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(notifications.services, "enqueue_messages", broken)
    with pytest.raises(RuntimeError):
        services.build_stored_report(report_id=report.pk)
    report.refresh_from_db()
    # Done and announced are one transaction: neither happened, so a later run does both.
    assert report.status == Report.Status.RUNNING and report.notified_at is None


def test_build_periodic_reports_command(world, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("build_periodic_reports", "--period", "quarter", "--today", "2026-10-02", stdout=out)
    assert "2 report(s) queued" in out.getvalue()
    assert set(Report.objects.values_list("start", "end", "periodic")) == {
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), "quarter")
    }
    call_command("build_periodic_reports", "--period", "quarter", "--today", "2026-10-02", stdout=out)
    assert Report.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("build_periodic_reports", "--period", "quarter", "--today", "02/10/2026")


def test_a_report_asked_for_before_its_period_ended_says_it_is_provisional(client, world):
    today = timezone.localdate()
    running = Report.objects.create(unit=world.ward_a, start=datetime.date(today.year, 1, 1), end=today)
    ended = Report.objects.create(
        unit=world.ward_a, start=datetime.date(today.year - 1, 1, 1), end=datetime.date(today.year - 1, 12, 31)
    )
    assert running.is_provisional and not ended.is_provisional
    client.force_login(world.alice)
    assert 'id="report-provisional"' in client.get(reverse("reports:report_detail", args=[running.pk])).content.decode()
    assert (
        'id="report-provisional"' not in client.get(reverse("reports:report_detail", args=[ended.pk])).content.decode()
    )
