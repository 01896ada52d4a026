"""python manage.py build_periodic_reports --period month|quarter [--today YYYY-MM-DD] [--format pdf]

Creates and queues the previous month's (or quarter's) report of every district and city unit,
as beat does on the 1st (for cron-only sites). Safe to run twice: each report is created once.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from reports.models import Report
from reports.services import build_periodic_reports


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}")


class Command(BaseCommand):
    help = "Build last month's or last quarter's report of every district and city unit. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, choices=["month", "quarter"])
        parser.add_argument("--today", type=_date, help="Run as if today were YYYY-MM-DD.")
        parser.add_argument("--format", default=Report.Format.PDF, choices=Report.Format.values)

    def handle(self, *args, period, today, format, **options):
        queued = build_periodic_reports(period=period, today=today, fmt=format)
        for report in queued:
            self.stdout.write(f"queued: {report}")
        self.stdout.write(f"{len(queued)} report(s) queued")
