from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from opendata.models import ApiClient, ApiSubmission
from opendata.services import issue_api_client, revoke_api_client


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "key_prefix", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "contact_email", "key_prefix"]
    readonly_fields = ["key_prefix", "created_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = issue_api_client(name=obj.name, contact_email=obj.contact_email, by=request.user)
        obj.pk = client.pk
        obj.key_prefix, obj.key_hash, obj.created_at = client.key_prefix, client.key_hash, client.created_at
        messages.warning(
            request, _("The key of %(name)s, shown only now — copy it: %(key)s") % {"name": client.name, "key": key}
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the submissions keep their client

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for client in queryset:
            revoke_api_client(client=client, by=request.user)
        messages.success(request, _("Keys revoked."))


@admin.register(ApiSubmission)
class ApiSubmissionAdmin(admin.ModelAdmin):
    list_display = ["petition", "client", "submitted_at"]
    list_select_related = ["petition", "client"]
    list_filter = ["client"]
    readonly_fields = ["client", "petition", "submitted_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
