"""python manage.py build_report --unit CODE --start YYYY-MM-DD --end YYYY-MM-DD --format json|csv|xlsx|pdf
--output FILE [--as-of-today-units]

Builds the same report as the portal, from the command line, without storing it. The unit is
the one that bore CODE on the end date, or, if none did, on the start date (codes were reused in
2025). `--output -` writes to standard output.
"""

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from reports import builder
from reports.services import render_report
from units.models import AdministrativeUnit


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}")


class Command(BaseCommand):
    help = "Build a report of a unit and everything below it for a period, in JSON, CSV, XLSX or PDF."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Official (GSO) code of the unit.")
        parser.add_argument("--start", required=True, type=_date)
        parser.add_argument("--end", required=True, type=_date)
        parser.add_argument("--format", required=True, choices=["json", "csv", "xlsx", "pdf"])
        parser.add_argument("--output", required=True, help="File to write, or - for standard output.")
        parser.add_argument(
            "--as-of-today-units",
            action="store_true",
            help="Count the records of abolished units on the units that took them over.",
        )

    def handle(self, *args, unit, start, end, format, output, as_of_today_units, **options):
        if end < start:
            raise CommandError("--end is before --start")
        try:
            unit_obj = builder.unit_for_code(unit, start, end)
        except AdministrativeUnit.DoesNotExist:
            raise CommandError(f"No unit bore the code {unit} on {end} or on {start}.")
        except AdministrativeUnit.MultipleObjectsReturned:
            raise CommandError(f"Several units bore the code {unit} on that date; fix the unit table.")
        data = builder.build_report_data(unit=unit_obj, start=start, end=end, as_of_today_units=as_of_today_units)
        content = render_report(data, format)
        if output == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            with open(output, "wb") as out:
                out.write(content)
            self.stderr.write(f"{unit_obj} {start}…{end}: {len(content)} bytes → {output}")
