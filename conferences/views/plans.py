"""Yearly dialogue plans: list, create, edit, planned conferences, approve / return / complete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView

from audit.services import client_ip
from audit.transitions import TransitionNotAllowed
from audit.views import confirmed_action, report_refusal
from conferences import services
from conferences.forms import PlanForm, PlanItemForm
from conferences.models import (
    HELD_STATUSES,
    PLAN_TRANSITIONS,
    Conference,
    DialoguePlan,
    PlanStatus,
    get_plan_for_user,
    get_plan_item_for_user,
)
from conferences.permissions import can_approve_plan, can_edit_plan, can_manage_conferences
from conferences.views.common import PLAN_SUMMARY, manageable_units, manages_plan, plan_url, post_data, require


class PlanListView(LoginRequiredMixin, ListView):
    template_name = "conferences/plan_list.html"
    context_object_name = "plans"
    paginate_by = 25

    def get_queryset(self):
        held = Q(items__conferences__status__in=HELD_STATUSES)
        plans = DialoguePlan.objects.visible_to(self.request.user)
        for param in ("year", "unit"):
            value = self.request.GET.get(param, "")
            if value.isdecimal():
                plans = plans.filter(**{param: int(value)})
        return plans.annotate(
            item_count=Count("items", distinct=True),
            scheduled_count=Count("items__conferences", distinct=True),
            held_count=Count("items__conferences", filter=held, distinct=True),
        ).order_by("-year", "unit__name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            can_create=manageable_units(self.request.user).exists(),
            year=self.request.GET.get("year", "") if self.request.GET.get("year", "").isdecimal() else "",
            query=query.urlencode(),
        )
        return context


class PlanDetailView(LoginRequiredMixin, DetailView):
    template_name = "conferences/plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return DialoguePlan.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan, user = self.object, self.request.user
        items = list(
            plan.items.prefetch_related(
                Prefetch(
                    "conferences",
                    queryset=Conference.objects.order_by("planned_start").prefetch_related("postponements"),
                )
            )
        )
        for item in items:
            item.held = [c for c in item.conferences.all() if c.status in HELD_STATUSES]
        unplanned = Conference.objects.filter(
            unit=plan.unit, plan_item__isnull=True, planned_start__year=plan.year
        ).order_by("planned_start")
        may_manage = can_manage_conferences(user, plan.unit)
        may_approve = can_approve_plan(user, plan)
        allowed = PLAN_TRANSITIONS[plan.status]
        context.update(
            items=items,
            unplanned=unplanned,
            planned_total=len(items),
            fulfilled_total=sum(1 for i in items if i.held),
            held_total=sum(len(i.held) for i in items),
            can_edit=can_edit_plan(user, plan),
            can_manage=may_manage,
            can_submit=may_manage and PlanStatus.SUBMITTED in allowed,
            can_approve=may_approve and PlanStatus.APPROVED in allowed,
            can_return=may_approve and PlanStatus.DRAFT in allowed,
            can_complete=may_manage and PlanStatus.COMPLETED in allowed,
        )
        return context


def default_plan_year(today):
    """The year a new plan is most likely for: next year from October on, when units draft the coming
    year's plan (it must be approved before the year starts), this year before that."""
    return today.year + 1 if today.month >= 10 else today.year


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    units = manageable_units(request.user)
    require(units.exists())
    initial = {"year": default_plan_year(timezone.localdate())}
    if units.count() == 1:
        initial["unit"] = units.first()
    form = PlanForm(post_data(request), units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = services.create_plan(
            unit=data["unit"],
            year=data["year"],
            title=data["title"],
            notes=data["notes"],
            by=request.user,
            ip=client_ip(request),
        )
        messages.success(request, _("The plan was created. Now add the conferences it plans."))
        return redirect(plan_url(plan))
    return render(request, "conferences/plan_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = get_plan_for_user(request.user, pk, action=can_edit_plan)
    initial = {"year": plan.year, "title": plan.title, "notes": plan.notes}
    form = PlanForm(post_data(request), plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan=plan, by=request.user, ip=client_ip(request), **form.cleaned_data)
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan_url(plan))
    return render(request, "conferences/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_add(request, pk):
    plan = get_plan_for_user(request.user, pk, action=can_edit_plan)
    form = PlanItemForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_plan_item(plan=plan, by=request.user, ip=client_ip(request), **form.cleaned_data)
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The planned conference was added."))
            if "add_another" in request.POST:
                return redirect("conferences:plan_item_add", pk=plan.pk)
            return redirect(plan_url(plan))
    return render(request, "conferences/plan_item_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_edit(request, pk):
    item = get_plan_item_for_user(request.user, pk, action=can_edit_plan)
    fields = ("quarter", "month", "kind", "format", "topic", "chair")
    form = PlanItemForm(post_data(request), initial={name: getattr(item, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan_item(item=item, by=request.user, ip=client_ip(request), **form.cleaned_data)
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The planned conference was saved."))
            return redirect(plan_url(item.plan))
    return render(request, "conferences/plan_item_form.html", {"form": form, "plan": item.plan, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_delete(request, pk):
    item = get_plan_item_for_user(request.user, pk, action=can_edit_plan)
    plan = item.plan
    return _confirm(
        request,
        plan,
        perform=lambda data, **actor: services.delete_plan_item(item=item, **actor),
        title=_("Remove a planned conference"),
        question=_("Remove “%(topic)s” from the plan?") % {"topic": item.topic},
        button=_("Remove"),
        success=_("The planned conference was removed from the plan."),
        danger=True,
    )


def _confirm(request, plan, **options):
    """The plan's confirmation page: its breadcrumb on top, back to the plan."""
    return confirmed_action(
        request, plan, back_url=plan_url(plan), summary_template=PLAN_SUMMARY, context={"plan": plan}, **options
    )


def _plan_action(request, pk, *, allowed, perform, **options):
    plan = get_plan_for_user(request.user, pk, action=allowed)
    return _confirm(request, plan, perform=lambda data, **actor: perform(plan=plan, **actor), **options)


@login_required
@require_http_methods(["GET", "POST"])
def plan_submit(request, pk):
    return _plan_action(
        request,
        pk,
        allowed=manages_plan,
        perform=services.submit_plan,
        title=_("Submit the plan for approval"),
        question=_(
            "Submit this plan to the chair for approval? It can no longer be edited unless it is returned to draft."
        ),
        button=_("Submit for approval"),
        success=_("The plan was submitted for approval."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_approve(request, pk):
    return _plan_action(
        request,
        pk,
        allowed=can_approve_plan,
        perform=services.approve_plan,
        title=_("Approve the plan"),
        question=_("Approve this plan? Its planned conferences can then be scheduled."),
        button=_("Approve"),
        success=_("The plan was approved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_return(request, pk):
    return _plan_action(
        request,
        pk,
        allowed=can_approve_plan,
        perform=services.return_plan_to_draft,
        title=_("Return the plan to draft"),
        question=_("Return this submitted plan to its unit as a draft so that it can be changed?"),
        button=_("Return to draft"),
        success=_("The plan is a draft again."),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_complete(request, pk):
    return _plan_action(
        request,
        pk,
        allowed=manages_plan,
        perform=services.complete_plan,
        title=_("Mark the plan completed"),
        question=_("Mark this plan completed? This cannot be undone."),
        button=_("Mark completed"),
        success=_("The plan is completed."),
    )
