"""python manage.py sweep_reports [--build-here]

Hands again to Celery the reports queued for more than a minute and reclaims those stuck "being
built" past REPORT_BUILD_TIMEOUT (their worker died). Run every 5 minutes from cron where there is
no beat; `--build-here` builds them in this process (sites without a worker).
"""

from django.core.management.base import BaseCommand

from reports.services import sweep_reports


class Command(BaseCommand):
    help = "Re-queue reports left waiting and reclaim reports whose build was abandoned. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--build-here", action="store_true", help="Build the reports in this process instead of queuing them."
        )

    def handle(self, *args, build_here, **options):
        result = sweep_reports(build_here=build_here)
        self.stdout.write(f"re-queued {result['requeued']}, reclaimed {result['reclaimed']}")
