"""CSV and XLSX export of an admin changelist's selected rows, personal data out by default.

`ExportAdminMixin` gives every model admin the export actions; personal data (listed in
`export_private_fields`) stays out unless a superuser picks the "with personal contacts" action.
Text typed by citizens never runs as a spreadsheet formula. `SharedAdmin` is the base of the
admins of shared reference data (no unit); the admins of a unit's records use
`units.admin_mixins.DomainAdmin`, which adds unit scoping.
"""

import csv
import datetime
import io
import itertools
from collections.abc import Iterable, Sequence

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A cell starting with one of these is a formula to a spreadsheet: text typed by citizens must
# never run as one (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# An XLSX export's column widths are taken from its headers and this many first rows.
XLSX_SIZING_ROWS = 500


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
            return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%d/%m/%Y %H:%M")
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
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
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        from audit.spreadsheet import column_widths, set_widths

        names = self.get_export_fields(request, include_private=include_private)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(self.model._meta.verbose_name_plural)[:31])
        headers = [self.export_header(n) for n in names]
        rows = self._rows(request, queryset, names)
        # Widths must be set before the first row: size the columns to the headers and the first rows.
        first = [[self._as_cell(v) for v in row] for row in itertools.islice(rows, XLSX_SIZING_ROWS)]
        set_widths(sheet, column_widths([headers, *[[self._as_text(v) for v in row] for row in first]]))

        def cell(value, bold=False):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime.datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
            if bold:
                cell.font = Font(bold=True)
            return cell

        sheet.append([cell(text, bold=True) for text in headers])
        for row in first:
            sheet.append([cell(v) for v in row])
        for row in rows:
            sheet.append([cell(self._as_cell(v)) for v in row])
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


class SharedAdmin(ExportAdminMixin, admin.ModelAdmin):
    """A model admin of shared reference data (no unit): exportable."""
