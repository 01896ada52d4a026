"""`manage.py load_demo`: install the demo data and print the demo accounts (idempotent)."""

import time

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from dialogue_portal.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Install the demo data: Hà Nội, Bắc Từ Liêm and its wards before and after 1/7/2025 with their "
        "successions, organisations, Decision 2200-QĐ/TU and plan 85-KH/QU, the rules and holidays, one account "
        "per role, and a year of plans, conferences, petitions, notices and supervision. Running it twice "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-activity", action="store_true", help="Install only the reference data and the accounts."
        )

    def handle(self, *args, no_activity=False, **options):
        started = time.perf_counter()
        # The demo year sends its e-mails (acknowledgements, reminders…) as it goes: keep them in
        # memory, so that the console backend of `make run` does not print hundreds of messages.
        # The outbox rows are still written and marked sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            world = load_demo(with_activity=not no_activity)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.perf_counter() - started:.1f}s."))
        rows = [("username", "password", "role", "unit")] + [
            (username, DEMO_PASSWORD, role, unit) for username, role, unit in world.accounts
        ]
        widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
        line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
        self.stdout.write(line)
        for index, row in enumerate(rows):
            self.stdout.write("| " + " | ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)) + " |")
            if index == 0:
                self.stdout.write(line)
        self.stdout.write(line)
