"""The beat schedule lives in the database, installed by a migration and `install_schedule`."""

import json
from io import StringIO

from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from notifications import schedule


def test_the_data_migration_installs_the_sweeper_and_the_daily_reminders(db):
    # Run the migration's function on its historical models (the rows it wrote when the test
    # database was created may have been flushed since by a transactional test).
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    PeriodicTask.objects.all().delete()
    migration = importlib.import_module("notifications.migrations.0002_default_schedule")
    state = MigrationExecutor(connection).loader.project_state(("notifications", "0002_default_schedule"))
    migration.install(state.apps, None)
    tasks = {t.task: t for t in PeriodicTask.objects.select_related("interval", "crontab")}
    sweeper = tasks["notifications.tasks.dispatch_outbox"]
    assert (sweeper.interval.every, sweeper.interval.period) == (1, "minutes")
    daily = tasks["notifications.tasks.send_reminders"]
    assert (daily.crontab.hour, daily.crontab.minute, str(daily.crontab.timezone)) == ("7", "0", "Asia/Ho_Chi_Minh")


def test_install_schedule_is_idempotent_and_keeps_an_administrators_edits(db):
    PeriodicTask.objects.all().delete()
    out = StringIO()
    call_command("install_schedule", stdout=out)
    assert "6 periodic task(s) created" in out.getvalue()
    sweeper = PeriodicTask.objects.select_related("interval").get(task="reports.tasks.sweep_reports")
    assert (sweeper.interval.every, sweeper.interval.period) == (5, "minutes")
    reports = PeriodicTask.objects.filter(task=schedule.REPORTS_TASK).select_related("crontab")
    assert sorted((json.loads(t.args), t.crontab.day_of_month, t.crontab.month_of_year) for t in reports) == [
        (["month"], "1", "*"),
        (["quarter"], "1", "1,4,7,10"),
    ]
    daily = PeriodicTask.objects.get(task="notifications.tasks.send_reminders")
    daily.enabled = False
    daily.save()
    assert schedule.install_schedule() == []
    daily.refresh_from_db()
    assert daily.enabled is False
    assert PeriodicTask.objects.count() == 6


def test_reports_are_scheduled_only_when_their_task_exists(db, monkeypatch):
    PeriodicTask.objects.all().delete()
    monkeypatch.setattr(schedule, "REPORTS_TASK", "reports.tasks.no_such_task")
    monkeypatch.setattr(
        schedule,
        "REPORT_DEFAULTS",
        [(n, "reports.tasks.no_such_task", s, a, d) for n, _t, s, a, d in schedule.REPORT_DEFAULTS],
    )
    assert len(schedule.install_schedule()) == len(schedule.DEFAULTS)
    assert not PeriodicTask.objects.filter(task__startswith="reports.").exists()
    assert schedule.task_exists("notifications.tasks.dispatch_outbox")
    assert not schedule.task_exists("reports.tasks.no_such_task")
