from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from units.admin_mixins import DomainAdmin, ScopedChoicesMixin, unit_filter
from units.models import AdministrativeUnit, Membership, Organisation, UnitSuccession

User = get_user_model()


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
        return obj.user.get_full_name()


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
