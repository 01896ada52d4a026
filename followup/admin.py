from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.admin_actions import ServiceAddAdminMixin, run_service_on_each
from audit.services import client_ip, record_event
from conferences.admin import HistoryAdmin
from followup import services
from followup.models import Commendation, FollowUpNotice, Supervision
from followup.permissions import can_approve_notice
from units.admin_mixins import DomainAdmin, unit_filter


class NoticeActionForm(ActionForm):
    posted_at = forms.CharField(
        label=_("Where posted"), required=False, help_text=_("For “publish”, e.g. the ward's notice board.")
    )


@admin.register(FollowUpNotice)
class FollowUpNoticeAdmin(DomainAdmin, HistoryAdmin):
    list_display = ["__str__", "unit", "conference", "status", "issued_on", "due_on", "published_at"]
    list_filter = ["status", unit_filter(), ("published_at", admin.DateFieldListFilter)]
    list_select_related = ["unit", "conference"]
    search_fields = ["number", "title"]
    date_hierarchy = "issued_on"
    show_full_result_count = False
    autocomplete_fields = ["unit", "conference", "document", "conclusion_items"]
    raw_id_fields = ["petitions"]
    scoped_foreign_keys = {"conference": "unit_id"}
    readonly_fields = ["status", "published_at", "approved_by", "created_at"]
    fields = [
        "unit",
        "conference",
        "number",
        "issued_on",
        "title",
        "text",
        "due_on",
        "document",
        "conclusion_items",
        "petitions",
        "posted_at",
        "status",
        "approved_by",
        "published_at",
        "created_at",
    ]
    action_form = NoticeActionForm
    actions = [*DomainAdmin.actions, "approve", "publish", "return_to_draft"]
    export_fields = [
        "unit",
        "unit__code",
        "conference",
        "number",
        "issued_on",
        "title",
        "status",
        "due_on",
        "published_at",
        "posted_at",
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            record_event(obj=obj, action="created", by=request.user, ip=client_ip(request), to_status=obj.status)

    @admin.action(description=_("Approve the selected notices"), permissions=["change"])
    def approve(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda n: services.approve_notice(notice=n, by=request.user, ip=client_ip(request)),
            allowed=can_approve_notice,
            done_message=gettext("%(count)s notice(s) approved."),
        )

    @admin.action(description=_("Publish the selected notices (where posted: as given)"), permissions=["change"])
    def publish(self, request, queryset):
        posted_at = request.POST.get("posted_at", "").strip()
        run_service_on_each(
            self,
            request,
            queryset,
            lambda n: services.publish_notice(notice=n, by=request.user, posted_at=posted_at, ip=client_ip(request)),
            allowed=can_approve_notice,
            done_message=gettext("%(count)s notice(s) published."),
        )

    @admin.action(description=_("Return the selected notices to draft"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset,
            lambda n: services.return_notice_to_draft(notice=n, by=request.user, ip=client_ip(request)),
            allowed=can_approve_notice,
            done_message=gettext("%(count)s notice(s) returned to draft."),
        )


@admin.register(Supervision)
class SupervisionAdmin(ServiceAddAdminMixin, DomainAdmin):
    """A finding is recorded by `followup.services.record_supervision` (history on the petitions and the
    conference, notifications) and then stays as found; a re-check is recorded with the action."""

    list_display = [
        "subject",
        "unit",
        "finding",
        "conclusion_item",
        "petition",
        "recheck_on",
        "rechecked_at",
        "supervisor",
        "created_at",
    ]
    list_filter = ["finding", unit_filter(), ("rechecked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["unit", "conclusion_item", "petition", "supervisor"]
    search_fields = ["subject", "recommendation"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["unit", "conclusion_item", "organisation"]
    raw_id_fields = ["petition"]
    scoped_foreign_keys = {"petition": "unit_id", "conclusion_item": "conference__unit_id", "organisation": "unit_id"}
    fields = [
        "unit",
        "subject",
        "conclusion_item",
        "petition",
        "organisation",
        "finding",
        "recommendation",
        "recheck_on",
        "rechecked_at",
        "supervisor",
        "created_at",
    ]
    actions = [*DomainAdmin.actions, "mark_rechecked"]
    export_fields = [
        "unit",
        "subject",
        "finding",
        "recommendation",
        "conclusion_item",
        "petition__tracking_code",
        "recheck_on",
        "rechecked_at",
        "organisation",
        "created_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["rechecked_at", "supervisor", "created_at"]
        # What was found, on what, by whom stays as recorded; the recommendation and re-check date may be completed.
        return ["unit", "conclusion_item", "petition", "finding", "rechecked_at", "supervisor", "created_at"]

    def create_through_service(self, request, data):
        return services.record_supervision(
            unit=data.get("unit"),
            by=request.user,
            subject=data.get("subject") or "",
            finding=data.get("finding") or "",
            recommendation=data.get("recommendation") or "",
            recheck_on=data.get("recheck_on"),
            conclusion_item=data.get("conclusion_item"),
            petition=data.get("petition"),
            organisation=data.get("organisation"),
            ip=client_ip(request),
        )

    @admin.action(description=_("Record that the selected findings were re-checked"), permissions=["change"])
    def mark_rechecked(self, request, queryset):
        run_service_on_each(
            self,
            request,
            queryset.select_related("conclusion_item__conference", "petition"),
            lambda s: services.mark_rechecked(supervision=s, by=request.user, ip=client_ip(request)),
            done_message=gettext("%(count)s finding(s) marked re-checked."),
        )


@admin.register(Commendation)
class CommendationAdmin(ServiceAddAdminMixin, DomainAdmin):
    """A commendation is recorded by `followup.services.record_commendation` (with its history row)."""

    list_display = ["recipient", "kind", "unit", "year", "decision_number", "decision"]
    list_filter = ["kind", "year", unit_filter()]
    list_select_related = ["unit", "decision"]
    search_fields = ["recipient", "reason", "decision_number"]
    autocomplete_fields = ["unit", "decision"]
    export_fields = ["recipient", "kind", "unit", "year", "reason", "decision_number", "decision"]

    def create_through_service(self, request, data):
        return services.record_commendation(
            unit=data.get("unit"),
            kind=data.get("kind") or "",
            recipient=data.get("recipient") or "",
            reason=data.get("reason") or "",
            year=data.get("year"),
            decision=data.get("decision"),
            decision_number=data.get("decision_number") or "",
            by=request.user,
            ip=client_ip(request),
        )
