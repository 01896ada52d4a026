"""Stored reports: requested in the portal, by the command line, or built monthly and quarterly by beat.

A report is a row first (queued), then a Celery task builds its file from `reports.stats`
and stamps its progress; nothing depends on the broker keeping the request.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from units.forms import unit_label
from units.models import AdministrativeUnit


class ReportStorage(FileSystemStorage):
    """Report files live under `settings.REPORTS_ROOT`, outside MEDIA_URL: they are served only by the
    scoped download view."""

    def __init__(self):
        super().__init__(base_url=None)

    @cached_property
    def base_location(self):
        return str(settings.REPORTS_ROOT)

    @property
    def location(self):
        return os.path.abspath(str(settings.REPORTS_ROOT))


_storage = ReportStorage()


def report_storage():
    return _storage


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the reports of the units `user` may see."""
        from units.permissions import unit_ids_in_scope

        scope = unit_ids_in_scope(user)
        qs = self.select_related("unit", "requested_by")
        return qs if scope is None else qs.filter(unit_id__in=scope)


class Report(models.Model):
    class Format(models.TextChoices):
        JSON = "json", "JSON"
        CSV = "csv", "CSV"
        XLSX = "xlsx", _("Excel (XLSX)")
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Periodic(models.TextChoices):
        NONE = "", _("On request")
        MONTH = "month", _("Monthly")
        QUARTER = "quarter", _("Quarterly")

    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("unit"),
        help_text=_("The report covers this unit and every unit below it."),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    as_of_today_units = models.BooleanField(
        _("mapped to today's units"),
        default=False,
        help_text=_("Count the records of abolished units on the units that took them over."),
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.PDF)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), storage=report_storage, upload_to="%Y/%m/", blank=True)
    periodic = models.CharField(
        _("automatic"), max_length=8, choices=Periodic.choices, default=Periodic.NONE, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    queued_at = models.DateTimeField(
        _("queued at"),
        default=timezone.now,
        help_text=_("When the build was last handed to the task queue; the sweeper hands it again if it waits."),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    notified_at = models.DateTimeField(
        _("announced at"), null=True, blank=True, help_text=_("When the supervisors were e-mailed (once).")
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="report_end_after_start"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_0_100"),
            # Beat running twice must not build the same automatic report twice.
            models.UniqueConstraint(
                fields=["unit", "start", "end", "format", "periodic"],
                condition=~Q(periodic=""),
                name="report_periodic_once",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "created_at"]),
            # The sweeper's query: reports waiting or being built.
            models.Index(
                fields=["status", "queued_at"],
                name="report_unfinished",
                condition=Q(status__in=["queued", "running"]),
            ),
        ]

    def __str__(self):
        return f"{unit_label(self.unit)} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y} ({self.get_format_display()})"

    @property
    def is_provisional(self) -> bool:
        """True if the report was asked for before its period ended: its figures will still change."""
        from reports.builder import is_provisional

        return is_provisional(self.end, timezone.localdate(self.created_at))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def download_name(self) -> str:
        """Return the file name offered for download, e.g. `bao-cao-00601-2026-01-01-2026-03-31.pdf`."""
        return f"bao-cao-{self.unit.code}-{self.start:%Y-%m-%d}-{self.end:%Y-%m-%d}.{self.format}"


# --- Fetch and authorise ------------------------------------------------------------------------
# `get_<model>_for_user(user, pk, *, action=predicate)`: a 404 for what `user` may not see, a 403
# when they see it but `action(user, obj)` is False (see `conferences.models.get_conference_for_user`).


def get_report_for_user(user, pk) -> Report:
    return get_object_or_404(Report.objects.visible_to(user), pk=pk)
