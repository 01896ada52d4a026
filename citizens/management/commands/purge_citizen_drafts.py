from django.core.management.base import BaseCommand

from citizens.drafts import MAX_DRAFT_AGE, purge_stale_drafts


class Command(BaseCommand):
    help = "Delete the files of petition drafts never sent (older than a day). Safe to run twice; run it daily."

    def handle(self, *args, **options):
        removed = purge_stale_drafts()
        self.stdout.write(f"Removed {removed} draft folder(s) older than {MAX_DRAFT_AGE}.")
