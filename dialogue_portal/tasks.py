"""Periodic jobs of the project wiring: sessions past their end are deleted."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="dialogue_portal.tasks.clear_expired_sessions", acks_late=True)
def clear_expired_sessions() -> None:
    """Delete the sessions past their end (`clearsessions`), with the petition drafts they hold. Safe to run twice.

    A citizen's unsent draft keeps name and phone in the session table until this runs; the draft's
    files are removed by `citizens.tasks.purge_citizen_drafts`.
    """
    call_command("clearsessions")
