from django.core.management.base import BaseCommand

from citizens.drafts import MAX_DRAFT_AGE, purge_stale_drafts
from notifications.alerts import purge_unconfirmed_subscriptions


class Command(BaseCommand):
    help = (
        "Delete the files of petition drafts never sent (older than a day) and the e-mail alert requests never "
        "confirmed (older than their confirmation link). Safe to run twice; run it daily."
    )

    def handle(self, *args, **options):
        removed = purge_stale_drafts()
        self.stdout.write(f"Removed {removed} draft folder(s) older than {MAX_DRAFT_AGE}.")
        unconfirmed = purge_unconfirmed_subscriptions()
        self.stdout.write(f"Removed {unconfirmed} e-mail alert request(s) never confirmed.")
