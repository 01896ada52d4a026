"""Periodic jobs of the citizens' portal."""

from celery import shared_task

from citizens.drafts import purge_stale_drafts
from notifications.alerts import purge_unconfirmed_subscriptions


@shared_task(name="citizens.tasks.purge_citizen_drafts", acks_late=True)
def purge_citizen_drafts() -> int:
    """Delete the files of petition drafts never sent (older than a day) and the e-mail alert requests
    never confirmed (older than their link). Return the number of drafts removed. Safe to run twice."""
    purge_unconfirmed_subscriptions()
    return purge_stale_drafts()
