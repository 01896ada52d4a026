"""Import conferences held before the portal existed, from a CSV (UTF-8) or XLSX file.

Columns (first row, any order): `unit_code`, `held_on` (YYYY-MM-DD or DD/MM/YYYY), `kind`
(`periodic` | `adhoc`, or `định kỳ` | `đột xuất`), `status` (`planned`, `held`, `concluded`,
`closed`, `postponed`, `cancelled`), `title`; optional `format`, `chair`, `venue`,
`attendance`, `topics` (separated by `;`), `opinions_raised`, `answered_on_spot`,
`external_ref`.

Contract of `import_conferences`: every row is validated first; if any row is invalid, the
errors are returned with their line numbers and nothing of the file is written. Otherwise all
rows are written in one transaction: a row whose `external_ref` is already known updates that
conference, any other row creates one, and each gets an audit event `imported`. A dry run does
all of it and rolls back. Running the same file twice changes nothing the second time but the
audit trail.
"""

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record_event
from conferences.models import (
    HELD_STATUSES,
    Conference,
    ConferenceFormat,
    ConferenceKind,
    ConferenceStatus,
    MinutesStatus,
)
from units.models import AdministrativeUnit

REQUIRED_COLUMNS = ("unit_code", "held_on", "kind", "status", "title")
OPTIONAL_COLUMNS = (
    "format",
    "chair",
    "venue",
    "attendance",
    "topics",
    "opinions_raised",
    "answered_on_spot",
    "external_ref",
)
IMPORTABLE_STATUSES = (
    ConferenceStatus.PLANNED,
    ConferenceStatus.HELD,
    ConferenceStatus.CONCLUDED,
    ConferenceStatus.CLOSED,
    ConferenceStatus.POSTPONED,
    ConferenceStatus.CANCELLED,
)
KIND_WORDS = {
    "periodic": ConferenceKind.PERIODIC,
    "định kỳ": ConferenceKind.PERIODIC,
    "dinh ky": ConferenceKind.PERIODIC,
    "adhoc": ConferenceKind.ADHOC,
    "ad-hoc": ConferenceKind.ADHOC,
    "đột xuất": ConferenceKind.ADHOC,
    "dot xuat": ConferenceKind.ADHOC,
}
# When a row gives no format: what conferences of that kind usually were.
DEFAULT_FORMAT = {
    ConferenceKind.PERIODIC: ConferenceFormat.WORKING_SESSION_MTTQ,
    ConferenceKind.ADHOC: ConferenceFormat.THEMATIC,
}
START_TIME = datetime.time(8, 0)
MAX_LENGTHS = {"title": 300, "chair": 200, "venue": 300, "external_ref": 100}


class ImportFileError(ValueError):
    """The file cannot be read at all (not CSV/XLSX, not UTF-8, missing columns)."""


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self):
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ParsedRow:
    line: int
    unit: AdministrativeUnit
    values: dict
    external_ref: str | None


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # rows matching a conference that already holds exactly what they say
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return _("%(count)s invalid row(s): nothing was imported.") % {"count": len(self.errors)}
        counts = {"rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            return (
                _(
                    "Dry run: %(rows)s row(s) are valid; %(created)s conference(s) would be created, %(updated)s "
                    "updated and %(unchanged)s left as they are. Nothing was written."
                )
                % counts
            )
        if not self.created and not self.updated:
            return (
                _("%(rows)s row(s) read: every conference already holds what the file says; nothing changed.") % counts
            )
        return (
            _(
                "%(rows)s row(s) imported: %(created)s conference(s) created, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % counts
        )


# --- Reading ------------------------------------------------------------------------------------


def _normalise_header(name) -> str:
    return re.sub(r"\s+", "_", str(name or "").replace("\ufeff", "").strip().lower())


def _is_xlsx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def read_rows(data: bytes, filename: str = "") -> list[tuple[int, dict]]:
    """Return the data rows as (line number, {column: value}), skipping blank rows.

    Line numbers are those a person sees: the spreadsheet row, or the CSV line where the
    record starts (the header is line 1). Raise ImportFileError if the file cannot be read.
    """
    if _is_xlsx(data, filename):
        rows = _read_xlsx(data)
    else:
        rows = _read_csv(data)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    columns = [_normalise_header(h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportFileError(
            _("Line %(line)s: missing column(s): %(columns)s.") % {"line": header_line, "columns": ", ".join(missing)}
        )
    result = []
    for line, cells in rows:
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        record = {}
        for name, value in zip(columns, cells, strict=False):
            if name and name not in record:
                record[name] = value
        result.append((line, record))
    return result


def _read_csv(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The CSV file is not in UTF-8. Save it as “CSV UTF-8” and try again.")) from None
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError(_("The file is not a readable Excel (XLSX) workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


# --- Validating ---------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date (write YYYY-MM-DD or DD/MM/YYYY).") % {"value": text})


def _parse_count(value, column: str) -> int | None:
    text = _text(value)
    if not text:
        return None
    if not text.isdecimal():
        raise ValueError(
            _("%(column)s must be a whole number of 0 or more, not “%(value)s”.") % {"column": column, "value": text}
        )
    return int(text)


def _choice_words(choices) -> dict[str, str]:
    """Map each choice's code and its English and Vietnamese labels (lower case) to the code."""
    words = {}
    for code, label in choices.choices:
        words[code] = code
        for language in ("en", "vi"):
            with translation.override(language):
                words[str(label).lower()] = code
    return words


class UnitResolver:
    """Find the unit that bore a code on a date, from one query on the (small) unit table."""

    def __init__(self, scope=None):
        self.by_code: dict[str, list[AdministrativeUnit]] = {}
        units = AdministrativeUnit.objects.only("pk", "code", "name", "kind", "level", "valid_from", "valid_to")
        for unit in units:
            self.by_code.setdefault(unit.code, []).append(unit)
        self.scope = scope

    def _on(self, code: str, day: datetime.date) -> list[AdministrativeUnit]:
        return [u for u in self.by_code.get(code, []) if u.is_valid_on(day)]

    def resolve(self, raw, day: datetime.date) -> AdministrativeUnit:
        """Return the unit; raise ValueError with the reason when none or several match."""
        code = _text(raw)
        if not code:
            raise ValueError(_("unit_code is empty."))
        found = self._on(code, day)
        if not found and code.isdecimal():
            # Spreadsheets drop leading zeros: 598 may be the commune 00598 or the district 021 may be 21.
            padded = {code.zfill(n) for n in (2, 3, 5) if len(code) < n}
            found = [u for c in sorted(padded) for u in self._on(c, day)]
            if len(found) > 1:
                raise ValueError(
                    _("Unit code “%(code)s” is ambiguous on %(day)s (%(units)s); write the code in full, as text.")
                    % {"code": code, "day": f"{day:%d/%m/%Y}", "units": ", ".join(str(u) for u in found)}
                )
        if not found:
            if code in self.by_code:
                raise ValueError(
                    _("No unit bore the code “%(code)s” on %(day)s.") % {"code": code, "day": f"{day:%d/%m/%Y}"}
                )
            raise ValueError(_("Unknown unit code “%(code)s”.") % {"code": code})
        unit = found[0]
        if self.scope is not None and unit.pk not in self.scope:
            raise ValueError(_("You may not import conferences of %(unit)s.") % {"unit": unit})
        return unit


def validate_rows(rows, *, scope=None) -> tuple[list[ParsedRow], list[RowError]]:
    """Check every row; return the parsed rows and the errors (a row may have several)."""
    resolver = UnitResolver(scope)
    formats = _choice_words(ConferenceFormat)
    statuses = {s.value: s.value for s in IMPORTABLE_STATUSES}
    statuses.update({k: v for k, v in _choice_words(ConferenceStatus).items() if v in statuses})
    parsed, errors = [], []
    seen_refs: dict[str, int] = {}
    for line, record in rows:
        row_errors = []

        def fail(message, _errors=row_errors, _line=line):
            _errors.append(RowError(_line, message))

        held_on = unit = None
        try:
            held_on = _parse_date(record.get("held_on"))
        except ValueError as exc:
            fail(_("held_on: %(reason)s") % {"reason": exc})
        if held_on is not None:
            try:
                unit = resolver.resolve(record.get("unit_code"), held_on)
            except ValueError as exc:
                fail(str(exc))
        kind_text = re.sub(r"\s+", " ", _text(record.get("kind")).lower())
        kind = KIND_WORDS.get(kind_text)
        if kind is None:
            fail(
                _("kind must be “periodic” or “adhoc” (or “định kỳ” / “đột xuất”), not “%(value)s”.")
                % {"value": kind_text}
            )
        status_text = _text(record.get("status")).lower()
        status = statuses.get(status_text)
        if status is None:
            fail(
                _("status must be one of %(allowed)s, not “%(value)s”.")
                % {"allowed": ", ".join(s.value for s in IMPORTABLE_STATUSES), "value": status_text}
            )
        title = _text(record.get("title"))
        if not title:
            fail(_("title is empty."))
        format_text = _text(record.get("format")).lower()
        conference_format = None
        if format_text:
            conference_format = formats.get(format_text)
            if conference_format is None:
                fail(
                    _("format must be one of %(allowed)s, not “%(value)s”.")
                    % {"allowed": ", ".join(ConferenceFormat.values), "value": format_text}
                )
        elif kind:
            conference_format = DEFAULT_FORMAT[kind]
        values = {
            "title": title,
            "chair": _text(record.get("chair")),
            "venue": _text(record.get("venue")),
            "external_ref": _text(record.get("external_ref")),
        }
        for column, limit in MAX_LENGTHS.items():
            if len(values[column]) > limit:
                fail(_("%(column)s is longer than %(limit)s characters.") % {"column": column, "limit": limit})
        counts = {}
        for column in ("attendance", "opinions_raised", "answered_on_spot"):
            try:
                counts[column] = _parse_count(record.get(column), column)
            except ValueError as exc:
                fail(str(exc))
        opinions, answered = counts.get("opinions_raised"), counts.get("answered_on_spot")
        if opinions is not None and answered is not None and answered > opinions:
            fail(_("answered_on_spot (%(a)s) is more than opinions_raised (%(o)s).") % {"a": answered, "o": opinions})
        if status in (s.value for s in HELD_STATUSES) and held_on and held_on > timezone.localdate():
            fail(
                _("A conference that was held cannot have a date in the future (%(day)s).")
                % {"day": held_on.strftime("%d/%m/%Y")}
            )
        ref = values["external_ref"] or None
        if ref is not None:
            if ref in seen_refs:
                fail(
                    _("external_ref “%(ref)s” already appears on line %(line)s.") % {"ref": ref, "line": seen_refs[ref]}
                )
            else:
                seen_refs[ref] = line
        if row_errors:
            errors.extend(row_errors)
            continue
        topics = "\n".join(t.strip() for t in _text(record.get("topics")).split(";") if t.strip())
        planned_start = timezone.make_aware(datetime.datetime.combine(held_on, START_TIME))
        parsed.append(
            ParsedRow(
                line=line,
                unit=unit,
                external_ref=ref,
                values={
                    "unit": unit,
                    "kind": kind,
                    "format": conference_format,
                    "status": status,
                    "title": title,
                    "chair": values["chair"],
                    "venue": values["venue"],
                    "topics": topics,
                    "planned_start": planned_start,
                    # `held_on` is the date a conference actually took place: only held ones have it.
                    "held_on": held_on if status in HELD_STATUSES else None,
                    "attendance": counts.get("attendance"),
                    "opinions_raised_count": opinions,
                    "answered_on_spot_count": answered,
                },
            )
        )
    return parsed, errors


# --- Writing ------------------------------------------------------------------------------------


class _DryRunRollback(Exception):
    pass


def import_conferences(*, data: bytes, filename: str = "", dry_run: bool = False, by=None, scope=None) -> ImportResult:
    """Validate and import a CSV or XLSX file of conferences; see the module docstring for the contract.

    `scope` (a set of unit ids, or None for all) limits the units a non-superuser may import for.
    Raise ImportFileError if the file cannot be read at all.
    """
    rows = read_rows(data, filename)
    parsed, errors = validate_rows(rows, scope=scope)
    errors = sorted(errors + _moved_on_errors(parsed), key=lambda e: e.line)
    result = ImportResult(rows=len(parsed), dry_run=dry_run, errors=errors)
    if errors:
        return result
    try:
        with transaction.atomic():
            _write(parsed, result, by=by, filename=filename)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return result


# What a re-import may not change once the conference lives in the portal.
PORTAL_OWNED_FIELDS = ("status", "unit", "held_on")


def _moved_on_errors(parsed: list[ParsedRow]) -> list[RowError]:
    """Report the rows that would change the status, unit or date of a conference that has moved on in
    the portal since it was imported (it has history other than imports)."""
    from django.contrib.contenttypes.models import ContentType

    from audit.models import AuditEvent

    refs = [row.external_ref for row in parsed if row.external_ref]
    if not refs:
        return []
    existing = {}
    for start in range(0, len(refs), 500):
        existing.update(Conference.objects.in_bulk(refs[start : start + 500], field_name="external_ref"))
    if not existing:
        return []
    content_type = ContentType.objects.get_for_model(Conference)
    ids = [c.pk for c in existing.values()]
    moved_on = set()
    for start in range(0, len(ids), 500):
        moved_on.update(
            AuditEvent.objects.filter(content_type=content_type, object_id__in=ids[start : start + 500])
            .exclude(action="imported")
            .values_list("object_id", flat=True)
        )
    errors = []
    for row in parsed:
        conference = existing.get(row.external_ref) if row.external_ref else None
        if conference is None or conference.pk not in moved_on:
            continue
        changed = [name for name in PORTAL_OWNED_FIELDS if getattr(conference, name) != row.values[name]]
        if changed:
            errors.append(
                RowError(
                    row.line,
                    _(
                        "The conference “%(ref)s” has moved on in the portal since it was imported; "
                        "the file may not change its %(fields)s."
                    )
                    % {"ref": row.external_ref, "fields": ", ".join(changed)},
                )
            )
    return errors


def _write(parsed: list[ParsedRow], result: ImportResult, *, by, filename: str) -> None:
    refs = [row.external_ref for row in parsed if row.external_ref]
    existing = {}
    for start in range(0, len(refs), 500):
        chunk = refs[start : start + 500]
        existing.update(Conference.objects.select_for_update().in_bulk(chunk, field_name="external_ref"))
    for row in parsed:
        conference = existing.get(row.external_ref) if row.external_ref else None
        created = conference is None
        previous_status = "" if created else conference.status
        if created:
            conference = Conference(external_ref=row.external_ref, created_by=by if _is_user(by) else None)
        values = dict(row.values)
        if values["status"] in HELD_STATUSES and conference.minutes_status in ("", MinutesStatus.NONE):
            values["minutes_status"] = MinutesStatus.DRAFT  # as record_conference_held does
        changed = [name for name, value in values.items() if getattr(conference, name, None) != value]
        for name, value in values.items():
            setattr(conference, name, value)
        if created:
            conference.save()
            result.created += 1
        elif changed:
            conference.save(update_fields=changed)
            result.updated += 1
        else:
            result.unchanged += 1  # nothing to save and nothing to record
            continue
        record_event(
            obj=conference,
            action="imported",
            by=by,
            from_status=previous_status,
            to_status=conference.status,
            actor_label="" if _is_user(by) else "import",
            data={
                "file": filename,
                "line": row.line,
                "external_ref": row.external_ref,
                "created": created,
                "changed": [] if created else changed,
            },
        )


def _is_user(by) -> bool:
    return by is not None and getattr(by, "is_authenticated", False)
