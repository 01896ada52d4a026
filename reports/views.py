"""The officials' dashboard, the compliance board, the commendation shortlist and the stored reports.

Views are thin: they work out the person's scope, call `reports.stats` / `reports.compliance`
/ `reports.services`, and render. Every figure shown comes from `reports.stats`.
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from petitions.models import OPEN_STATUSES, Petition
from reports import compliance, stats
from reports.compliance import url_or_none
from reports.forms import ReportRequestForm
from reports.models import Report
from reports.services import request_report
from units.models import AdministrativeUnit, Role
from units.permissions import can_see_unit, handling_org_ids, roles_of, unit_ids_in_scope


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def dashboard_figures(user, *, today: datetime.date | None = None, now=None) -> dict:
    """Return every figure of the person's dashboard (a fixed number of queries, whatever the data size).

    Period figures are for the calendar year of `today`, on the person's scope, counted on units
    as they were — the same definitions as the report of that scope and year.
    """
    today = today or timezone.localdate()
    start, end = year_bounds(today.year)
    scope = stats.Scope.for_unit_ids(unit_ids_in_scope(user), start, end)
    figures = {
        "conferences": stats.conferences_held(scope),
        "opinions": stats.opinions(scope),
        "answered_on_time": stats.answered_on_time(scope),
        "extensions": stats.deadline_extensions(scope),
        "satisfaction": stats.satisfaction(scope),
        "invitations": stats.invitations_on_time(scope),
        "notices": stats.notices_on_time(scope, today=today),
        "periodic_requirement": stats.periodic_requirement_total(scope),
    }
    # Below the minimum sample the share lights are shown without colour, as on the compliance board.
    judged = compliance.cases_of(figures) >= settings.PORTAL_MIN_SAMPLE_SIZE
    petitions = _visible_petitions(user, scope)
    roles = roles_of(user)
    is_superuser = getattr(user, "is_superuser", False)
    chair = stats.awaiting_approval(scope) if Role.CHAIR in roles else None
    handling = None
    if Role.HANDLING_OFFICER in roles and not is_superuser:
        org_ids = handling_org_ids(user)
        handling = stats.handling_unit_workload(petitions, org_ids=org_ids, today=today)
    return {
        "today": today,
        "year": today.year,
        "scope": scope,
        "workload": stats.petition_workload(petitions, user=user, today=today),
        "chair": chair,
        "handling": handling,
        "agenda": stats.conference_agenda(scope, now=now),
        "plans": stats.plan_progress(scope, year=today.year),
        "figures": figures,
        "lights": compliance.cells_for(figures, start=start, end=end, judged=judged),
        "judged": judged,
        "min_sample": settings.PORTAL_MIN_SAMPLE_SIZE,
    }


def _visible_petitions(user, scope: stats.Scope):
    """Return the petitions `user` may see; every petition when their scope covers every unit.

    The same rows as `Petition.objects.visible_to(user)` (a petition always has a unit, so a
    city-wide scope sees all of them), without a filter listing every unit: the workload count
    then reads its open-petitions index straight through.
    """
    if scope.unit_ids is None:
        return Petition.objects.all()
    return Petition.objects.visible_to(user)


@login_required
def dashboard(request):
    """The person's landing page: the work in hand and this year's compliance lights, each linked to its list."""
    context = dashboard_figures(request.user)
    year = context["year"]
    today = context["today"]
    window_end = today + datetime.timedelta(days=stats.UPCOMING_DAYS)
    open_statuses = [str(s) for s in OPEN_STATUSES]
    context["links"] = {
        "open": url_or_none("petitions:inbox", status=open_statuses),
        "new": url_or_none("petitions:inbox", status="submitted"),
        "due_soon": url_or_none("petitions:inbox", due_soon=1),
        "overdue": url_or_none("petitions:inbox", overdue=1),
        "mine": url_or_none("petitions:inbox", mine=1, status=list(OPEN_STATUSES)),
        "upcoming": url_or_none(
            "conferences:conference_list",
            upcoming=1,
            date_from=today.strftime("%d/%m/%Y"),
            date_to=window_end.strftime("%d/%m/%Y"),
        ),
        "without_notice": url_or_none("followup:conferences_without_notice"),
        "plans": url_or_none("conferences:plan_list", year=year),
        # A chair: what awaits their approval (not period-bound).
        "plans_awaiting": url_or_none("reports:records", list="plans_awaiting_approval"),
        "minutes_awaiting": url_or_none("reports:records", list="minutes_awaiting_approval"),
        "notices_draft": url_or_none("followup:notice_list", status="draft"),
        "notices_approved": url_or_none("followup:notice_list", status="approved"),
        # A handling officer: the open petitions of their handling unit.
        "unit_new": url_or_none("petitions:inbox", my_unit=1, unassigned=1, status=open_statuses),
        "unit_due_soon": url_or_none("petitions:inbox", my_unit=1, due_soon=1),
        "unit_overdue": url_or_none("petitions:inbox", my_unit=1, overdue=1),
        "compliance": url_or_none("reports:compliance", year=year),
        "held": url_or_none("conferences:conference_list", held=1, date_from=f"01/01/{year}", date_to=f"31/12/{year}"),
    }
    return render(request, "reports/dashboard.html", context)


# --- Compliance board and commendation shortlist ----------------------------------------------------


class BoardMixin(LoginRequiredMixin):
    """Parse ?year= and ?mode= and ?unit=, and build the scope of the signed-in person (404 outside it)."""

    def board_params(self):
        request = self.request
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year") or today.year)
        except ValueError:
            year = today.year
        year = min(max(year, 2000), today.year + 1)
        mode = request.GET.get("mode") if request.GET.get("mode") in stats.MODES else stats.AS_WAS
        start, end = year_bounds(year)
        scope_ids = unit_ids_in_scope(request.user)
        if scope_ids is not None and not scope_ids:
            raise PermissionDenied
        root = None
        if request.GET.get("unit"):
            try:
                root = AdministrativeUnit.objects.get(pk=int(request.GET["unit"]))
            except (ValueError, AdministrativeUnit.DoesNotExist):
                raise Http404
            if not can_see_unit(request.user, root):
                raise Http404
            scope = stats.Scope.for_unit(root, start, end, mode, today=today)
        else:
            scope = stats.Scope.for_unit_ids(scope_ids, start, end, mode, today=today)
        return {"year": year, "mode": mode, "scope": scope, "root": root, "today": today, "start": start, "end": end}


class ComplianceBoardView(BoardMixin, TemplateView):
    """For each commune and district in scope and a year: the compliance lights with their numbers."""

    template_name = "reports/compliance_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.board_params()
        rows = compliance.board(params["scope"], today=params["today"])
        context.update(params)
        context.update(
            rows=rows,
            ranked_on=[compliance.FIGURE_LABELS[key] for key in compliance.ranking_indicators(rows)],
            labels={key: label for key, label in compliance.FIGURE_LABELS.items() if key != "periodic_units"},
            thresholds=compliance.SHARE_THRESHOLDS,
            min_sample=settings.PORTAL_MIN_SAMPLE_SIZE,
            modes=[(stats.AS_WAS, _("Units as they were")), (stats.TODAY, _("Mapped to today's units"))],
        )
        return context


class CommendationShortlistView(BoardMixin, TemplateView):
    """Units that held every required conference and answered on time, with their figures."""

    template_name = "reports/commendation_shortlist.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.board_params()
        rows = compliance.board(params["scope"], today=params["today"])
        context.update(params)
        context.update(
            rows=compliance.shortlist(rows),
            on_time_share=compliance.COMMENDATION_ON_TIME_SHARE,
            satisfaction_share=compliance.COMMENDATION_SATISFACTION_SHARE,
            min_sample=settings.PORTAL_MIN_SAMPLE_SIZE,
        )
        return context


# --- The records behind a figure ---------------------------------------------------------------------

# list name: (title, kind of record, queryset of the scope — the statistic's own definition in reports.stats)
RECORD_LISTS = {
    "invitations_on_time": (
        gettext_lazy("Conferences held whose invitation was sent on time"),
        "conference",
        lambda scope, today: stats.invitation_on_time_conferences(scope),
    ),
    "notices_due": (
        gettext_lazy("Conferences held whose follow-up notice is due"),
        "conference",
        lambda scope, today: stats.notice_due_conferences(scope, today=today),
    ),
    "notices_on_time": (
        gettext_lazy("Conferences held whose follow-up notice was published on time"),
        "conference",
        lambda scope, today: stats.notice_on_time_conferences(scope, today=today),
    ),
    "plans_awaiting_approval": (
        gettext_lazy("Plans awaiting approval"),
        "plan",
        lambda scope, today: stats.plans_awaiting_approval(scope),
    ),
    "minutes_awaiting_approval": (
        gettext_lazy("Held conferences whose minutes are a draft"),
        "conference",
        lambda scope, today: stats.minutes_awaiting_approval(scope),
    ),
}


class RecordListView(BoardMixin, ListView):
    """The records a figure counts (`?list=…&year=…&unit=…`), from the statistic's own queryset.

    For figures no other list can express exactly (a rule in force per record, a workflow step
    other lists do not filter on). Scoped like the compliance board (404 outside the scope).
    """

    template_name = "reports/record_list.html"
    context_object_name = "records"
    paginate_by = 50

    def get_queryset(self):
        name = self.request.GET.get("list", "")
        if name not in RECORD_LISTS:
            raise Http404
        self.params = self.board_params()
        if self.params["root"] is not None:
            # As on the board: a unit's row counts that unit's own records, not those of the units below it.
            p = self.params
            p["scope"] = stats.Scope.for_unit_ids([p["root"].pk], p["start"], p["end"], p["mode"], today=p["today"])
        self.title, self.record_kind, build = RECORD_LISTS[name]
        qs = build(self.params["scope"], self.params["today"])
        return qs.select_related("unit").order_by("-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(self.params)
        context.update(title=self.title, record_kind=self.record_kind, query=query.urlencode())
        return context


# --- Stored reports -------------------------------------------------------------------------------


class ReportListView(LoginRequiredMixin, ListView):
    """The reports in the person's scope, and a form to request one."""

    template_name = "reports/report_list.html"
    context_object_name = "reports"
    paginate_by = 25

    def get_queryset(self):
        return Report.objects.visible_to(self.request.user).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ReportRequestForm(user=self.request.user))
        return context

    def post(self, request, *args, **kwargs):
        form = ReportRequestForm(request.POST, user=request.user)
        if not form.is_valid():
            self.object_list = self.get_queryset()
            return self.render_to_response(self.get_context_data(form=form))
        report = request_report(by=request.user, **form.cleaned_data)
        return redirect("reports:report_detail", pk=report.pk)


class ReportDetailView(LoginRequiredMixin, DetailView):
    """A report's progress (polled every second with htmx; a refresh link without JavaScript) and its download."""

    context_object_name = "report"

    def get_queryset(self):
        return Report.objects.visible_to(self.request.user)

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["reports/includes/report_progress.html"]
        return ["reports/report_detail.html"]


@login_required
def report_download(request, pk: int):
    """Send a finished report's file to a person in its scope (404 for anyone else)."""
    report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
    if report.status != Report.Status.DONE or not report.file:
        raise Http404
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.download_name())


@require_POST
@login_required
def report_retry(request, pk: int):
    """Queue a failed report again."""
    from reports.services import retry_report

    report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
    retry_report(report=report, by=request.user)
    return redirect("reports:report_detail", pk=report.pk)
