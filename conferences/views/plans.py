"""Yearly dialogue plans: list, create, edit, planned conferences, approve / return / complete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView

from audit.transitions import TransitionNotAllowed
from conferences import services
from conferences.forms import ConfirmForm, PlanForm, PlanItemForm
from conferences.models import HELD_STATUSES, PLAN_TRANSITIONS, Conference, PlanItem, PlanStatus
from conferences.permissions import can_approve_plan, can_edit_plan, can_manage_conferences
from conferences.views.common import (
    access_plan,
    ip,
    manageable_units,
    plans_visible_to,
    post_data,
    report_refusal,
    require,
)


def plan_url(plan) -> str:
    return reverse("conferences:plan_detail", args=[plan.pk])


class PlanListView(LoginRequiredMixin, ListView):
    template_name = "conferences/plan_list.html"
    context_object_name = "plans"
    paginate_by = 25

    def get_queryset(self):
        held = Q(items__conferences__status__in=HELD_STATUSES)
        plans = plans_visible_to(self.request.user)
        for param in ("year", "unit"):
            value = self.request.GET.get(param, "")
            if value.isdigit():
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
            year=self.request.GET.get("year", "") if self.request.GET.get("year", "").isdigit() else "",
            query=query.urlencode(),
        )
        return context


class PlanDetailView(LoginRequiredMixin, DetailView):
    template_name = "conferences/plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return plans_visible_to(self.request.user)

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


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    units = manageable_units(request.user)
    require(units.exists())
    initial = {"year": timezone.localdate().year}
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
            ip=ip(request),
        )
        messages.success(request, _("The plan was created. Now add the conferences it plans."))
        return redirect(plan_url(plan))
    return render(request, "conferences/plan_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = access_plan(request, pk)
    require(can_edit_plan(request.user, plan))
    initial = {"year": plan.year, "title": plan.title, "notes": plan.notes}
    form = PlanForm(post_data(request), plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan=plan, by=request.user, ip=ip(request), **form.cleaned_data)
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan_url(plan))
    return render(request, "conferences/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_add(request, pk):
    plan = access_plan(request, pk)
    require(can_edit_plan(request.user, plan))
    form = PlanItemForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_plan_item(plan=plan, by=request.user, ip=ip(request), **form.cleaned_data)
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The planned conference was added."))
            if "add_another" in request.POST:
                return redirect("conferences:plan_item_add", pk=plan.pk)
            return redirect(plan_url(plan))
    return render(request, "conferences/plan_item_form.html", {"form": form, "plan": plan})


def _access_item(request, pk) -> PlanItem:
    item = get_object_or_404(PlanItem.objects.select_related("plan"), pk=pk, plan__in=plans_visible_to(request.user))
    require(can_edit_plan(request.user, item.plan))
    return item


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_edit(request, pk):
    item = _access_item(request, pk)
    fields = ("quarter", "month", "kind", "format", "topic", "chair")
    form = PlanItemForm(post_data(request), initial={name: getattr(item, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan_item(item=item, by=request.user, ip=ip(request), **form.cleaned_data)
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The planned conference was saved."))
            return redirect(plan_url(item.plan))
    return render(request, "conferences/plan_item_form.html", {"form": form, "plan": item.plan, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_delete(request, pk):
    item = _access_item(request, pk)
    plan = item.plan
    if request.method == "POST":
        try:
            services.delete_plan_item(item=item, by=request.user, ip=ip(request))
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The planned conference was removed from the plan."))
        return redirect(plan_url(plan))
    return render(
        request,
        "conferences/plan_action.html",
        {
            "plan": plan,
            "form": ConfirmForm(),
            "title": _("Remove a planned conference"),
            "question": _("Remove “%(topic)s” from the plan?") % {"topic": item.topic},
            "button": _("Remove"),
            "danger": True,
        },
    )


def _plan_action(request, pk, *, allowed, perform, title, question, button, done, danger=False):
    plan = access_plan(request, pk)
    require(allowed(request.user, plan))
    if request.method == "POST":
        try:
            perform(plan=plan, by=request.user, ip=ip(request))
        except TransitionNotAllowed as error:
            report_refusal(request, error)
        else:
            messages.success(request, done)
        return redirect(plan_url(plan))
    context = {"plan": plan, "form": ConfirmForm(), "title": title, "question": question, "button": button}
    return render(request, "conferences/plan_action.html", {**context, "danger": danger})


def _manages_plan(user, plan) -> bool:
    return can_manage_conferences(user, plan.unit)


@login_required
@require_http_methods(["GET", "POST"])
def plan_submit(request, pk):
    return _plan_action(
        request,
        pk,
        allowed=_manages_plan,
        perform=services.submit_plan,
        title=_("Submit the plan for approval"),
        question=_(
            "Submit this plan to the chair for approval? It can no longer be edited unless it is returned to draft."
        ),
        button=_("Submit for approval"),
        done=_("The plan was submitted for approval."),
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
        done=_("The plan was approved."),
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
        done=_("The plan is a draft again."),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_complete(request, pk):
    return _plan_action(
        request,
        pk,
        allowed=_manages_plan,
        perform=services.complete_plan,
        title=_("Mark the plan completed"),
        question=_("Mark this plan completed? This cannot be undone."),
        button=_("Mark completed"),
        done=_("The plan is completed."),
    )
