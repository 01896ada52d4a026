"""Client applications of the Open311 API and the petitions they submitted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from petitions.models import Petition


class ApiClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiClient(models.Model):
    """A registered application (a city app, a Zalo mini-app, the data platform) that may submit petitions.

    Only a hash of its key is stored: the key itself is shown once, when the administrator creates it.
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    contact_email = models.EmailField(_("contact e-mail"), help_text=_("Whom to tell when the key is revoked."))
    key_prefix = models.CharField(
        _("key prefix"), max_length=8, editable=False, help_text=_("The first characters of the key, to recognise it.")
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(
        _("revoked at"), null=True, blank=True, editable=False, help_text=_("A revoked key is refused for good.")
    )

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("API client application")
        verbose_name_plural = _("API client applications")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiSubmission(models.Model):
    """A petition that a client application submitted through `POST requests`."""

    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("client application")
    )
    petition = models.OneToOneField(
        Petition, on_delete=models.CASCADE, related_name="api_submission", verbose_name=_("petition")
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("petition submitted through the API")
        verbose_name_plural = _("petitions submitted through the API")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["client", "submitted_at"], name="api_submission_client_at")]

    def __str__(self):
        return f"{self.client} → {self.petition.display_code}"


class CalendarTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class CalendarToken(models.Model):
    """The secret address of an official's own calendar (their units' conferences).

    Only a hash is stored; the address is shown once, when the administrator issues it. Revoke it when it
    leaks or the official leaves.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens", verbose_name=_("official")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal calendar address")
        verbose_name_plural = _("personal calendar addresses")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} ({self.created_at:%d/%m/%Y})"
