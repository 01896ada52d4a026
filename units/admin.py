from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from audit.services import client_ip
from units import services
from units.admin_mixins import DomainAdmin, ScopedChoicesMixin, unit_filter
from units.forms import unit_label
from units.models import AdministrativeUnit, Membership, Organisation, UnitSuccession
from units.names import display_name

User = get_user_model()


class UnitLabelAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete, naming a unit as every unit choice does (`units.forms.unit_label`)."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, AdministrativeUnit):
            result["text"] = unit_label(obj)
        return result


# The autocomplete is the admin site's one view for every model; units are named there as in every
# other unit choice, so that an abolished ward is not picked for its successor of the same name.
admin.site.autocomplete_view = lambda request: UnitLabelAutocompleteJsonView.as_view(admin_site=admin.site)(request)


class SuccessorInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]
    verbose_name = _("successor (new unit)")
    verbose_name_plural = _("successors (new units)")


class PredecessorInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "successor"
    extra = 0
    autocomplete_fields = ["predecessor"]
    verbose_name = _("predecessor (old unit)")
    verbose_name_plural = _("predecessors (old units)")


class OrganisationInline(admin.TabularInline):
    model = Organisation
    extra = 0
    fields = ["kind", "name", "email", "is_active"]


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(DomainAdmin):
    unit_lookup = "id"
    list_display = ["name", "kind", "level", "code", "parent", "valid_from", "valid_to", "is_current"]
    list_filter = ["level", "kind", ("valid_to", admin.EmptyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "=code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["depth", "path"]
    fields = ["name", "level", "kind", "code", "parent", "valid_from", "valid_to", "depth", "path"]
    inlines = [SuccessorInline, PredecessorInline, OrganisationInline]
    export_fields = ["name", "level", "kind", "code", "parent", "parent__code", "valid_from", "valid_to"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            # As in every unit choice: the units in force before the abolished ones.
            queryset = queryset.order_by(F("valid_to").desc(nulls_first=True), "name", "-valid_from")
        return queryset, may_have_duplicates

    @admin.display(description=_("exists today"), boolean=True)
    def is_current(self, obj):
        from django.utils import timezone

        return obj.is_valid_on(timezone.localdate())


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(DomainAdmin):
    unit_lookup = "predecessor_id"
    list_display = ["predecessor", "successor", "kind", "is_primary", "effective_on", "legal_basis"]
    list_filter = ["kind", "is_primary", "effective_on"]
    list_select_related = ["predecessor", "successor"]
    search_fields = ["predecessor__name", "successor__name", "=predecessor__code", "=successor__code"]
    autocomplete_fields = ["predecessor", "successor"]
    export_fields = [
        "predecessor",
        "predecessor__code",
        "successor",
        "successor__code",
        "kind",
        "is_primary",
        "effective_on",
        "legal_basis",
    ]


@admin.register(Organisation)
class OrganisationAdmin(DomainAdmin):
    list_display = ["name", "kind", "unit", "email", "is_active"]
    list_filter = ["kind", "is_active", unit_filter()]
    list_select_related = ["unit"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]
    export_fields = ["name", "kind", "unit", "unit__code", "email", "is_active"]


@admin.register(Membership)
class MembershipAdmin(DomainAdmin):
    list_display = ["user", "user_full_name", "role", "unit", "organisation", "title", "is_active"]
    list_filter = ["role", "is_active", unit_filter()]
    list_select_related = ["user", "unit", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email", "unit__name"]
    autocomplete_fields = ["user", "unit", "organisation"]
    scoped_foreign_keys = {"organisation": "unit_id"}
    readonly_fields = ["created_at"]
    export_fields = ["user__username", "user_full_name", "role", "unit", "organisation", "title", "is_active"]

    @admin.display(description=_("full name"), ordering="user__last_name")
    def user_full_name(self, obj):
        return display_name(obj.user)

    # The role's group follows the membership: granted, changed and revoked through units.services.

    def save_model(self, request, obj, form, change):
        if change:
            services.update_role(membership=obj, by=request.user, ip=client_ip(request), changed=form.changed_data)
            return
        granted = services.grant_role(
            user=obj.user,
            unit=obj.unit,
            role=obj.role,
            organisation=obj.organisation,
            title=obj.title,
            by=request.user,
            ip=client_ip(request),
        )
        if not obj.is_active:
            granted.is_active = False
            services.update_role(membership=granted, by=request.user, ip=client_ip(request), changed=["is_active"])
        obj.__dict__.update(granted.__dict__)

    def delete_model(self, request, obj):
        services.revoke_role(membership=obj, by=request.user, ip=client_ip(request))

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "unit"):
            services.revoke_role(membership=membership, by=request.user, ip=client_ip(request))


class MembershipInline(ScopedChoicesMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["unit", "role", "organisation", "title", "is_active"]
    autocomplete_fields = ["unit", "organisation"]
    scoped_foreign_keys = {"organisation": "unit_id"}


# The user admin with the person's roles in units beside the account.
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [*BaseUserAdmin.inlines, MembershipInline]

    def save_related(self, request, form, formsets, change):
        """After the memberships of the inline are saved, give the user exactly their roles' groups."""
        super().save_related(request, form, formsets, change)
        services.sync_user_groups(form.instance)
