"""The outbox, the sent log and people's notification preferences.

Two tables keep "nothing is lost, nothing is sent twice":

- `OutboxMessage` is work to do. A service's receiver (or the daily reminder scan) writes a
  row in the same transaction as the change; the sweeper (`notifications.tasks.dispatch_outbox`)
  sends it later, retrying with back-off and parking it after too many failures. A row holds
  ids only: the recipient's e-mail address is looked up when it is sent.
- `Delivery` is what was sent (or deliberately skipped, with the reason), unique on
  (kind, recipient, object, due key). The sender inserts it in the transaction that sends, so
  a retry, a second beat or a restarted worker finds it and does not send again.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    # To citizens who gave an e-mail address (never their name or phone in the message).
    PETITION_RECEIPT = "petition_receipt", _("Citizen: petition received")
    PETITION_ACCEPTED = "petition_accepted", _("Citizen: petition accepted")
    PETITION_ASSIGNED = "petition_assigned", _("Citizen: petition assigned for handling")
    PETITION_ANSWERED = "petition_answered", _("Citizen: petition answered")
    VERDICT_REQUEST = "verdict_request", _("Citizen: request for a verdict a week after the answer")
    # To officials.
    NOT_RESOLVED_ALERT = "not_resolved_alert", _("Unit: a citizen says the petition was not resolved")
    CONFERENCE_UPCOMING = "conference_upcoming", _("Chair and organisers: conference coming up")
    INVITATION_LATE = "invitation_late", _("Chair and organisers: invitation not sent by the lead time")
    NOTICE_MISSING = "notice_missing", _("Chair and organisers: held conference without a published notice")
    PETITION_DUE_SOON = "petition_due_soon", _("Handling officer: petition due within 3 working days")
    OVERDUE_DIGEST = "overdue_digest", _("Handling officer: daily digest of overdue petitions")
    OVERDUE_ESCALATION = "overdue_escalation", _("Supervisor: petitions long overdue")
    RECHECK_DUE = "recheck_due", _("Front supervisor: re-check date has come")
    PLAN_MISSING = "plan_missing", _("Unit: no approved yearly plan by the deadline")
    CONFERENCES_BEHIND = "conferences_behind", _("Unit: behind the required periodic conferences")
    REPORT_READY = "report_ready", _("Supervisor: automatic report ready")
    # To subscribers of a ward's e-mail alerts (no account; `AlertSubscription`).
    ALERT_CONFIRM = "alert_confirm", _("Subscriber: confirm the e-mail alerts")
    ALERT_NOTICE = "alert_notice", _("Subscriber: a follow-up notice was published")
    ALERT_CONFERENCE = "alert_conference", _("Subscriber: a conference was announced")


CITIZEN_KINDS = (
    NotificationKind.PETITION_RECEIPT,
    NotificationKind.PETITION_ACCEPTED,
    NotificationKind.PETITION_ASSIGNED,
    NotificationKind.PETITION_ANSWERED,
    NotificationKind.VERDICT_REQUEST,
)

# The recipient is a reference resolved to an address when the message is sent, never the address:
# "user:<id>" (an official's account), "org:<id>" (an organisation's shared mailbox) or
# PETITIONER (the petitioner of the petition the message is about), "subscriber:<id>" (an
# `AlertSubscription`, whose address is read when the message is sent). A reminder nobody could receive
# is recorded as a skipped `Delivery` to "unit:<id>" (the unit it was about) with NO_RECIPIENT.
PETITIONER = "petitioner"


class SkipReason(models.TextChoices):
    """Why a message was not sent. The values are stable codes in plain words, the labels translated."""

    NO_ADDRESS = "no e-mail address", _("No e-mail address")
    TURNED_OFF = "e-mail turned off by the recipient", _("E-mail turned off by the recipient")
    INACTIVE = "recipient account inactive or deleted", _("Recipient's account inactive or deleted")
    UNKNOWN_RECIPIENT = "unknown recipient", _("Unknown recipient")
    OBJECT_DELETED = "object deleted", _("What it was about has been deleted")
    ALREADY_DELIVERED = "already delivered", _("Already delivered")
    VERDICT_GIVEN = "verdict already given", _("The citizen already gave a verdict")
    PETITION_REOPENED = "petition reopened or closed", _("Petition reopened or closed")
    CONFERENCE_OFF = (
        "conference postponed, cancelled or already held",
        _("Conference postponed, cancelled or already held"),
    )
    RESCHEDULED = "conference rescheduled", _("Conference rescheduled")
    INVITATION_SENT = "invitation already sent", _("Invitation already sent")
    NOTICE_PUBLISHED = "notice already published", _("Notice already published")
    PETITION_CLOSED = "petition closed", _("Petition closed")
    DUE_DATE_CHANGED = "due date changed", _("Due date changed")
    PETITIONS_CLOSED = "petitions closed", _("The petitions were closed")
    RECHECKED = "already re-checked", _("Already re-checked")
    PLAN_APPROVED = "plan already approved", _("Plan already approved")
    UNSUBSCRIBED = "unsubscribed", _("The subscriber unsubscribed")
    NOT_CONFIRMED = "subscription not confirmed", _("The subscription is not confirmed")
    ALREADY_CONFIRMED = "subscription already confirmed", _("The subscription is already confirmed")
    NOT_PUBLIC = "no longer public", _("No longer published or announced")
    NO_RECIPIENT = (
        "no one to send it to",
        _("No one to send it to: the unit and the units above it have no one in the role"),
    )


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    PARKED = "parked", _("Parked after repeated failures")


class OutboxQuerySet(models.QuerySet):
    def due(self, now=None):
        """Return pending messages whose time has come."""
        return self.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now or timezone.now())


class OutboxMessage(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    recipient = models.CharField(
        _("recipient"),
        max_length=32,
        help_text=_("A reference (user:12, org:3, petitioner), resolved to an e-mail address when sent."),
    )
    object_type = models.CharField(_("about (type)"), max_length=64, help_text=_("E.g. petitions.petition."))
    object_id = models.PositiveBigIntegerField(_("about (id)"))
    due_key = models.CharField(
        _("due key"),
        max_length=64,
        blank=True,
        help_text=_("Tells apart messages of the same kind about the same object: a date, a stage, an event time."),
    )
    payload = models.JSONField(_("ids"), default=dict, blank=True, help_text=_("Ids only, never personal data."))
    status = models.CharField(
        _("status"), max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    skip_reason = models.CharField(_("reason skipped"), max_length=200, blank=True, choices=SkipReason.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["next_attempt_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "object_type", "object_id", "due_key"], name="outbox_unique_message"
            ),
        ]
        indexes = [
            # The sweeper's query: pending rows whose time has come, oldest first.
            models.Index(
                fields=["next_attempt_at"], name="outbox_pending_due", condition=Q(status=OutboxStatus.PENDING)
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.object_type}:{self.object_id})"


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    """One message sent (or skipped, with the reason). Unique: the same reminder is never sent twice."""

    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    recipient = models.CharField(_("recipient"), max_length=32)
    object_type = models.CharField(_("about (type)"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("about (id)"))
    due_key = models.CharField(_("due key"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices)
    reason = models.CharField(_("reason skipped"), max_length=200, blank=True, choices=SkipReason.choices)
    language = models.CharField(_("language"), max_length=8, blank=True)
    outbox = models.ForeignKey(
        OutboxMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("outbox message"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries (sent log)")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "object_type", "object_id", "due_key"], name="delivery_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}: {self.get_status_display()}"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    email_enabled = models.BooleanField(
        _("receive reminders by e-mail"),
        default=True,
        help_text=_("Off: reminders are recorded as skipped instead of sent."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user} ({self.language})"


def new_alert_secret() -> str:
    return secrets.token_urlsafe(16)


class AlertSubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def of_addresses(self, emails):
        """Return the subscriptions of these e-mail addresses (compared as `normalise_email` writes them)."""
        return self.filter(email__in=[e.strip().lower() for e in emails if e and e.strip()])


class AlertSubscription(models.Model):
    """A citizen's request to be e-mailed a ward's published follow-up notices and conference announcements.

    No account: the address is the only personal data, kept for this purpose alone. Nothing is sent to it
    before `confirmed_at` (double opt-in); every message carries a one-click unsubscribe link, which deletes
    the row. Links are signed (`notifications.alerts`) over the id and `secret`, so a link of a deleted
    subscription never works for a new one.
    """

    email = models.EmailField(_("e-mail address"), max_length=254)
    unit = models.ForeignKey(
        "units.AdministrativeUnit",
        on_delete=models.CASCADE,
        related_name="alert_subscriptions",
        verbose_name=_("ward or commune"),
    )
    secret = models.CharField(_("secret"), max_length=32, default=new_alert_secret, editable=False)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    confirmed_at = models.DateTimeField(
        _("confirmed at"), null=True, blank=True, help_text=_("Empty: not confirmed yet, nothing is sent.")
    )

    objects = AlertSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail alert subscription")
        verbose_name_plural = _("e-mail alert subscriptions")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["email", "unit"], name="alert_subscription_once")]
        indexes = [
            # The fan-out's query: the confirmed subscribers of one ward.
            models.Index(fields=["unit"], name="alert_confirmed_by_unit", condition=Q(confirmed_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.unit} ({self.created_at:%d/%m/%Y})"
