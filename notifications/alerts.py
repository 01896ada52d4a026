"""E-mail alerts without an account: a citizen follows a ward's published notices and announced conferences.

Contracts:
- `subscribe` records the request and queues only the confirmation e-mail (double opt-in): no alert goes
  to an address before `confirm_subscription`. Asking again for a confirmed subscription sends nothing,
  and the page says the same either way, so nobody learns whether an address is subscribed.
- Links are signed with the project's key (`django.core.signing`) over the subscription's id and secret:
  the confirmation link expires after `ALERTS_CONFIRM_MAX_AGE_DAYS`, the unsubscribe link never does, and a
  link of a deleted subscription never works for a new one.
- `write_alerts` fans an item out to the ward's confirmed subscribers as outbox rows; the outbox's unique
  key (kind, "subscriber:<id>", item) and the sent log make it exactly once per item and subscriber, however
  often it runs. It is called by the task `notifications.tasks.fan_out_alerts`, which receives ids only.
- `unsubscribe` deletes the row (one click, idempotent); `erase_subscriptions` deletes every subscription of
  the addresses a citizen proved in "my data".
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from notifications.models import AlertSubscription, NotificationKind
from notifications.receivers import send_soon_when_eager
from notifications.services import Message, enqueue_messages, object_type_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from units.models import AdministrativeUnit

logger = logging.getLogger(__name__)

CONFIRM_SALT = "notifications.alerts.confirm"
UNSUBSCRIBE_SALT = "notifications.alerts.unsubscribe"
SUBSCRIBER = "subscriber"

# kind of alert -> (the item's model label, the statuses in which it is public news)
ALERT_ITEMS = {
    NotificationKind.ALERT_NOTICE: "followup.followupnotice",
    NotificationKind.ALERT_CONFERENCE: "conferences.conference",
}


class AlertLinkInvalid(Exception):
    """The link is not one the portal made, or its subscription no longer exists."""


class AlertSubscriptionGone(AlertLinkInvalid):
    """The link is ours, but its subscription was cancelled (unsubscribed, or erased with "my data")."""


class AlertLinkExpired(AlertLinkInvalid):
    """The confirmation link is older than ALERTS_CONFIRM_MAX_AGE_DAYS."""


def subscriber_ref(subscription_id: int) -> str:
    return f"{SUBSCRIBER}:{subscription_id}"


def normalise_email(email: str) -> str:
    """Return the address as subscriptions store it: trimmed, lower case (one address, one row per ward)."""
    return (email or "").strip().lower()


def confirm_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, "ALERTS_CONFIRM_MAX_AGE_DAYS", 7)))


def confirm_token(subscription: AlertSubscription) -> str:
    return signing.dumps({"i": subscription.pk, "s": subscription.secret}, salt=CONFIRM_SALT)


def unsubscribe_token(subscription: AlertSubscription) -> str:
    return signing.dumps({"i": subscription.pk, "s": subscription.secret}, salt=UNSUBSCRIBE_SALT)


def _load(token: str, *, salt: str, max_age: datetime.timedelta | None = None) -> AlertSubscription:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise AlertLinkExpired from exc
    except signing.BadSignature as exc:
        raise AlertLinkInvalid from exc
    if not isinstance(data, dict) or not isinstance(data.get("i"), int) or not isinstance(data.get("s"), str):
        raise AlertLinkInvalid
    subscription = AlertSubscription.objects.select_related("unit").filter(pk=data["i"], secret=data["s"]).first()
    if subscription is None:
        raise AlertSubscriptionGone
    return subscription


def subscription_for_unsubscribe(token: str) -> AlertSubscription:
    """Return the subscription of an unsubscribe link; raise AlertLinkInvalid if there is none (any more)."""
    return _load(token, salt=UNSUBSCRIBE_SALT)


def subscription_for_confirm(token: str) -> AlertSubscription:
    """Return the subscription of a confirmation link; raise AlertLinkExpired / AlertLinkInvalid."""
    return _load(token, salt=CONFIRM_SALT, max_age=confirm_max_age())


@transaction.atomic
def subscribe(*, email: str, unit: AdministrativeUnit) -> AlertSubscription:
    """Record that `email` asks for the alerts of `unit` and queue the confirmation e-mail.

    Only the confirmation is sent until the citizen confirms. Asking again before confirming sends a new
    confirmation (the old link keeps working until it expires); asking again after confirming sends nothing.
    """
    subscription, _created = AlertSubscription.objects.get_or_create(email=normalise_email(email), unit=unit)
    if subscription.confirmed_at is None:
        enqueue_messages(
            [
                Message(
                    NotificationKind.ALERT_CONFIRM,
                    subscriber_ref(subscription.pk),
                    object_type_of(subscription),
                    subscription.pk,
                    due_key=f"asked@{timezone.now():%Y%m%dT%H%M%S.%f}",
                )
            ]
        )
        send_soon_when_eager()
    return subscription


@transaction.atomic
def confirm_subscription(*, token: str) -> tuple[AlertSubscription, bool]:
    """Confirm the subscription of a confirmation link. Return it and whether this call confirmed it
    (False: it was confirmed before; nothing changes). Raise AlertLinkExpired / AlertLinkInvalid."""
    subscription = subscription_for_confirm(token)
    subscription = AlertSubscription.objects.select_for_update().select_related("unit").get(pk=subscription.pk)
    if subscription.confirmed_at is not None:
        return subscription, False
    subscription.confirmed_at = timezone.now()
    subscription.save(update_fields=["confirmed_at"])
    logger.info("alert subscription %s confirmed", subscription.pk)
    return subscription, True


@transaction.atomic
def unsubscribe(*, token: str) -> AdministrativeUnit:
    """Delete the subscription of an unsubscribe link and return its ward. Idempotent: a second click raises
    AlertSubscriptionGone (the page says it is already cancelled); a link that is not ours, AlertLinkInvalid."""
    subscription = subscription_for_unsubscribe(token)
    unit = subscription.unit
    AlertSubscription.objects.filter(pk=subscription.pk).delete()
    logger.info("alert subscription %s deleted by its unsubscribe link", subscription.pk)
    return unit


@transaction.atomic
def erase_subscriptions(*, emails: Iterable[str]) -> int:
    """Delete every subscription of these addresses (the citizen's "erase my data"); return how many."""
    deleted, _per_model = AlertSubscription.objects.of_addresses(list(emails)).delete()
    return deleted


def subscriptions_export(emails: Iterable[str]) -> list[dict]:
    """Return the subscriptions of these addresses as "download my data" lists them."""
    return [
        {
            "email": s.email,
            "ward": str(s.unit),
            "asked_at": s.created_at.isoformat(),
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
        }
        for s in AlertSubscription.objects.of_addresses(list(emails)).select_related("unit").order_by("created_at")
    ]


@transaction.atomic
def purge_unconfirmed_subscriptions(*, now: datetime.datetime | None = None) -> int:
    """Delete the requests never confirmed whose confirmation link has expired (their address is kept for
    nothing else); return how many. Run daily with the citizens' drafts purge. Idempotent."""
    cutoff = (now or timezone.now()) - confirm_max_age()
    deleted, _per_model = AlertSubscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


@dataclasses.dataclass(frozen=True)
class FanOut:
    subscribers: int
    written: int


def write_alerts(*, kind: str, object_id: int) -> FanOut:
    """Write one outbox row of `kind` about the item to each confirmed subscriber of its ward.

    Idempotent: rows already written (an earlier run, a retried task, an item announced twice) are
    ignored by the outbox's unique key, so each subscriber gets the item once. Costs the same number of
    queries for 1 or 10,000 subscribers (one read, inserts in batches of 500).
    """
    from django.apps import apps

    object_type = ALERT_ITEMS[NotificationKind(kind)]
    item = apps.get_model(object_type)._default_manager.filter(pk=object_id).only("pk", "unit_id").first()
    if item is None:
        return FanOut(0, 0)
    subscribers = list(
        AlertSubscription.objects.confirmed().filter(unit_id=item.unit_id).order_by("pk").values_list("pk", flat=True)
    )
    messages = [Message(kind, subscriber_ref(pk), object_type, object_id) for pk in subscribers]
    return FanOut(len(subscribers), enqueue_messages(messages))
