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


@shared_task(name="dialogue_portal.tasks.send_password_reset", acks_late=True)
def send_password_reset(*, email: str, domain: str, use_https: bool, language: str = "vi") -> None:
    """Send the password-reset link to the active accounts with `email`, if any (nothing otherwise).

    Queued by the password-reset page for every valid request, so the page does the same work and
    answers the same whether or not the account exists. Sending twice sends two links (harmless).
    """
    from django.contrib.auth.forms import PasswordResetForm
    from django.utils import translation

    form = PasswordResetForm(data={"email": email})
    if form.is_valid():
        with translation.override(language):
            form.save(domain_override=domain, use_https=use_https)
