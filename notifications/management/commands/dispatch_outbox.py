from django.core.management.base import BaseCommand

from notifications.services import dispatch_all


class Command(BaseCommand):
    help = "Send the due outbox messages (the sweeper; run every minute from cron where there is no beat)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="Messages per batch.")

    def handle(self, *args, **options):
        result = dispatch_all(limit=options["limit"])
        self.stdout.write(f"sent {result.sent}, skipped {result.skipped}, failed {result.failed}")
