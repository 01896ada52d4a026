from django.contrib import admin, messages
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opendata.models import ApiClient, ApiSubmission, CalendarToken
from opendata.services import issue_api_client, issue_calendar_token, revoke_api_client, revoke_calendar_token


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


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    list_select_related = ["user"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "user"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on a token is edited: revoke it and issue another
        token, secret = issue_calendar_token(user=obj.user, by=request.user)
        obj.pk, obj.token_hash, obj.created_at = token.pk, token.token_hash, token.created_at
        url = request.build_absolute_uri(reverse("opendata:official_ics", args=[secret]))
        messages.warning(
            request,
            _("The calendar address of %(user)s, shown only now — copy it: %(url)s") % {"user": obj.user, "url": url},
        )

    @admin.action(description=_("Revoke the selected calendar addresses"))
    def revoke(self, request, queryset):
        for token in queryset:
            revoke_calendar_token(token=token, by=request.user)
        messages.success(request, _("Calendar addresses revoked."))
