"""Stored reports in the admin: scoped, read-mostly, with an action to queue failed ones again."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reports.models import Report
from reports.services import retry_report
from units.admin_mixins import UnitScopedAdminMixin


@admin.register(Report)
class ReportAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "unit",
        "start",
        "end",
        "format",
        "as_of_today_units",
        "periodic",
        "status",
        "progress",
        "created_at",
    ]
    list_filter = ["status", "format", "periodic", "as_of_today_units"]
    list_select_related = ["unit", "requested_by"]
    search_fields = ["unit__name", "unit__code"]
    date_hierarchy = "created_at"
    raw_id_fields = ["unit", "requested_by"]
    readonly_fields = ["status", "progress", "file", "error", "created_at", "started_at", "finished_at", "notified_at"]
    actions = ["queue_again"]

    @admin.action(description=_("Queue the selected failed reports again"))
    def queue_again(self, request, queryset):
        for report in queryset.filter(status=Report.Status.FAILED):
            retry_report(report=report, by=request.user)
