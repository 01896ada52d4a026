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
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record_event
from reports import builder, formats
from reports.models import Report
from units.access import require
from units.models import AdministrativeUnit, UnitLevel

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# Sent once when an automatic report is built: sender=Report, report=. Receivers run inside the
# transaction that marks it done, write its announcements (rows only, never the network) and return
# how many they wrote. Notifications' receiver is connected by the project (dialogue_portal.apps):
# reports and notifications are siblings and do not import each other.
report_ready = Signal()


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


def build_timeout() -> datetime.timedelta:
    """Return how long a build may run before its report counts as abandoned (its worker died)."""
    return datetime.timedelta(seconds=int(getattr(settings, "REPORT_BUILD_TIMEOUT", 30 * 60)))


# A queued report not picked up after this long is handed to the task queue again by the sweeper.
REQUEUE_AFTER = datetime.timedelta(minutes=1)


def _send_to_queue(report_id: int) -> bool:
    """Hand the build of `report_id` to Celery. Never raises: with the broker down the report stays
    queued in the database and `sweep_reports` hands it again later. Return True when handed."""
    from reports.tasks import build_report

    try:
        build_report.delay(report_id)
    except Exception:  # noqa: BLE001 - kombu OperationalError, a refused connection, a timeout …
        logger.warning("Report %s could not be queued (broker unavailable?); the sweeper will retry", report_id)
        return False
    return True


def _queue(report: Report) -> None:
    """Queue the build once the current transaction commits; a dead broker never fails the request."""
    report_id = report.pk
    transaction.on_commit(lambda: _send_to_queue(report_id), robust=True)


def is_stale(report: Report, now: datetime.datetime | None = None) -> bool:
    """Return True for a report stuck "being built" longer than the build timeout (its worker died)."""
    if report.status != Report.Status.RUNNING:
        return False
    started = report.started_at or report.queued_at
    return started is None or started <= (now or timezone.now()) - build_timeout()


@transaction.atomic
def request_report(
    *,
    unit: AdministrativeUnit,
    start: datetime.date,
    end: datetime.date,
    format: str,
    by: User,
    as_of_today_units: bool = False,
    ip: str | None = None,
) -> Report:
    """Store a report request (queued) and queue its build once the transaction commits."""
    require(by, "report.build", unit)
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
def retry_report(*, report: Report, by: User, ip: str | None = None) -> Report:
    """Queue a failed report again, or one stuck "being built" past the build timeout (its worker died).

    A report being built within the timeout, or finished, is left alone.
    """
    report = Report.objects.select_related("unit").select_for_update(of=("self",)).get(pk=report.pk)
    require(by, "report.build", report.unit)
    if report.status != Report.Status.FAILED and not is_stale(report):
        return report
    from_status = report.status
    report.status, report.progress, report.error = Report.Status.QUEUED, 0, ""
    report.queued_at = timezone.now()
    report.save(update_fields=["status", "progress", "error", "queued_at"])
    record_event(obj=report, action="retried", by=by, ip=ip, from_status=from_status, to_status=report.status)
    _queue(report)
    return report


def sweep_reports(*, now: datetime.datetime | None = None, build_here: bool = False) -> dict:
    """Hand again to Celery the reports queued for more than a minute (the broker was down, the message
    was lost) and reclaim those stuck "being built" past REPORT_BUILD_TIMEOUT (their worker died).

    Idempotent and safe to run concurrently: a build takes its report under a row lock and does
    nothing for one already taken. `build_here` builds in this process instead of queuing (for
    cron-only sites without a worker). Returns {"requeued": n, "reclaimed": n}.
    """
    now = now or timezone.now()
    stale_before = now - build_timeout()
    reclaimed = []
    with transaction.atomic():
        stuck = Report.objects.select_for_update(skip_locked=True).filter(
            Q(started_at__lte=stale_before) | Q(started_at__isnull=True, queued_at__lte=stale_before),
            status=Report.Status.RUNNING,
        )
        for report in stuck:
            report.status, report.progress, report.queued_at = Report.Status.QUEUED, 0, now
            report.save(update_fields=["status", "progress", "queued_at"])
            record_event(
                obj=report, action="reclaimed", from_status="running", to_status="queued", actor_label="system"
            )
            reclaimed.append(report.pk)
    waiting = list(
        Report.objects.filter(status=Report.Status.QUEUED, queued_at__lte=now - REQUEUE_AFTER)
        .exclude(pk__in=reclaimed)
        .order_by("queued_at", "pk")
        .values_list("pk", flat=True)
    )
    if waiting:
        Report.objects.filter(pk__in=waiting, status=Report.Status.QUEUED).update(queued_at=now)
    for report_id in reclaimed + waiting:
        if build_here:
            build_stored_report(report_id=report_id)
        else:
            _send_to_queue(report_id)
    if reclaimed or waiting:
        logger.info("reports sweeper: %s re-queued, %s reclaimed", len(waiting), len(reclaimed))
    return {"requeued": len(waiting), "reclaimed": len(reclaimed)}


def render_report(data: dict, fmt: str) -> bytes:
    """Return the bytes of `data` written as `fmt`, in the portal's language (Vietnamese)."""
    out = io.BytesIO()
    with translation.override(settings.LANGUAGE_CODE):
        formats.write(data, fmt, out)
    return out.getvalue()


def build_stored_report(*, report_id: int, today: datetime.date | None = None) -> Report:
    """Build the file of a queued report, stamping progress; idempotent.

    A report already done, or being built by another worker within REPORT_BUILD_TIMEOUT, is
    returned unchanged; one stuck "being built" past the timeout (its worker died) is built
    again. A failure is stored on the report (status failed, the error) and not raised, so the
    task does not retry a report that cannot be built. A build that finds its report taken over
    meanwhile (reclaimed as stale) drops its result.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("unit").get(pk=report_id)
        if report.status not in (Report.Status.QUEUED, Report.Status.FAILED) and not is_stale(report):
            return report
        started = timezone.now()
        report.status, report.progress, report.started_at, report.error = Report.Status.RUNNING, 1, started, ""
        report.save(update_fields=["status", "progress", "started_at", "error"])
    mine = Report.objects.filter(pk=report_id, status=Report.Status.RUNNING, started_at=started)
    try:
        data = builder.build_report_data(
            unit=report.unit,
            start=report.start,
            end=report.end,
            as_of_today_units=report.as_of_today_units,
            today=today,
            progress=lambda p: mine.update(progress=min(max(int(p * 0.9), 0), 100)),
        )
        content = render_report(data, report.format)
    except Exception as exc:  # stored for the administrator; logged with the traceback
        logger.exception("Report %s failed", report_id)
        mine.update(
            status=Report.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        report.refresh_from_db()
        return report
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("unit").get(pk=report_id)
        if report.status != Report.Status.RUNNING or report.started_at != started:
            logger.info("Report %s was taken over by another build; this result is dropped", report_id)
            return report
        if report.file:
            report.file.delete(save=False)
        report.file.save(report.download_name(), ContentFile(content), save=False)
        report.status, report.progress, report.finished_at = Report.Status.DONE, 100, timezone.now()
        report.save(update_fields=["file", "status", "progress", "finished_at"])
        record_event(obj=report, action="built", from_status="running", to_status="done", actor_label="system")
        if report.periodic:
            _announce(report)
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
                    report.queued_at = timezone.now()
                    report.save(update_fields=["queued_at"])
                    _queue(report)
                    queued.append(report)
        except IntegrityError:  # another beat created it between our read and write
            continue
    return queued


def _announce(report: Report) -> int:
    """Announce `report` (`report_ready`: its receivers write the "report ready" e-mails to the outbox)
    and stamp `notified_at`; once. Return how many e-mails were written.

    Called inside the transaction that marks the report done (the caller holds its row lock), so
    the announcement is saved with the report or not at all, and sent by the outbox sweeper in
    each supervisor's language, recorded in the sent log.
    """
    if report.notified_at or report.status != Report.Status.DONE:
        return 0
    written = sum(int(count or 0) for _receiver, count in report_ready.send(sender=Report, report=report))
    report.notified_at = timezone.now()
    report.save(update_fields=["notified_at"])
    return written


@transaction.atomic
def announce_report(*, report: Report) -> int:
    """Announce a built automatic report to its unit's supervisors through the outbox; once. Return how many."""
    report = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
    return _announce(report)
