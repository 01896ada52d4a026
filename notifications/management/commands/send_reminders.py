import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications.reminders import SCANS, write_reminders
from notifications.services import dispatch_all


class Command(BaseCommand):
    help = "Write the day's reminders to the outbox and send what is due (for cron-only sites). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=sorted(SCANS), help="Only this reminder (default: all).")
        parser.add_argument("--today", help="Run as if today were YYYY-MM-DD.")
        parser.add_argument("--no-send", action="store_true", help="Only write the outbox; the sweeper sends.")

    def handle(self, *args, **options):
        try:
            today = datetime.date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError("--today must be YYYY-MM-DD")
        written = write_reminders(kind=options["kind"], today=today)
        for name, count in written.items():
            self.stdout.write(f"{name}: {count} new")
        if not options["no_send"]:
            result = dispatch_all(today=today)
            self.stdout.write(f"sent {result.sent}, skipped {result.skipped}, failed {result.failed}")
