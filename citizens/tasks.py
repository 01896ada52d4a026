"""Periodic jobs of the citizens' portal."""

from celery import shared_task

from citizens.drafts import purge_stale_drafts


@shared_task(name="citizens.tasks.purge_citizen_drafts", acks_late=True)
def purge_citizen_drafts() -> int:
    """Delete the files of petition drafts never sent (older than a day). Safe to run twice."""
    return purge_stale_drafts()
