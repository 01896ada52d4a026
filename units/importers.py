"""Import administrative units (and their 2025 successions) from `vietnamadminunits` or a CSV file.

Units are versions: a row is matched to an existing unit when that unit bears the same code
during an overlapping period (the model forbids two units with one code at one time), so
re-importing changes nothing. Parents are resolved by code on the child's first day of
validity. Everything of one import runs in one transaction and is written with
`bulk_create`; an invalid row aborts the whole import with its line number.

The package carries no dates: its legacy (63-province, 3-tier) units are imported as valid
from `LEGACY_VALID_FROM` (or `--legacy-from`) to 30/6/2025, its post-reform (34-province,
2-tier) units as valid from 1/7/2025. A province with the same code and name in both lists
is one continuing unit.
"""

import csv
import dataclasses
import datetime
import io
from collections import defaultdict

from django.db import transaction
from django.db.models import Q

from units.models import (
    KIND_LEVEL,
    AdministrativeUnit,
    SuccessionKind,
    UnitKind,
    UnitLevel,
    UnitSuccession,
)

LEGACY_VALID_FROM = datetime.date(2008, 8, 1)
LEGACY_VALID_TO = datetime.date(2025, 6, 30)
REFORM_DAY = datetime.date(2025, 7, 1)
REFORM_LEGAL_BASIS = "Nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã năm 2025"

LEVEL_ORDER = {UnitLevel.CITY: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}

# Vietnamese type names (as the package and officials write them) → UnitKind.
KIND_NAMES = {
    "thành phố": UnitKind.CITY,
    "tỉnh": UnitKind.PROVINCE,
    "quận": UnitKind.URBAN_DISTRICT,
    "huyện": UnitKind.RURAL_DISTRICT,
    "thị xã": UnitKind.TOWN,
    "phường": UnitKind.WARD,
    "xã": UnitKind.COMMUNE,
    "thị trấn": UnitKind.TOWNLET,
    "đặc khu": UnitKind.SPECIAL_ZONE,
}


class UnitImportError(Exception):
    """The import was refused; `errors` lists (line, message) and nothing was written."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("; ".join(f"line {line}: {msg}" for line, msg in errors))


@dataclasses.dataclass
class UnitRow:
    code: str
    name: str
    kind: str
    level: str
    parent_code: str = ""
    valid_from: datetime.date = REFORM_DAY
    valid_to: datetime.date | None = None
    line: int = 0

    def overlaps(self, start: datetime.date, end: datetime.date | None) -> bool:
        return (end is None or self.valid_from <= end) and (self.valid_to is None or start <= self.valid_to)


@dataclasses.dataclass
class SuccessionRow:
    predecessor_code: str
    successor_code: str
    kind: str = SuccessionKind.WHOLE
    is_primary: bool = False
    effective_on: datetime.date = REFORM_DAY
    legal_basis: str = ""


@dataclasses.dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    successions_created: int = 0
    successions_unchanged: int = 0

    def __str__(self):
        return (
            f"units: {self.created} created, {self.unchanged} already present; "
            f"successions: {self.successions_created} created, {self.successions_unchanged} already present"
        )


def parse_kind(raw: str) -> str | None:
    """Return the UnitKind for a model value ('phuong') or a Vietnamese type name ('Phường')."""
    raw = (raw or "").strip()
    if raw in UnitKind.values:
        return raw
    return KIND_NAMES.get(raw.lower())


def parse_date(raw: str) -> datetime.date | None:
    """Parse YYYY-MM-DD or DD/MM/YYYY; return None for an empty value, raise ValueError otherwise."""
    raw = (raw or "").strip()
    if not raw:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def _split_type(full_name: str) -> tuple[str, str]:
    """Split 'Phường Thượng Cát' into ('phuong', 'Thượng Cát') using the longest matching type name."""
    lowered = full_name.lower()
    for type_name in sorted(KIND_NAMES, key=len, reverse=True):
        if lowered.startswith(type_name + " "):
            return KIND_NAMES[type_name], full_name[len(type_name) + 1 :].strip()
    raise ValueError(f"unknown unit type in {full_name!r}")


# --- Reading ---------------------------------------------------------------------------


def rows_from_csv(text: str) -> list[UnitRow]:
    """Read units from CSV text (columns code, name, kind, level, parent_code, valid_from, valid_to)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    required = {"code", "name", "kind", "valid_from"}
    missing = required - set(reader.fieldnames or [])
    if missing:
        raise UnitImportError([(1, f"missing columns: {', '.join(sorted(missing))}")])
    rows, errors = [], []
    for line, raw in enumerate(reader, start=2):
        raw = {k: (v or "").strip() for k, v in raw.items() if k}
        kind = parse_kind(raw.get("kind", ""))
        if not raw.get("code") or not raw.get("name"):
            errors.append((line, "code and name are required"))
            continue
        if kind is None:
            errors.append((line, f"unknown kind {raw.get('kind')!r}"))
            continue
        level = raw.get("level") or KIND_LEVEL[kind]
        if level not in UnitLevel.values:
            errors.append((line, f"unknown level {level!r}"))
            continue
        try:
            valid_from = parse_date(raw.get("valid_from", ""))
            valid_to = parse_date(raw.get("valid_to", ""))
        except ValueError as exc:
            errors.append((line, f"invalid date {exc} (use YYYY-MM-DD or DD/MM/YYYY)"))
            continue
        if valid_from is None:
            errors.append((line, "valid_from is required"))
            continue
        rows.append(
            UnitRow(
                code=raw["code"],
                name=raw["name"],
                kind=kind,
                level=level,
                parent_code=raw.get("parent_code", ""),
                valid_from=valid_from,
                valid_to=valid_to,
                line=line,
            )
        )
    if errors:
        raise UnitImportError(errors)
    return rows


def rows_from_package(
    province_code: str, *, legacy_from: datetime.date = LEGACY_VALID_FROM
) -> tuple[list[UnitRow], list[SuccessionRow]]:
    """Return one province's legacy and post-reform units, and the 2025 successions, from `vietnamadminunits`."""
    from vietnamadminunits.converter import converter_2025
    from vietnamadminunits.database import query

    if not province_code.isdecimal():
        raise UnitImportError([(0, f"invalid province code {province_code!r}")])
    # province_code is digits only (checked above), so formatting it into the SQL is safe.
    where = f"WHERE provinceCode = '{province_code}'"
    legacy = query(
        "SELECT DISTINCT province, district, ward, provinceCode, districtCode, wardCode, provinceKey, districtKey, "  # noqa: S608  # nosec B608
        f"wardKey FROM admin_units_legacy {where} ORDER BY districtCode, wardCode"
    )
    current = query(
        f"SELECT DISTINCT province, ward, provinceCode, wardCode, provinceKey, wardKey FROM admin_units {where} "  # noqa: S608  # nosec B608
        "ORDER BY wardCode"
    )
    if not legacy and not current:
        raise UnitImportError([(0, f"no province with code {province_code!r} in vietnamadminunits")])

    rows: list[UnitRow] = []
    legacy_province = legacy[0]["province"] if legacy else None
    current_province = current[0]["province"] if current else None
    continuing = legacy_province == current_province
    for full_name, valid_from, valid_to in {
        (legacy_province, legacy_from, None if continuing else LEGACY_VALID_TO),
        (current_province, legacy_from if continuing else REFORM_DAY, None),
    }:
        if full_name:
            kind, name = _split_type(full_name)
            rows.append(UnitRow(province_code, name, kind, UnitLevel.CITY, "", valid_from, valid_to))

    seen_districts = set()
    for r in legacy:
        if r["districtCode"] not in seen_districts:
            seen_districts.add(r["districtCode"])
            kind, name = _split_type(r["district"])
            rows.append(
                UnitRow(r["districtCode"], name, kind, UnitLevel.DISTRICT, province_code, legacy_from, LEGACY_VALID_TO)
            )
        if r["wardCode"]:
            kind, name = _split_type(r["ward"])
            rows.append(
                UnitRow(r["wardCode"], name, kind, UnitLevel.COMMUNE, r["districtCode"], legacy_from, LEGACY_VALID_TO)
            )
    for r in current:
        kind, name = _split_type(r["ward"])
        rows.append(UnitRow(r["wardCode"], name, kind, UnitLevel.COMMUNE, province_code, REFORM_DAY, None))

    # Successions: the converter's table maps old "province_district_ward" keys to new ward keys.
    old_code = {f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}": r["wardCode"] for r in legacy if r["wardKey"]}
    new_code = {r["wardKey"]: r["wardCode"] for r in current}
    province_key = current[0]["provinceKey"] if current else None
    successions: list[SuccessionRow] = []
    whole = converter_2025.DICT_PROVINCE_WARD_NO_DIVIDED.get(province_key, {})
    for new_key, old_keys in whole.items():
        for old_key in old_keys:
            if old_key in old_code and new_key in new_code:
                successions.append(
                    SuccessionRow(old_code[old_key], new_code[new_key], SuccessionKind.WHOLE, True, REFORM_DAY)
                )
    divided = converter_2025.DICT_PROVINCE_WARD_DIVIDED.get(province_key, {})
    for old_key, targets in divided.items():
        for target in targets:
            if old_key in old_code and target["newWardKey"] in new_code:
                successions.append(
                    SuccessionRow(
                        old_code[old_key],
                        new_code[target["newWardKey"]],
                        SuccessionKind.PART,
                        bool(target["isDefaultNewWard"]),
                        REFORM_DAY,
                    )
                )
    for s in successions:
        s.legal_basis = REFORM_LEGAL_BASIS
    return rows, successions


# --- Writing ---------------------------------------------------------------------------


def _existing_by_code(codes) -> dict[str, list[tuple[int, datetime.date, datetime.date | None, str, int]]]:
    found = defaultdict(list)
    for pk, code, start, end, path, depth in AdministrativeUnit.objects.filter(code__in=set(codes)).values_list(
        "pk", "code", "valid_from", "valid_to", "path", "depth"
    ):
        found[code].append((pk, start, end, path, depth))
    return found


def _validate(rows: list[UnitRow]) -> None:
    errors = []
    by_code = defaultdict(list)
    for row in rows:
        if row.valid_to and row.valid_to < row.valid_from:
            errors.append((row.line, f"{row.code}: valid_to is before valid_from"))
        for other in by_code[row.code]:
            if other.overlaps(row.valid_from, row.valid_to):
                errors.append((row.line, f"{row.code} is used by two units during the same period"))
        by_code[row.code].append(row)
    if errors:
        raise UnitImportError(errors)


@transaction.atomic
def import_units(rows: list[UnitRow], successions: list[SuccessionRow] = ()) -> ImportResult:
    """Create the units of `rows` that do not exist yet, then the successions (idempotent).

    A row whose code is borne by an existing unit during an overlapping period is that unit and
    is left unchanged. Raise UnitImportError (nothing written) when a row is invalid or its
    parent cannot be found.
    """
    _validate(rows)
    result = ImportResult()
    rows = sorted(rows, key=lambda r: (LEVEL_ORDER[r.level], r.code, r.valid_from))
    existing = _existing_by_code([r.code for r in rows] + [r.parent_code for r in rows if r.parent_code])
    # code → [(pk, valid_from, valid_to, path, depth)], kept up to date as levels are created
    errors = []

    def find(code, start, end):
        for pk, s, e, path, depth in existing.get(code, []):
            if (end is None or s <= end) and (e is None or start <= e):
                return pk, path, depth
        return None

    for level in (UnitLevel.CITY, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        new_objs = []
        for row in (r for r in rows if r.level == level):
            if find(row.code, row.valid_from, row.valid_to):
                result.unchanged += 1
                continue
            parent = None
            if row.parent_code:
                parent = find(row.parent_code, row.valid_from, row.valid_from)
                if parent is None:
                    errors.append((row.line, f"{row.code}: no parent unit {row.parent_code} on {row.valid_from}"))
                    continue
            obj = AdministrativeUnit(
                code=row.code,
                name=row.name,
                kind=row.kind,
                level=row.level,
                parent_id=parent[0] if parent else None,
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                depth=parent[2] + 1 if parent else 0,
            )
            obj._parent_path = parent[1] if parent else "/"
            new_objs.append(obj)
        if errors:
            raise UnitImportError(errors)
        AdministrativeUnit.objects.bulk_create(new_objs, batch_size=500)
        if new_objs and new_objs[0].pk is None:  # a backend that does not return ids
            _reload_ids(new_objs)
        for obj in new_objs:
            obj.path = f"{obj._parent_path}{obj.pk}/"
            existing.setdefault(obj.code, []).append((obj.pk, obj.valid_from, obj.valid_to, obj.path, obj.depth))
        AdministrativeUnit.objects.bulk_update(new_objs, ["path"], batch_size=500)
        result.created += len(new_objs)

    _import_successions(successions, existing, result, find)
    return result


def _reload_ids(objs):
    """Fill in the ids of freshly created units (code and valid_from are unique together)."""
    lookup = {
        (code, start): pk
        for pk, code, start in AdministrativeUnit.objects.filter(code__in={o.code for o in objs}).values_list(
            "pk", "code", "valid_from"
        )
    }
    for obj in objs:
        obj.pk = lookup[(obj.code, obj.valid_from)]


def _import_successions(successions, existing, result, find):
    if not successions:
        return
    pairs = []
    for s in successions:
        before = s.effective_on - datetime.timedelta(days=1)
        old = find(s.predecessor_code, before, before)
        new = find(s.successor_code, s.effective_on, s.effective_on)
        if old and new:
            pairs.append((old[0], new[0], s))
    present = set(
        UnitSuccession.objects.filter(
            Q(predecessor_id__in=[p for p, _n, _s in pairs]) | Q(successor_id__in=[n for _p, n, _s in pairs])
        ).values_list("predecessor_id", "successor_id")
    )
    new_rows = []
    for old_pk, new_pk, s in pairs:
        if (old_pk, new_pk) in present:
            result.successions_unchanged += 1
            continue
        present.add((old_pk, new_pk))
        new_rows.append(
            UnitSuccession(
                predecessor_id=old_pk,
                successor_id=new_pk,
                kind=s.kind,
                is_primary=s.is_primary,
                effective_on=s.effective_on,
                legal_basis=s.legal_basis,
            )
        )
    UnitSuccession.objects.bulk_create(new_rows)
    result.successions_created += len(new_rows)
