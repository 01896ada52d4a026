"""`python manage.py import_conferences FILE [--dry-run]`: import conferences held before the portal.

See `conferences.importers` for the columns and the contract (all rows or none).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from conferences.importers import ImportFileError, import_conferences


class Command(BaseCommand):
    help = "Import conferences from a CSV (UTF-8) or XLSX file; nothing is imported if any row is invalid."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8) or XLSX file with a header row.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, but write nothing.")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror})
        try:
            result = import_conferences(data=data, filename=path.name, dry_run=dry_run)
        except ImportFileError as exc:
            raise CommandError(str(exc))
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.ok:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
