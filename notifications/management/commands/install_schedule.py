from django.core.management.base import BaseCommand

from notifications.schedule import install_schedule


class Command(BaseCommand):
    help = "Create the default beat schedule (outbox sweeper, daily reminders, periodic reports) if missing."

    def handle(self, *args, **options):
        created = install_schedule()
        for name in created:
            self.stdout.write(f"created: {name}")
        self.stdout.write(self.style.SUCCESS(f"{len(created)} periodic task(s) created"))
