from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import Delivery, NotificationPreference, OutboxMessage, OutboxStatus
from notifications.services import retry_messages


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The outbox: what is waiting, what failed and was parked (retry it), what was sent or skipped."""

    list_display = [
        "pk",
        "kind",
        "recipient",
        "about",
        "due_key",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["=object_id", "=recipient", "due_key"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    show_full_result_count = False
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    @admin.display(description=_("about"))
    def about(self, obj):
        return f"{obj.object_type}:{obj.object_id}"

    @admin.action(description=_("Retry the selected messages now"), permissions=["change"])
    def retry(self, request, queryset):
        count = retry_messages(
            ids=queryset.filter(status__in=[OutboxStatus.PARKED, OutboxStatus.PENDING]).values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext("%(count)d message will be retried.", "%(count)d messages will be retried.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The sent log: one row per message sent or skipped (with the reason). Read-only."""

    list_display = ["created_at", "kind", "recipient", "about", "due_key", "status", "reason", "language"]
    list_filter = ["status", "kind", "reason"]
    search_fields = ["=object_id", "=recipient", "due_key"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    @admin.display(description=_("about"))
    def about(self, obj):
        return f"{obj.object_type}:{obj.object_id}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "email_enabled"]
    list_filter = ["language", "email_enabled"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
