from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent

# The prefixes of the actions written as "<what>:<new state>" by the services.
ACTION_PREFIXES = {"status": _("Status"), "minutes": _("Minutes")}


def action_label(action: str) -> str:
    """Return a readable label for an audit action: "status:announced" → "Status → Announced",
    "conclusion_added" → "Conclusion added"."""
    prefix, sep, value = action.partition(":")
    if sep:
        what = ACTION_PREFIXES.get(prefix) or capfirst(prefix.replace("_", " "))
        return f"{what} → {capfirst(value.replace('_', ' '))}"
    return str(capfirst(action.replace("_", " ")))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The history of every change, for superusers only: it holds addresses and every unit's records."""

    list_display = [
        "created_at",
        "content_type",
        "object_id",
        "action_display",
        "from_status",
        "to_status",
        "actor_label",
    ]
    list_filter = ["content_type", "action"]
    list_select_related = ["content_type", "actor"]
    search_fields = ["action", "note", "actor_label"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description=_("action"), ordering="action")
    def action_display(self, obj):
        return action_label(obj.action)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
