"""What every model admin of the domain shares: scoping to the user's units, exports, fast counts.

- `UnitScopedAdminMixin`: a staff user who is not a superuser sees only the objects of the units
  in their scope (`units.permissions.unit_ids_in_scope`), and gets no view/change/delete
  permission on another unit's object, so its change page is a 403 and it never appears in a
  changelist, an autocomplete or a raw-id pop-up.
- `ExportAdminMixin`: CSV and XLSX export of the selected rows. Personal data (listed in
  `export_private_fields`) stays out by default; a separate, superuser-only action includes it.
- `EstimatedCountPaginator`: on PostgreSQL, a changelist never counts a large table exactly.
"""

import csv
import datetime
import io
import json
from collections.abc import Iterable, Sequence

from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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


# --- Fast counts ----------------------------------------------------------------------------


class EstimatedCountPaginator(Paginator):
    """A paginator that never counts a large PostgreSQL table exactly.

    Unfiltered: the planner's estimate (`pg_class.reltuples`) once the table is larger than
    `exact_limit` rows. Filtered: an exact count capped at `exact_limit + 1` rows; past the cap,
    the planner's estimate of the filtered query. Elsewhere (SQLite) an exact count.
    """

    exact_limit = 10_000

    @cached_property
    def count(self):
        qs = self.object_list
        if not isinstance(qs, QuerySet) or connections[qs.db].vendor != "postgresql":
            return super().count
        if not qs.query.where:
            estimate = self._table_estimate(qs)
            return estimate if estimate > self.exact_limit else super().count
        capped = qs.order_by()[: self.exact_limit + 1].count()
        if capped <= self.exact_limit:
            return capped
        return max(capped, self._query_estimate(qs))

    @staticmethod
    def _table_estimate(qs) -> int:
        with connections[qs.db].cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [qs.model._meta.db_table])
            row = cursor.fetchone()
        return int(row[0]) if row and row[0] and row[0] > 0 else 0

    @staticmethod
    def _query_estimate(qs) -> int:
        sql, params = qs.order_by().values("pk").query.sql_with_params()
        with connections[qs.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])


# --- Export ---------------------------------------------------------------------------------

# A cell starting with one of these is a formula to a spreadsheet: text typed by citizens must
# never run as one (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


class ExportAdminMixin:
    """CSV and XLSX export of the selected rows.

    `export_fields` lists model field names or paths (`unit__code`) or names of admin or model
    attributes; `export_private_fields` lists personal data that only the superuser-only
    `export_as_csv_with_contacts` / `export_as_xlsx_with_contacts` actions include.
    """

    export_fields: Sequence[str] = ()
    export_private_fields: Sequence[str] = ()
    actions = ["export_as_csv", "export_as_xlsx"]

    def get_export_fields(self, request, *, include_private: bool = False) -> list[str]:
        names = list(self.export_fields) or [f.name for f in self.model._meta.concrete_fields]
        private = set(self.export_private_fields)
        names = [n for n in names if n not in private]
        return names + list(self.export_private_fields) if include_private else names

    def _resolve_field(self, name: str):
        model = self.model
        field = None
        for part in name.split("__"):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return None
            model = field.related_model
        return field

    def export_header(self, name: str) -> str:
        field = self._resolve_field(name)
        if field is not None:
            return str(capfirst(field.verbose_name))
        attr = getattr(self, name, None) or getattr(self.model, name, None)
        label = getattr(attr, "short_description", None) or name.replace("_", " ")
        return str(capfirst(str(label)))

    def export_value(self, obj, name: str):
        """Return the value of column `name` for `obj` (a plain Python value, a model or text)."""
        if self._resolve_field(name) is None:
            attr = getattr(self, name, None)
            if callable(attr):
                return attr(obj)
            value = getattr(obj, name, "")
            return value() if callable(value) else value
        *path, last = name.split("__")
        for part in path:
            obj = getattr(obj, part)
            if obj is None:
                return ""
        field = obj._meta.get_field(last)
        if field.choices:
            return obj._get_FIELD_display(field) if getattr(obj, field.attname) not in ("", None) else ""
        return getattr(obj, last)

    def _rows(self, request, queryset, names: list[str]) -> Iterable[list]:
        related = sorted(
            {n.rsplit("__", 1)[0] for n in names if "__" in n}
            | {n for n in names if (f := self._resolve_field(n)) is not None and f.many_to_one}
        )
        if related:
            queryset = queryset.select_related(*related)
        for obj in queryset.iterator(chunk_size=2000):
            yield [self.export_value(obj, n) for n in names]

    @staticmethod
    def _as_text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, datetime.datetime):
            return (
                timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat()
            )
        if isinstance(value, datetime.date):
            return value.isoformat()
        return _safe_text(str(value))

    @staticmethod
    def _as_cell(value):
        if value is None:
            return None
        if isinstance(value, bool | int | float | datetime.date):
            if isinstance(value, datetime.datetime) and timezone.is_aware(value):
                return timezone.localtime(value).replace(tzinfo=None)
            return value
        return _safe_text(str(value))

    def _filename(self, ext: str) -> str:
        return f"{self.model._meta.model_name}-{timezone.localtime():%Y%m%d-%H%M}.{ext}"

    def _csv_response(self, request, queryset, *, include_private: bool):
        names = self.get_export_fields(request, include_private=include_private)
        # The rows are written while the response streams, after the locale middleware has put
        # the request's language back: write them in the language the user asked in.
        lang = translation.get_language()

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())

        def stream():
            with translation.override(lang):
                yield "\ufeff"  # so that Excel reads the file as UTF-8
                yield writer.writerow([self.export_header(n) for n in names])
                for row in self._rows(request, queryset, names):
                    yield writer.writerow([self._as_text(v) for v in row])

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self._filename("csv")}"'
        return response

    def _xlsx_response(self, request, queryset, *, include_private: bool):
        from openpyxl import Workbook

        names = self.get_export_fields(request, include_private=include_private)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(self.model._meta.verbose_name_plural)[:31])
        sheet.append([self.export_header(n) for n in names])
        for row in self._rows(request, queryset, names):
            sheet.append([self._as_cell(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{self._filename("xlsx")}"'
        return response

    @admin.action(description=_("Export selected rows as CSV"), permissions=["view"])
    def export_as_csv(self, request, queryset):
        return self._csv_response(request, queryset, include_private=False)

    @admin.action(description=_("Export selected rows as Excel (XLSX)"), permissions=["view"])
    def export_as_xlsx(self, request, queryset):
        return self._xlsx_response(request, queryset, include_private=False)

    @admin.action(description=_("Export selected rows as CSV, with personal contacts"), permissions=["export_contacts"])
    def export_as_csv_with_contacts(self, request, queryset):
        return self._csv_response(request, queryset, include_private=True)

    @admin.action(
        description=_("Export selected rows as Excel (XLSX), with personal contacts"), permissions=["export_contacts"]
    )
    def export_as_xlsx_with_contacts(self, request, queryset):
        return self._xlsx_response(request, queryset, include_private=True)

    def has_export_contacts_permission(self, request) -> bool:
        """Return True if the user may export personal data: superusers only."""
        return bool(request.user.is_superuser)


class DomainAdmin(UnitScopedAdminMixin, ExportAdminMixin, admin.ModelAdmin):
    """A model admin of a unit's records: scoped to the user's units, exportable."""


class SharedAdmin(ExportAdminMixin, admin.ModelAdmin):
    """A model admin of shared reference data (no unit): exportable."""


def run_service_on_each(model_admin, request, queryset, call, *, allowed=None, done_message, message_args=None):
    """Call `call(obj)` (a service call) for each selected object and report the outcome.

    An object the user may not change, or for which `allowed(user, obj)` is False, is skipped
    with a message; a `TransitionNotAllowed` (or a validation error) is shown as one message per
    object and the others are still processed, each in the service's own transaction.
    Return the number of objects changed.
    """
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError

    from audit.transitions import TransitionNotAllowed

    done = 0
    for obj in queryset:
        if not model_admin.has_change_permission(request, obj) or (allowed and not allowed(request.user, obj)):
            model_admin.message_user(request, gettext("%(obj)s: you may not do this.") % {"obj": obj}, messages.ERROR)
            continue
        try:
            call(obj)
        except TransitionNotAllowed as exc:
            model_admin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
        except (ValidationError, PermissionDenied, ValueError) as exc:
            text = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            model_admin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            done += 1
    if done:
        model_admin.message_user(request, done_message % {"count": done, **(message_args or {})}, messages.SUCCESS)
    return done


# --- Adding through a service -----------------------------------------------------------------


class _DryRunRollback(Exception):
    pass


def service_refusal(call) -> str | None:
    """Run `call()` in a savepoint that is always rolled back; return the service's refusal, or None.

    The add forms below ask the service itself whether it would accept the data, so that its
    checks are not copied into the admin; what it would write (rows, outbox, on-commit hooks) is
    rolled back with the savepoint.
    """
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from audit.transitions import TransitionNotAllowed

    try:
        with transaction.atomic():
            call()
            raise _DryRunRollback
    except _DryRunRollback:
        return None
    except TransitionNotAllowed as exc:
        return str(exc.message)
    except ValidationError as exc:
        return "; ".join(exc.messages)
    except PermissionDenied as exc:  # the permission matrix refused the actor (units.access.ActionNotAllowed)
        return str(exc)


class ServiceAddAdminMixin:
    """A model admin whose add page creates the object through a service (`create_through_service`).

    The add form shows the service's refusal as a form error; the change page stays a plain edit of
    the fields the subclass leaves editable.
    """

    def create_through_service(self, request, data: dict):
        """Create the object from the add form's cleaned data by calling the service; return it."""
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form_class
        model_admin = self

        class ServiceAddForm(form_class):
            def clean(self):
                cleaned = super().clean()
                if not self._errors:
                    refusal = service_refusal(lambda: model_admin.create_through_service(request, cleaned))
                    if refusal:
                        raise forms.ValidationError(refusal)
                return cleaned

        return ServiceAddForm

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = self.create_through_service(request, form.cleaned_data)
        # The admin goes on with `obj` (many-to-many fields, inlines, the log, the redirect).
        obj.__dict__.update(created.__dict__)
