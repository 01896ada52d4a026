"""Write messages to the outbox, and send what is due exactly once.

Contracts:
- `enqueue_messages` only writes rows (it is what receivers call inside a service's
  transaction); it never touches the broker or the network. Writing the same message twice
  is a no-op (unique key: kind, recipient, object, due key).
- `dispatch_due` is the sweeper. Each message is sent in its own transaction that locks its
  outbox row (SKIP LOCKED on PostgreSQL, so concurrent sweepers share the work), inserts its
  `Delivery` (unique), sends, and marks the row. A second sweeper, a retry or a restarted
  worker finds the row done or the delivery present, and sends nothing. A worker killed while
  sending rolls the transaction back, so the row is picked up again (sent at least once,
  and only once unless the kill falls between the mail server's acceptance and the commit).
- A failure is recorded on the row with exponential back-off; after `max_attempts()` the
  row is parked for an administrator (admin action "retry", `retry_messages`).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus, OutboxMessage, OutboxStatus, SkipReason

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from django.db import models

    from notifications.emails import Batch, Prepared

logger = logging.getLogger(__name__)

_ADDRESS = re.compile(r"[^\s<>\"',;]+@[^\s<>\"',;]+")


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 8))


def backoff(attempts: int) -> datetime.timedelta:
    """Return the wait before attempt number `attempts + 1`: 1, 2, 4, 8 … minutes, at most 6 hours."""
    base = int(getattr(settings, "NOTIFICATIONS_RETRY_BASE_SECONDS", 60))
    cap = int(getattr(settings, "NOTIFICATIONS_RETRY_MAX_SECONDS", 6 * 60 * 60))
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


@dataclasses.dataclass(frozen=True)
class Message:
    """A message to write to the outbox: ids and references only."""

    kind: str
    recipient: str
    object_type: str
    object_id: int
    due_key: str = ""
    payload: dict = dataclasses.field(default_factory=dict)
    send_at: datetime.datetime | None = None


def object_type_of(model_or_obj: type[models.Model] | models.Model) -> str:
    return model_or_obj._meta.label_lower


def enqueue_messages(messages: Sequence[Message]) -> int:
    """Write `messages` to the outbox in one query, ignoring those already there. Return how many were
    new (rows written by this call; a second call with the same messages returns 0).

    Safe to call inside any transaction and to call twice (idempotent); never contacts the broker.
    """
    now = timezone.now()
    rows = [
        OutboxMessage(
            kind=m.kind,
            recipient=m.recipient,
            object_type=m.object_type,
            object_id=m.object_id,
            due_key=m.due_key,
            payload=m.payload,
            next_attempt_at=m.send_at or now,
            created_at=now,
        )
        for m in messages
    ]
    if not rows:
        return 0
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    # The rows this call wrote carry its own time stamp (ignore_conflicts returns no ids to count).
    return OutboxMessage.objects.filter(created_at=now, kind__in={m.kind for m in messages}).count()


@dataclasses.dataclass
class DispatchResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    taken: int = 0  # handled meanwhile by another sweeper

    def __add__(self, other: DispatchResult) -> DispatchResult:
        return DispatchResult(
            *(a + b for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other), strict=True))
        )

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.failed


def dispatch_due(
    *, limit: int = 200, now: datetime.datetime | None = None, today: datetime.date | None = None
) -> DispatchResult:
    """Send up to `limit` due outbox messages. Idempotent; safe to run concurrently.

    `today` (default: the date of `now`) is the day the messages speak of ("3 days left", "5 days
    late"): `send_reminders --today` passes the day it scanned, so the text matches the scan.

    Reads are batched (the same number of queries for 1 or `limit` messages); each message then
    costs a fixed handful of writes in its own transaction.
    """
    from notifications.emails import Batch, build_email

    now = now or timezone.now()
    rows = list(OutboxMessage.objects.due(now).order_by("next_attempt_at", "pk")[:limit])
    result = DispatchResult()
    if not rows:
        return result
    batch = Batch(rows, now=now, today=today)
    for row in rows:
        try:
            outcome = _send_one(row, batch, build_email, now)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
            _record_failure(row.pk, exc, now)
            outcome = "failed"
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _send_one(
    row: OutboxMessage, batch: Batch, build_email: Callable[[OutboxMessage, Batch], Prepared], now: datetime.datetime
) -> str:
    with transaction.atomic():
        locked = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=row.pk, status=OutboxStatus.PENDING)
            .only("pk", "attempts")
            .first()
        )
        if locked is None:
            return "taken"
        prepared = build_email(row, batch)
        status = DeliveryStatus.SKIPPED if prepared.skip_reason else DeliveryStatus.SENT
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    kind=row.kind,
                    recipient=row.recipient,
                    object_type=row.object_type,
                    object_id=row.object_id,
                    due_key=row.due_key,
                    status=status,
                    reason=prepared.skip_reason,
                    language=prepared.language,
                    outbox_id=row.pk,
                    created_at=now,
                )
        except IntegrityError:
            # Delivered before (e.g. by an earlier run whose outbox row was restored): never again.
            OutboxMessage.objects.filter(pk=row.pk).update(
                status=OutboxStatus.SENT, skip_reason=SkipReason.ALREADY_DELIVERED, sent_at=now
            )
            return "taken"
        if not prepared.skip_reason:
            prepared.email.extra_headers["X-Portal-Delivery"] = str(delivery.pk)  # type: ignore[union-attr]
            prepared.email.send(fail_silently=False)  # type: ignore[union-attr]
        OutboxMessage.objects.filter(pk=row.pk).update(
            status=OutboxStatus.SKIPPED if status == DeliveryStatus.SKIPPED else OutboxStatus.SENT,
            skip_reason=prepared.skip_reason,
            sent_at=now,
            attempts=locked.attempts + 1,
            last_error="",
        )
    if status == DeliveryStatus.SKIPPED:
        logger.info("notification %s (%s) skipped: %s", row.pk, row.kind, prepared.skip_reason)
        return "skipped"
    return "sent"


def _record_failure(pk: int, exc: Exception, now: datetime.datetime) -> None:
    """Count a failed attempt and schedule the next one, or park the message. Never logs an address."""
    error = _ADDRESS.sub("<address>", f"{type(exc).__name__}: {exc}")[:300]
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update().filter(pk=pk, status=OutboxStatus.PENDING).first()
        if row is None:
            return
        row.attempts += 1
        row.last_error = error
        if row.attempts >= max_attempts():
            row.status = OutboxStatus.PARKED
        else:
            row.next_attempt_at = now + backoff(row.attempts)
        row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    logger.warning("notification %s (%s) failed, attempt %s: %s", pk, row.kind, row.attempts, type(exc).__name__)


@transaction.atomic
def retry_messages(*, ids: Iterable[int]) -> int:
    """Put parked (or failing) messages back in the queue now. Return how many. Sent ones stay sent."""
    return OutboxMessage.objects.filter(
        pk__in=list(ids), status__in=[OutboxStatus.PARKED, OutboxStatus.PENDING]
    ).update(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")


def dispatch_all(*, limit: int = 200, rounds: int = 50, today: datetime.date | None = None) -> DispatchResult:
    """Run the sweeper until nothing due is left (or `rounds` batches). Used by commands and tasks."""
    total = DispatchResult()
    for _round in range(rounds):
        result = dispatch_due(limit=limit, today=today)
        total = total + result
        if result.handled + result.taken < limit or result.handled == 0:
            break
    return total
