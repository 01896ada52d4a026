"""Receivers of the domain signals: they write outbox rows inside the sender's transaction.

They never call the network or the broker, so a petition is saved even when Redis or the mail
server is down; the sweeper sends the rows later. Connected in `NotificationsConfig.ready()`.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications import services
from notifications.models import PETITIONER, NotificationKind
from notifications.recipients import supervisors_of, user_ref
from notifications.services import Message, enqueue_messages, object_type_of

logger = logging.getLogger(__name__)

VERDICT_REQUEST_AFTER = datetime.timedelta(days=7)

# petition_changed action -> the citizen's message
CITIZEN_MESSAGES = {
    "submitted": NotificationKind.PETITION_RECEIPT,
    "accepted": NotificationKind.PETITION_ACCEPTED,
    "assigned": NotificationKind.PETITION_ASSIGNED,
    "transferred": NotificationKind.PETITION_ASSIGNED,
    "answered": NotificationKind.PETITION_ANSWERED,
    "answered_on_spot": NotificationKind.PETITION_ANSWERED,
}


def _event_key(petition, action: str) -> str:
    """Return a key telling this event apart from a later one of the same kind (a second answer …)."""
    if action == "submitted":
        return "submitted"
    stamp = petition.updated_at or timezone.now()
    return f"{action}@{stamp:%Y%m%dT%H%M%S.%f}"


def on_petition_changed(sender, petition, action, by=None, **extra):
    """Write the citizen's message for `action` (when they gave an e-mail) and the unit's alert on "not resolved"."""
    messages = []
    object_type = object_type_of(petition)
    kind = CITIZEN_MESSAGES.get(action)
    if kind and petition.petitioner_email and not petition.anonymised_at:
        key = _event_key(petition, action)
        messages.append(Message(kind, PETITIONER, object_type, petition.pk, key))
        if kind == NotificationKind.PETITION_ANSWERED:
            # A due-date row: the sweeper sends it a week later, unless the citizen answered first.
            messages.append(
                Message(
                    NotificationKind.VERDICT_REQUEST,
                    PETITIONER,
                    object_type,
                    petition.pk,
                    key,
                    send_at=timezone.now() + VERDICT_REQUEST_AFTER,
                )
            )
    if action == "verdict" and extra.get("verdict") == "not_resolved":
        key = f"verdict@{(petition.verdict_at or timezone.now()):%Y%m%dT%H%M%S.%f}"
        for user_id in _unit_people(petition):
            messages.append(
                Message(NotificationKind.NOT_RESOLVED_ALERT, user_ref(user_id), object_type, petition.pk, key)
            )
    if messages:
        enqueue_messages(messages)
        send_soon_when_eager()


def _unit_people(petition) -> list[int]:
    """Return the unit's officials, the handling unit's officers and the officer in charge (one query)."""
    from units.models import Membership, Role

    condition = Q(unit_id=petition.unit_id, role=Role.UNIT_OFFICIAL)
    if petition.handling_org_id:
        condition |= Q(organisation_id=petition.handling_org_id, role=Role.HANDLING_OFFICER)
    ids = list(
        Membership.objects.active()
        .filter(condition, user__is_active=True)
        .order_by("pk")
        .values_list("user_id", flat=True)
        .distinct()
    )
    if petition.assignee_id and petition.assignee_id not in ids:
        ids.insert(0, petition.assignee_id)
    return ids


def on_report_ready(sender, report, **kwargs) -> int:
    """Write the "report ready" e-mails of a built automatic report, one to each supervisor of its unit
    or of a unit above it; return how many.

    Connected to `reports.services.report_ready` by the project (dialogue_portal.apps): reports and
    notifications are siblings and do not import each other.
    """
    messages = [
        Message(NotificationKind.REPORT_READY, user_ref(user_id), object_type_of(report), report.pk, "ready")
        for user_id in supervisors_of(report.unit)
    ]
    services.enqueue_messages(messages)
    if messages:
        send_soon_when_eager()
    return len(messages)


def on_followup_changed(sender, instance, action, by=None, **kwargs):
    """A published follow-up notice is news for its ward's subscribers (fanned out after the commit)."""
    from followup.models import FollowUpNotice, NoticeStatus

    if sender is FollowUpNotice and action == NoticeStatus.PUBLISHED:
        fan_out_after_commit(NotificationKind.ALERT_NOTICE, instance.pk)


def on_conference_changed(sender, instance, action, by=None, **kwargs):
    """An announced conference is news for its ward's subscribers (fanned out after the commit)."""
    from conferences.models import Conference, ConferenceStatus

    if sender is Conference and action == ConferenceStatus.ANNOUNCED:
        fan_out_after_commit(NotificationKind.ALERT_CONFERENCE, instance.pk)


def fan_out_after_commit(kind: str, object_id: int) -> None:
    """Queue the fan-out task (ids only) once the item is committed.

    The broker is not where the work is kept: when it cannot be reached, the fan-out (database inserts
    only) runs here instead, and the sweeper sends the rows.
    """

    def queue():
        from notifications.tasks import fan_out_alerts

        try:
            fan_out_alerts.delay(str(kind), object_id)
        except Exception as exc:  # noqa: BLE001 - kombu.OperationalError, redis errors…: do it here instead
            from notifications.alerts import write_alerts

            logger.warning("alerts %s %s: broker unavailable (%s), fanned out in the request", kind, object_id, exc)
            write_alerts(kind=kind, object_id=object_id)

    transaction.on_commit(queue, robust=True)


def send_soon_when_eager():
    """In the embedded default (Celery eager, no worker, no beat) send right after the commit.

    With a real broker nothing is enqueued from the request: the sweeper picks the rows up
    within a minute, so the request never depends on the broker.
    """
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        transaction.on_commit(_dispatch_now, robust=True)


def _dispatch_now():
    from notifications.services import dispatch_due

    dispatch_due(limit=50)
