"""One audit row per state change, for every part of the domain.

Services write an `AuditEvent` in the same transaction as the change they make, so the
history can never disagree with the data. Field-level snapshots of the main models are
kept as well by django-simple-history (see `HistoricalRecordWithIP`).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        """Return the events of one object, oldest first."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
        ).order_by("created_at", "pk")


class AuditEvent(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("object type"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=64, help_text=_("What was done, e.g. 'accepted'."))
    from_status = models.CharField(_("status before"), max_length=32, blank=True)
    to_status = models.CharField(_("status after"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
        help_text=_("Empty when a citizen or the system did it."),
    )
    actor_label = models.CharField(
        _("done by (label)"), max_length=150, blank=True, help_text=_("E.g. 'citizen' or 'system'.")
    )
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.action} #{self.object_id}"


class HistoricalRecordWithIP(models.Model):
    """Abstract base of django-simple-history's tables: also keep the address of the change."""

    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    class Meta:
        abstract = True
