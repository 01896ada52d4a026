"""`manage.py import_units [--province 01] [--csv FILE]`: import a province's units (idempotent)."""

import time

from django.core.management.base import BaseCommand, CommandError

from units.importers import (
    LEGACY_VALID_FROM,
    UnitImportError,
    import_units,
    parse_date,
    rows_from_csv,
    rows_from_package,
)


class Command(BaseCommand):
    help = (
        "Import administrative units from the vietnamadminunits package (legacy units valid to 30/6/2025, "
        "post-reform units from 1/7/2025, and the 2025 successions) or from a CSV file with the columns "
        "code, name, kind, level, parent_code, valid_from, valid_to. Re-running changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", default="01", help="Province code in the package (default 01, Hà Nội).")
        parser.add_argument("--csv", dest="csv_file", help="Import this CSV file (UTF-8) instead of the package.")
        parser.add_argument(
            "--legacy-from",
            default=LEGACY_VALID_FROM.isoformat(),
            help="First day of validity given to the package's legacy units (the package has no dates).",
        )

    def handle(self, *args, province, csv_file, legacy_from, **options):
        started = time.perf_counter()
        try:
            if csv_file:
                with open(csv_file, encoding="utf-8-sig") as fh:
                    rows, successions = rows_from_csv(fh.read()), []
            else:
                rows, successions = rows_from_package(province, legacy_from=parse_date(legacy_from))
            result = import_units(rows, successions)
        except UnitImportError as exc:
            for line, message in exc.errors:
                self.stderr.write(f"line {line}: {message}" if line else message)
            raise CommandError("Nothing was imported.")
        except OSError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"{result} in {time.perf_counter() - started:.2f}s")
