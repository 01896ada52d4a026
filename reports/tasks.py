"""Celery tasks of the reports: thin adapters that take ids and call `reports.services`.

Both are safe to run twice: `build_report` does nothing for a report already built or being
built, and `build_periodic_reports` creates each automatic report once (unique constraint).
"""

from celery import shared_task

from reports import services


@shared_task(name="reports.tasks.build_report", acks_late=True, ignore_result=True)
def build_report(report_id: int) -> None:
    """Build the file of report `report_id` (queued by `services.request_report` after commit)."""
    services.build_stored_report(report_id=report_id)


@shared_task(name="reports.tasks.build_periodic_reports", acks_late=True, ignore_result=True)
def build_periodic_reports(period: str = "month") -> int:
    """Create and queue last month's (or last quarter's) report of every district and city unit.

    Scheduled by beat (see notifications.schedule): `period` is "month" or "quarter".
    """
    return len(services.build_periodic_reports(period=period))


@shared_task(name="reports.tasks.sweep_reports", acks_late=True, ignore_result=True)
def sweep_reports() -> dict:
    """Hand again the reports left queued (broker down, message lost) and reclaim those whose worker died.

    Scheduled by beat every 5 minutes (see notifications.schedule). Idempotent.
    """
    return services.sweep_reports()
