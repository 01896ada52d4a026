"""Celery tasks: thin adapters that take ids or dates, call a service, and are safe to run twice.

Late acknowledgement is on for the whole project (CELERY_TASK_ACKS_LATE), so a task whose
worker dies is delivered again; the outbox and the unique sent log make that harmless.
"""

import datetime
import logging

from celery import shared_task

from notifications.alerts import write_alerts
from notifications.reminders import write_reminders
from notifications.services import dispatch_all

logger = logging.getLogger(__name__)


@shared_task(name="notifications.tasks.dispatch_outbox", acks_late=True, ignore_result=True)
def dispatch_outbox(limit: int = 200) -> dict:
    """Send the due outbox messages (the sweeper beat runs every minute). Idempotent."""
    result = dispatch_all(limit=limit)
    if result.handled:
        logger.info("outbox: %s sent, %s skipped, %s failed", result.sent, result.skipped, result.failed)
    return {"sent": result.sent, "skipped": result.skipped, "failed": result.failed}


@shared_task(name="notifications.tasks.send_reminders", acks_late=True, ignore_result=True)
def send_reminders(kind: str | None = None, today: str | None = None) -> dict:
    """Write today's reminders of `kind` (all when None) to the outbox, then send what is due. Idempotent."""
    day = datetime.date.fromisoformat(today) if today else None
    written = write_reminders(kind=kind, today=day)
    result = dispatch_all(today=day)
    logger.info(
        "reminders %s: %s candidates; %s sent, %s skipped",
        kind or "all",
        sum(written.values()),
        result.sent,
        result.skipped,
    )
    return {"written": written, "sent": result.sent, "skipped": result.skipped, "failed": result.failed}


@shared_task(name="notifications.tasks.fan_out_alerts", acks_late=True, ignore_result=True)
def fan_out_alerts(kind: str, object_id: int) -> dict:
    """Write the alert of `kind` about item `object_id` to its ward's confirmed subscribers, then send.

    Receives ids only (never an address); safe to run twice: the outbox sends each subscriber one message.
    """
    fan_out = write_alerts(kind=kind, object_id=object_id)
    result = dispatch_all()
    logger.info(
        "alerts %s %s: %s subscribers, %s new; %s sent",
        kind,
        object_id,
        fan_out.subscribers,
        fan_out.written,
        result.sent,
    )
    return {"subscribers": fan_out.subscribers, "written": fan_out.written, "sent": result.sent}
