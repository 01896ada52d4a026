"""CSV: every section's rows, one line each, prefixed by the section (UTF-8 with a BOM for Excel).

Headers, section names and dates are written as the portal shows them (Vietnamese, dd/mm/yyyy): the
CSV is read by people in a spreadsheet; the JSON format is the one for programs.
"""

import csv
import io

from django.utils.translation import gettext as _

from reports.formats import provisional_note, report_sections, vn_date


def write_csv(data: dict, out) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([_("Section"), _("Unit code"), _("From"), _("To"), _("Row"), _("Values…")])
    head = [data["unit"]["code"], vn_date(data["period"]["start"]), vn_date(data["period"]["end"])]
    note = provisional_note(data)
    if note:
        writer.writerow([_("Note"), *head, note])
    for section in report_sections(data):
        writer.writerow([section.title, *head, _("column headers"), *section.headers])
        for row in section.rows:
            writer.writerow([section.title, *head, *["" if v is None else v for v in row]])
    text.flush()
    text.detach()
