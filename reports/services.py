"""State changes of stored reports: request, build, retry, the monthly/quarterly run and its e-mail.

Callers: the report views, `reports.tasks` (which only adapt ids to these functions), the
`build_report` command (which builds without storing), and the beat schedule through
`reports.tasks.build_periodic_reports`.
"""

from __future__ import annotations

import calendar
import datetime
import io
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record_event
from reports import builder, formats
from reports.models import Report
from units.models import AdministrativeUnit, Membership, Role, UnitLevel

logger = logging.getLogger(__name__)


class ReportError(Exception):
    """A report cannot be requested as asked."""


# --- Periods ---------------------------------------------------------------------------------------

PERIODS = ("month", "quarter", "half", "nine_months", "year", "range")


def period_bounds(period: str, year: int, part: int | None = None) -> tuple[datetime.date, datetime.date]:
    """Return (start, end) of a reporting period of `year`.

    month (part 1–12), quarter (part 1–4), half = first 6 months, nine_months = first 9 months,
    year. ("range" has no bounds of its own: the caller gives them.)
    """
    if period == "month":
        if not part or not 1 <= part <= 12:
            raise ReportError(_("Choose a month from 1 to 12."))
        return datetime.date(year, part, 1), datetime.date(year, part, calendar.monthrange(year, part)[1])
    if period == "quarter":
        if not part or not 1 <= part <= 4:
            raise ReportError(_("Choose a quarter from 1 to 4."))
        last_month = part * 3
        return (
            datetime.date(year, last_month - 2, 1),
            datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )
    if period == "half":
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    if period == "nine_months":
        return datetime.date(year, 1, 1), datetime.date(year, 9, 30)
    if period == "year":
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    raise ReportError(_("Unknown period."))


def previous_period(period: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the last whole month or quarter before `today`."""
    if period == "month":
        end = today.replace(day=1) - datetime.timedelta(days=1)
        return end.replace(day=1), end
    if period == "quarter":
        quarter = (today.month - 1) // 3 + 1
        year = today.year
        quarter, year = (quarter - 1, year) if quarter > 1 else (4, year - 1)
        return period_bounds("quarter", year, quarter)
    raise ReportError(_("Automatic reports are monthly or quarterly."))


# --- Request and build -----------------------------------------------------------------------------


def _queue(report: Report) -> None:
    from reports.tasks import build_report

    report_id = report.pk
    transaction.on_commit(lambda: build_report.delay(report_id))


@transaction.atomic
def request_report(
    *,
    unit: AdministrativeUnit,
    start: datetime.date,
    end: datetime.date,
    format: str,
    by,
    as_of_today_units: bool = False,
    ip=None,
) -> Report:
    """Store a report request (queued) and queue its build once the transaction commits."""
    if end < start:
        raise ReportError(_("The end of the period cannot be before its start."))
    report = Report.objects.create(
        unit=unit,
        start=start,
        end=end,
        format=format,
        as_of_today_units=as_of_today_units,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
    )
    record_event(obj=report, action="requested", by=by, ip=ip, to_status=report.status)
    _queue(report)
    return report


@transaction.atomic
def retry_report(*, report: Report, by, ip=None) -> Report:
    """Queue a failed report again (a running or finished one is left alone)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.FAILED:
        return report
    report.status, report.progress, report.error = Report.Status.QUEUED, 0, ""
    report.save(update_fields=["status", "progress", "error"])
    record_event(obj=report, action="retried", by=by, ip=ip, from_status="failed", to_status=report.status)
    _queue(report)
    return report


def _set_progress(report_id: int, percent: int) -> None:
    Report.objects.filter(pk=report_id).update(progress=min(max(percent, 0), 100))


def render_report(data: dict, fmt: str) -> bytes:
    """Return the bytes of `data` written as `fmt`, in the portal's language (Vietnamese)."""
    out = io.BytesIO()
    with translation.override(settings.LANGUAGE_CODE):
        formats.write(data, fmt, out)
    return out.getvalue()


def build_stored_report(*, report_id: int, today: datetime.date | None = None) -> Report:
    """Build the file of a queued report, stamping progress; idempotent.

    A report already done (or being built by another worker) is returned unchanged; a failure
    is stored on the report (status failed, the error) and not raised, so the task does not
    retry a report that cannot be built.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("unit").get(pk=report_id)
        if report.status not in (Report.Status.QUEUED, Report.Status.FAILED):
            return report
        report.status, report.progress, report.started_at, report.error = Report.Status.RUNNING, 1, timezone.now(), ""
        report.save(update_fields=["status", "progress", "started_at", "error"])
    try:
        data = builder.build_report_data(
            unit=report.unit,
            start=report.start,
            end=report.end,
            as_of_today_units=report.as_of_today_units,
            today=today,
            progress=lambda p: _set_progress(report_id, int(p * 0.9)),
        )
        content = render_report(data, report.format)
    except Exception as exc:  # stored for the person who asked; logged for the administrator
        logger.exception("Report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(
            status=Report.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        report.refresh_from_db()
        return report
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("unit").get(pk=report_id)
        if report.file:
            report.file.delete(save=False)
        report.file.save(report.download_name(), ContentFile(content), save=False)
        report.status, report.progress, report.finished_at = Report.Status.DONE, 100, timezone.now()
        report.save(update_fields=["file", "status", "progress", "finished_at"])
        record_event(obj=report, action="built", from_status="running", to_status="done", actor_label="system")
    if report.periodic:
        announce_report(report=report)
    return report


# --- Automatic monthly and quarterly reports -------------------------------------------------------


def build_periodic_reports(*, period: str = "month", today: datetime.date | None = None, fmt: str = "pdf") -> list:
    """Create and queue the report of the previous month or quarter for every district and city unit.

    The units are those of level district or city that existed on the last day of the period.
    Safe to run twice (a second beat, a restarted worker): a unique constraint keeps one report
    per unit, period and format, and a report already built is not queued again. Returns the
    reports queued.
    """
    today = today or timezone.localdate()
    start, end = previous_period(period, today)
    queued = []
    units = AdministrativeUnit.objects.valid_on(end).filter(level__in=[UnitLevel.DISTRICT, UnitLevel.CITY])
    for unit in units.order_by("pk"):
        try:
            with transaction.atomic():
                report, created = Report.objects.get_or_create(
                    unit=unit, start=start, end=end, format=fmt, periodic=period
                )
                if created:
                    record_event(obj=report, action="scheduled", to_status=report.status, actor_label="beat")
                if report.status == Report.Status.QUEUED:
                    _queue(report)
                    queued.append(report)
        except IntegrityError:  # another beat created it between our read and write
            continue
    return queued


def supervisors_of(unit) -> list:
    """Return the users to tell about a unit's report: active supervisors of the unit or of a unit above it."""
    ancestor_ids = [int(x) for x in unit.path.strip("/").split("/") if x] or [unit.pk]
    memberships = Membership.objects.active().filter(unit_id__in=ancestor_ids, role=Role.SUPERVISOR)
    users = {}
    for membership in memberships.select_related("user"):
        if membership.user.email and membership.user.is_active:
            users[membership.user.pk] = membership.user
    return list(users.values())


def announce_report(*, report: Report) -> int:
    """E-mail the unit's supervisors that an automatic report is ready; once (stamped `notified_at`)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
        if report.notified_at or report.status != Report.Status.DONE:
            return 0
        report.notified_at = timezone.now()
        report.save(update_fields=["notified_at"])
    recipients = supervisors_of(report.unit)
    if not recipients:
        return 0
    from django.urls import reverse

    link = settings.SITE_URL.rstrip("/") + reverse("reports:report_detail", args=[report.pk])
    with translation.override(settings.LANGUAGE_CODE):
        context = {"report": report, "link": link, "site_url": settings.SITE_URL}
        subject = render_to_string("reports/email/report_ready_subject.txt", context).strip()
        body = render_to_string("reports/email/report_ready.txt", context)
        html = render_to_string("reports/email/report_ready.html", context)
    return send_mail(subject, body, None, [user.email for user in recipients], html_message=html, fail_silently=False)
