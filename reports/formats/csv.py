"""CSV: every section's rows, one line each, prefixed by the section (UTF-8 with a BOM for Excel)."""

import csv
import io

from reports.formats import report_sections


def write_csv(data: dict, out) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(["section", "unit_code", "period_start", "period_end", "row", "values..."])
    head = [data["unit"]["code"], data["period"]["start"], data["period"]["end"]]
    for section in report_sections(data):
        writer.writerow([section.key, *head, "#", *section.headers])
        for row in section.rows:
            writer.writerow([section.key, *head, *["" if v is None else v for v in row]])
    text.flush()
    text.detach()
