"""Unit scoping for the admin: a model admin of a unit's records shows each user only their units.

- `UnitScopedAdminMixin`: a staff user who is not a superuser sees only the objects of the units
  in their scope (`units.permissions.unit_ids_in_scope`), and gets no view/change/delete
  permission on another unit's object, so its change page is a 403 and it never appears in a
  changelist, an autocomplete or a raw-id pop-up.
- `ScopedChoicesMixin`, `unit_filter`: foreign-key choices and the unit list filter limited to them.
- `DomainAdmin`: the base of every model admin of a unit's records (scoped, exportable with
  `audit.admin_exports.ExportAdminMixin`).

Exports live in `audit.admin_exports`, admin actions that call a service in `audit.admin_actions`,
the changelist paginator for the large petition tables in `petitions.paginators`.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.admin_exports import ExportAdminMixin
from units.models import AdministrativeUnit
from units.permissions import unit_ids_in_scope

# --- Scoping --------------------------------------------------------------------------------


def _scoped_choices(model, lookup: str, scope):
    return model._default_manager.filter(**{f"{lookup}__in": scope})


class ScopedChoicesMixin:
    """Limit foreign-key choices to the user's units (for model admins and inlines).

    `scoped_foreign_keys` maps a foreign key's name to the lookup from the related model to its
    unit id (e.g. `{"conference": "unit_id"}`); a foreign key to a unit is always limited.
    """

    scoped_foreign_keys: dict[str, str] = {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = unit_ids_in_scope(request.user)
        if scope is not None and "queryset" not in kwargs:
            lookup = self.scoped_foreign_keys.get(db_field.name)
            if lookup is None and db_field.related_model is AdministrativeUnit:
                lookup = "pk"
            if lookup:
                kwargs["queryset"] = _scoped_choices(db_field.related_model, lookup, scope)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UnitScopedAdminMixin(ScopedChoicesMixin):
    """Show a non-superuser only the objects of the units in their scope.

    `unit_lookup` is the path from the model to its unit's id (`unit_id`, `plan__unit_id`,
    `conference__unit_id`…). With `unit_optional = True`, objects without a unit (a city-wide
    directive, a template for every unit) are visible to every staff user but only a superuser
    may change them.
    """

    unit_lookup = "unit_id"
    unit_optional = False

    def scope_q(self, request) -> Q | None:
        """Return the filter that keeps the objects `request.user` may see, or None for all."""
        scope = unit_ids_in_scope(request.user)
        if scope is None:
            return None
        q = Q(**{f"{self.unit_lookup}__in": scope})
        if self.unit_optional:
            q |= Q(**{f"{self.unit_lookup}__isnull": True})
        return q

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        q = self.scope_q(request)
        return qs if q is None else qs.filter(q)

    def unit_id_of(self, obj):
        """Return the id of the unit `obj` belongs to (following `unit_lookup`)."""
        value = obj
        for part in self.unit_lookup.split("__"):
            if value is None:
                return None
            value = getattr(value, part)
        return value

    def in_scope(self, request, obj, *, to_change: bool = False) -> bool:
        """Return True if `request.user` may see (or, with `to_change`, change) `obj`."""
        if obj is None:
            return True
        scope = unit_ids_in_scope(request.user)
        if scope is None:
            return True
        unit_id = self.unit_id_of(obj)
        if unit_id is None:
            return self.unit_optional and not to_change
        return unit_id in scope

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj, to_change=True)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj, to_change=True)


class UnitScopeListFilter(admin.SimpleListFilter):
    """Filter by unit, offering only the units in the user's scope (one query on the small unit table)."""

    title = _("unit")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        scope = unit_ids_in_scope(request.user)
        units = AdministrativeUnit.objects.only("pk", "name", "kind", "valid_to").order_by("level", "name")
        if scope is not None:
            units = units.filter(pk__in=scope)
        return [(str(u.pk), f"{u}{' †' if u.valid_to else ''}") for u in units]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            unit_id = int(value)
        except ValueError:
            return queryset.none()
        return queryset.filter(**{getattr(self, "lookup", None) or "unit_id": unit_id})


def unit_filter(lookup: str = "unit_id"):
    """Return a `UnitScopeListFilter` for a model whose unit is reached through `lookup`."""
    return type("UnitFilter", (UnitScopeListFilter,), {"lookup": lookup})


class DomainAdmin(UnitScopedAdminMixin, ExportAdminMixin, admin.ModelAdmin):
    """A model admin of a unit's records: scoped to the user's units, exportable."""
