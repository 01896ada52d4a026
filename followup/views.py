"""Officials' pages for follow-up notices, Front supervision and commendations.

Every view starts from a queryset scoped to the signed-in person (`visible_to(user)` or
`unit_ids_in_scope`), so another unit's record is a 404; write actions are checked with the
predicates of `followup.permissions` (403) and carried out by one call into `followup.services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.views import FilterView

from audit.models import AuditEvent
from audit.services import client_ip
from audit.transitions import TransitionNotAllowed
from audit.views import confirmed_action, report_refusal
from conferences.models import ConclusionItem, ConclusionStatus, get_conclusion_item_for_user, get_conference_for_user
from followup import services
from followup.filters import (
    CommendationFilter,
    ConferenceWithoutNoticeFilter,
    NoticeFilter,
    SupervisionFilter,
    units_in_scope,
)
from followup.forms import (
    CommendationForm,
    NoticeForm,
    PostingForm,
    PublishNoticeForm,
    ReturnNoticeForm,
    SupervisionForm,
)
from followup.models import (
    Commendation,
    FollowUpNotice,
    NoticeStatus,
    Supervision,
    get_notice_for_user,
    get_supervision_for_user,
)
from followup.permissions import (
    can_approve_notice,
    can_draft_correction,
    can_draft_notice,
    can_edit_notice,
    can_record_commendation,
    can_record_posting,
    can_supervise,
    is_front_supervisor,
    is_supervising_official,
)
from petitions.models import ANSWERED_STATUSES, Petition, get_petition_for_user
from units.models import Membership, Role
from units.permissions import unit_ids_in_scope

PAGE_SIZE = 25

# How a notice's audit events read on its page.
NOTICE_EVENT_LABELS = {
    "drafted": gettext_lazy("Draft built from the conference"),
    "edited": gettext_lazy("Edited"),
    "status:approved": gettext_lazy("Approved"),
    "status:draft": gettext_lazy("Returned to draft"),
    "status:published": gettext_lazy("Published"),
    "posted": gettext_lazy("Where posted recorded"),
    "correction_drafted": gettext_lazy("Drafted as a correction of a published notice"),
    "correction_started": gettext_lazy("A corrected version was drafted"),
    "replaced": gettext_lazy("Replaced by a corrected version"),
}


# --- Helpers ---------------------------------------------------------------------------------


def _url_or_none(name: str, pk) -> str | None:
    """Return the URL of another app's detail page, or None while that page does not exist yet."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _posted(request):
    """Return the POST data to bind a form to, or None on GET (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None


def _int_or_404(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404


def _scoped_conclusion_items(user):
    scope = unit_ids_in_scope(user)
    items = ConclusionItem.objects.in_force().select_related("conference", "conference__unit", "assignee")
    return items if scope is None else items.filter(conference__unit_id__in=scope)


def _front_organisation(user):
    """Return the Front organisation the supervisor records for, if their membership names one."""
    membership = (
        Membership.objects.active()
        .filter(user=user, role=Role.FRONT_SUPERVISOR, organisation__isnull=False)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


class ScopedFilterView(LoginRequiredMixin, FilterView):
    """A paginated, filtered list whose filter's unit choices follow the person's scope."""

    paginate_by = PAGE_SIZE

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs


# --- Follow-up notices -----------------------------------------------------------------------


class NoticeListView(ScopedFilterView):
    filterset_class = NoticeFilter
    template_name = "followup/notice_list.html"

    def get_queryset(self):
        return FollowUpNotice.objects.visible_to(self.request.user).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for notice in context["object_list"]:
            notice.deadline = services.notice_deadline(notice, today)
        return context


notice_list = NoticeListView.as_view()


class NoticeDetailView(LoginRequiredMixin, DetailView):
    template_name = "followup/notice_detail.html"
    context_object_name = "notice"

    def get_queryset(self):
        return FollowUpNotice.objects.visible_to(self.request.user).select_related("approved_by", "document")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notice, user = self.object, self.request.user
        notice.deadline = services.notice_deadline(notice, timezone.localdate())
        petitions = list(notice.petitions.select_related("category").order_by("submitted_at", "pk"))
        for petition in petitions:
            petition.detail_url = _url_or_none("petitions:petition_detail", petition.pk)
        events = list(AuditEvent.objects.for_object(notice).select_related("actor"))
        for event in events:
            event.label = NOTICE_EVENT_LABELS.get(event.action, event.action)
        context.update(
            conclusion_items=notice.conclusion_items.select_related("assignee").order_by("number"),
            petitions=petitions,
            events=events,
            conference_url=_url_or_none("conferences:conference_detail", notice.conference_id)
            if notice.conference_id
            else None,
            can_edit=can_edit_notice(user, notice),
            can_approve=can_approve_notice(user, notice),
            can_record_posting=can_record_posting(user, notice),
            can_correct=notice.status == NoticeStatus.PUBLISHED
            and can_draft_correction(user, notice)
            and not notice.replaced_by.exists(),
            replaced_by=notice.published_replacement(),
        )
        return context


notice_detail = NoticeDetailView.as_view()


@login_required
@require_POST
def notice_create_from_conference(request, pk):
    """Draft a notice from a held conference (its conclusions and the petitions raised there)."""
    conference = get_conference_for_user(request.user, pk, action=can_draft_notice)
    pending = conference.notices.exclude(status=NoticeStatus.PUBLISHED).order_by("-created_at").first()
    if pending is not None:
        messages.info(request, _("This conference already has a notice in preparation."))
        return redirect("followup:notice_detail", pk=pending.pk)
    try:
        notice = services.draft_notice_from_conference(conference=conference, by=request.user, ip=client_ip(request))
    except TransitionNotAllowed as error:
        report_refusal(request, error)
        return redirect("followup:conferences_without_notice")
    messages.success(request, _("A draft notice was built from the conference. Check it and give it its number."))
    return redirect("followup:notice_edit", pk=notice.pk)


@login_required
def notice_edit(request, pk):
    notice = get_notice_for_user(request.user, pk)
    if notice.status != NoticeStatus.DRAFT:
        messages.warning(request, _("Only a draft notice can be changed; return it to draft first."))
        return redirect("followup:notice_detail", pk=notice.pk)
    if not can_edit_notice(request.user, notice):
        raise PermissionDenied
    form = NoticeForm(_posted(request), notice=notice)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_notice(notice=notice, by=request.user, ip=client_ip(request), **form.cleaned_data)
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The notice was saved."))
            return redirect("followup:notice_detail", pk=notice.pk)
    return render(request, "followup/notice_form.html", {"notice": notice, "form": form})


def _notice_action(request, pk, *, allowed, perform, **options):
    """Confirm (GET) and carry out (POST) a one-shot action on a notice in scope:
    `perform(notice, data, by=, ip=)` calls one service."""
    notice = get_notice_for_user(request.user, pk, action=allowed)
    return confirmed_action(
        request,
        notice,
        perform=lambda data, **actor: perform(notice, data, **actor),
        back_url=reverse("followup:notice_detail", args=[notice.pk]),
        summary_template="followup/includes/notice_summary.html",
        context={"notice": notice},
        **options,
    )


@login_required
def notice_approve(request, pk):
    return _notice_action(
        request,
        pk,
        allowed=can_approve_notice,
        perform=lambda notice, data, **actor: services.approve_notice(notice=notice, **actor),
        title=_("Approve the notice"),
        question=_("Once approved, the notice can be published. It can still be returned to draft."),
        button=_("Approve"),
        success=_("The notice was approved."),
    )


@login_required
def notice_return(request, pk):
    return _notice_action(
        request,
        pk,
        allowed=can_approve_notice,
        form_class=ReturnNoticeForm,
        perform=lambda notice, data, **actor: services.return_notice_to_draft(
            notice=notice, note=data["note"], **actor
        ),
        title=_("Return the notice to draft"),
        question=_("The approval is withdrawn and the unit's officials can change the notice again."),
        button=_("Return to draft"),
        success=_("The notice was returned to draft."),
    )


@login_required
def notice_publish(request, pk):
    return _notice_action(
        request,
        pk,
        allowed=can_approve_notice,
        form_class=PublishNoticeForm,
        perform=lambda notice, data, **actor: services.publish_notice(
            notice=notice, posted_at=data["posted_at"], **actor
        ),
        title=_("Publish the notice"),
        question=_(
            "The notice appears on the public portal, on the timeline of each petition it answers, and its "
            "conference is marked concluded. This cannot be undone."
        ),
        button=_("Publish"),
        success=_("The notice was published."),
    )


@login_required
def notice_correct(request, pk):
    """Start a corrected version of a published notice (a new draft that says which one it replaces)."""
    notice = get_notice_for_user(request.user, pk, action=can_draft_correction)
    return confirmed_action(
        request,
        notice,
        perform=lambda data, **actor: services.draft_correction(notice=notice, **actor),
        title=_("Correct the published notice"),
        question=_(
            "A published notice is never changed. A new version is drafted from it; once approved and "
            "published, it replaces notice %(number)s, and the public page shows both."
        )
        % {"number": notice.number or "—"},
        button=_("Draft the corrected version"),
        success=_("A corrected version was drafted. Change it, give it its number, then have it approved."),
        back_url=reverse("followup:notice_detail", args=[notice.pk]),
        success_url=lambda correction: reverse("followup:notice_edit", args=[correction.pk]),
        summary_template="followup/includes/notice_summary.html",
        context={"notice": notice},
    )


@login_required
def notice_posting(request, pk):
    return _notice_action(
        request,
        pk,
        allowed=can_record_posting,
        form_class=PostingForm,
        perform=lambda notice, data, **actor: services.record_posting(
            notice=notice, posted_at=data["posted_at"], **actor
        ),
        title=_("Record where the notice was posted"),
        question=_("This replaces what was recorded before."),
        button=_("Save"),
        success=_("Where the notice was posted was recorded."),
    )


class ConferencesWithoutNoticeView(ScopedFilterView):
    """Held conferences in scope without a published notice, oldest first, with their deadlines."""

    filterset_class = ConferenceWithoutNoticeFilter
    template_name = "followup/conference_without_notice_list.html"

    def get_queryset(self):
        pending = FollowUpNotice.objects.filter(conference=OuterRef("pk")).exclude(status=NoticeStatus.PUBLISHED)
        return services.conferences_without_notice(self.request.user).annotate(
            pending_notice_id=Subquery(pending.order_by("-created_at").values("pk")[:1])
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        deadlines = services.NoticeDeadlines()
        for conference in context["object_list"]:
            conference.days_since_held = (today - conference.held_on).days
            conference.deadline = services.deadline_state(deadlines.due_date(conference), None, today)
            conference.detail_url = _url_or_none("conferences:conference_detail", conference.pk)
            conference.can_draft = can_draft_notice(self.request.user, conference)
        return context


conferences_without_notice = ConferencesWithoutNoticeView.as_view()


# --- Front supervision -----------------------------------------------------------------------

WORK_VIEWS = {
    "open_items": gettext_lazy("Open conclusion items"),
    "items_overdue": gettext_lazy("Conclusion items past their deadline"),
    "petitions_answered": gettext_lazy("Petitions answered"),
    "petitions_overdue": gettext_lazy("Petitions overdue"),
}


def _last_finding(**link):
    return Subquery(Supervision.objects.filter(**link).order_by("-created_at", "-pk").values("finding")[:1])


def _supervision_work(user, show: str, unit):
    """Return the conclusion items or petitions a Front supervisor looks at, with their latest finding."""
    today = timezone.localdate()
    if show in ("open_items", "items_overdue"):
        rows = _scoped_conclusion_items(user).filter(status=ConclusionStatus.OPEN)
        if show == "items_overdue":
            rows = rows.filter(deadline__lt=today)
        if unit is not None:
            rows = rows.filter(conference__unit=unit)
        rows = rows.annotate(
            last_finding=_last_finding(conclusion_item=OuterRef("pk")), findings=Count("supervisions")
        ).order_by("deadline", "pk")
    else:
        rows = Petition.objects.visible_to(user)
        if show == "petitions_answered":
            rows = rows.filter(status__in=ANSWERED_STATUSES).order_by("-submitted_at", "-id")
        else:
            rows = rows.overdue(today).order_by("due_on", "id")
        if unit is not None:
            rows = rows.filter(unit=unit)
        rows = rows.annotate(last_finding=_last_finding(petition=OuterRef("pk")))
    return rows


@login_required
def supervision_list(request):
    """Findings recorded in scope (read-only for the units' officials), and for a Front supervisor the
    conclusion items and petitions to supervise."""
    user = request.user
    findings = SupervisionFilter(
        request.GET or None,
        queryset=Supervision.objects.visible_to(user).select_related("unit", "conclusion_item__conference"),
        request=request,
    )
    findings_page = Paginator(findings.qs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for supervision in findings_page:
        supervision.recheck_due = (
            supervision.recheck_on is not None and supervision.recheck_on <= today and not supervision.rechecked_at
        )
        supervision.can_recheck = supervision.recheck_on is not None and can_supervise(user, supervision.unit)
        if supervision.petition_id:
            supervision.petition.detail_url = _url_or_none("petitions:petition_detail", supervision.petition_id)
    context = {"filter": findings, "findings_page": findings_page, "work_views": WORK_VIEWS}
    if is_front_supervisor(user):
        show = request.GET.get("show") if request.GET.get("show") in WORK_VIEWS else "open_items"
        unit = findings.form.cleaned_data.get("unit") if findings.is_bound and findings.form.is_valid() else None
        work_page = Paginator(_supervision_work(user, show, unit), PAGE_SIZE).get_page(request.GET.get("wpage"))
        for row in work_page:
            if show in ("petitions_answered", "petitions_overdue"):
                row.detail_url = _url_or_none("petitions:petition_detail", row.pk)
        context.update(
            show=show,
            work_page=work_page,
            work_is_items=show in ("open_items", "items_overdue"),
            filter_keep={"show": show},
        )
    return render(request, "followup/supervision_list.html", context)


@login_required
def supervision_create(request):
    """Record a finding on `?conclusion_item=ID` or `?petition=ID` (Front supervisors of its unit)."""
    user = request.user
    conclusion_item = petition = None
    if request.GET.get("conclusion_item"):
        conclusion_item = get_conclusion_item_for_user(user, _int_or_404(request.GET["conclusion_item"]))
        unit = conclusion_item.conference.unit
        initial_subject = _("Conclusion %(number)s of “%(conference)s”: %(text)s") % {
            "number": conclusion_item.number,
            "conference": conclusion_item.conference.title,
            "text": conclusion_item.text,
        }
    elif request.GET.get("petition"):
        petition = get_petition_for_user(user, _int_or_404(request.GET["petition"]))
        unit = petition.unit
        initial_subject = _("Petition %(code)s: %(title)s") % {"code": petition.display_code, "title": petition.title}
    else:
        messages.info(request, _("Choose the conclusion item or petition to supervise."))
        return redirect("followup:supervision_list")
    if not can_supervise(user, unit):
        raise PermissionDenied
    form = SupervisionForm(_posted(request), initial={"subject": initial_subject[:300]})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_supervision(
                unit=unit,
                by=user,
                conclusion_item=conclusion_item,
                petition=petition,
                organisation=_front_organisation(user),
                ip=client_ip(request),
                **form.cleaned_data,
            )
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The finding was recorded."))
            return redirect("followup:supervision_list")
    context = {"form": form, "unit": unit, "conclusion_item": conclusion_item, "petition": petition}
    return render(request, "followup/supervision_form.html", context)


@login_required
def supervision_recheck(request, pk):
    """Confirm (GET) and record (POST) that a finding was re-checked."""
    supervision = get_supervision_for_user(request.user, pk, action=can_supervise)
    return confirmed_action(
        request,
        supervision,
        perform=lambda data, **actor: services.mark_rechecked(supervision=supervision, **actor),
        title=_("Mark the finding re-checked"),
        question=_(
            "Confirm that the re-check was carried out. If the situation changed, record a new finding afterwards."
        ),
        button=_("Mark re-checked"),
        success=_("The re-check was recorded. Record a new finding if the situation changed."),
        back_url=reverse("followup:supervision_list"),
        summary_template="followup/includes/supervision_summary.html",
        context={"supervision": supervision},
    )


# --- Commendations ---------------------------------------------------------------------------


class CommendationListView(ScopedFilterView):
    filterset_class = CommendationFilter
    template_name = "followup/commendation_list.html"

    def get_queryset(self):
        scope = unit_ids_in_scope(self.request.user)
        commendations = Commendation.objects.select_related("unit", "decision").order_by("-year", "recipient", "pk")
        return commendations if scope is None else commendations.filter(unit_id__in=scope)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_record"] = is_supervising_official(self.request.user)
        return context


commendation_list = CommendationListView.as_view()


@login_required
def commendation_create(request):
    """Record a commendation decision (supervising officials, for units below them)."""
    units = units_in_scope(request)
    allowed = [unit.pk for unit in units if can_record_commendation(request.user, unit)]
    if not allowed:
        raise PermissionDenied
    form = CommendationForm(_posted(request), units=units.filter(pk__in=allowed))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_commendation(by=request.user, ip=client_ip(request), **form.cleaned_data)
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The commendation was recorded."))
            return redirect("followup:commendation_list")
    return render(request, "followup/commendation_form.html", {"form": form})
