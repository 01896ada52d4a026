from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "content_type", "object_id", "action", "from_status", "to_status", "actor_label"]
    list_filter = ["content_type", "action"]
    list_select_related = ["content_type", "actor"]
    search_fields = ["action", "note", "actor_label"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
