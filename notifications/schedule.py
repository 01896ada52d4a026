"""The default beat schedule, stored in the database (django-celery-beat) and editable in the admin.

`install_schedule()` creates the periodic tasks that are missing and never changes one that
exists, so an administrator's edits (a different hour, a disabled task) survive re-running it.
It runs from a data migration and from `python manage.py install_schedule`.
"""

import importlib

TIME_ZONE = "Asia/Ho_Chi_Minh"
REPORTS_TASK = "reports.tasks.build_periodic_reports"

# name -> (task, schedule, args, description)
DEFAULTS = [
    (
        "Gửi thư trong hộp thư đi (mỗi phút)",
        "notifications.tasks.dispatch_outbox",
        {"every": 1, "period": "minutes"},
        [],
        "Sends the due outbox messages: receipts, notifications and reminders.",
    ),
    (
        "Nhắc việc hằng ngày (07:00)",
        "notifications.tasks.send_reminders",
        {"minute": "0", "hour": "7", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"},
        [],
        "Writes the day's reminders (conferences, notices, petitions, plans, compliance) and sends them.",
    ),
    (
        "Xóa phiên đăng nhập hết hạn (hằng ngày, 03:15)",
        "dialogue_portal.tasks.clear_expired_sessions",
        {"minute": "15", "hour": "3", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"},
        [],
        "Deletes the sessions past their end, with the unsent petition drafts (name, phone) they hold.",
    ),
]
REPORT_DEFAULTS = [
    (
        "Quét báo cáo đang chờ (mỗi 5 phút)",
        "reports.tasks.sweep_reports",
        {"every": 5, "period": "minutes"},
        [],
        "Hands again the reports left queued (broker down) and rebuilds those whose worker died.",
    ),
    (
        "Báo cáo tháng (ngày 1, 06:00)",
        REPORTS_TASK,
        {"minute": "0", "hour": "6", "day_of_month": "1", "month_of_year": "*", "day_of_week": "*"},
        ["month"],
        "Builds last month's reports and announces them by e-mail.",
    ),
    (
        "Báo cáo quý (ngày 1 của quý, 06:30)",
        REPORTS_TASK,
        {"minute": "30", "hour": "6", "day_of_month": "1", "month_of_year": "1,4,7,10", "day_of_week": "*"},
        ["quarter"],
        "Builds last quarter's reports and announces them by e-mail.",
    ),
]


def task_exists(name: str) -> bool:
    """Return True if the Celery task `name` is defined (its module imports and registers it)."""
    from celery import current_app

    module_name, _dot, attribute = name.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    return hasattr(module, attribute) and name in current_app.tasks


def install_schedule(apps=None) -> list[str]:
    """Create the default periodic tasks that are missing; return the names created. Idempotent.

    `apps` lets a data migration pass its historical models. Each of the reports' tasks is
    installed only when it exists (e.g. `reports.tasks.build_periodic_reports`).
    """
    import json

    if apps is None:
        from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
    else:
        CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")  # noqa: N806
        IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")  # noqa: N806
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")  # noqa: N806
    wanted = list(DEFAULTS) + [entry for entry in REPORT_DEFAULTS if task_exists(entry[1])]
    created = []
    for name, task, schedule, args, description in wanted:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        fields = {"task": task, "args": json.dumps(args), "description": description}
        if "every" in schedule:
            fields["interval"], _ = IntervalSchedule.objects.get_or_create(**schedule)
        else:
            fields["crontab"], _ = CrontabSchedule.objects.get_or_create(timezone=TIME_ZONE, **schedule)
        PeriodicTask.objects.create(name=name, **fields)
        created.append(name)
    if created and apps is None:
        from django_celery_beat.models import PeriodicTasks

        PeriodicTasks.update_changed()
    return created
