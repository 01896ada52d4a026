"""XLSX: a sheet per section, plain numbers (no formulas), written in openpyxl's write-only mode.

Columns are sized to what they hold (write-only sheets take widths before their first row) and
dates read dd/mm/yyyy.
"""

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from audit.spreadsheet import column_widths, set_widths
from reports.formats import Share, provisional_note, report_sections, vn_date

FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


MAX_TITLE = 31


def _cut(text: str, limit: int) -> str:
    """Return `text` cut to at most `limit` characters at a word boundary (a single long word is cut)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0]
    return cut if 0 < len(cut) <= limit else text[:limit].strip()


def sheet_title(title: str, used: set) -> str:
    """Return an Excel-safe, unique sheet title of at most 31 characters, not cutting words."""
    base = _cut(title.translate(FORBIDDEN), MAX_TITLE) or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = _cut(base, MAX_TITLE - len(suffix)) + suffix, n + 1
    used.add(name.lower())
    return name


def _cell(sheet, value, bold=False):
    if isinstance(value, Share):
        cell = WriteOnlyCell(sheet, value=float(value))
        cell.number_format = "0.0%"
    else:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text that starts with "=" stays text: no formulas in a report
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(data: dict, out) -> None:
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for section in report_sections(data):
        sheet = workbook.create_sheet(sheet_title(section.short or section.title, used))
        # The title and period lines run across the table: they do not size the first column.
        set_widths(sheet, column_widths([section.headers, *section.rows]))
        sheet.append([_cell(sheet, section.title, bold=True)])
        period = (
            f"{data['unit']['display_name']} — {vn_date(data['period']['start'])} … {vn_date(data['period']['end'])}"
        )
        sheet.append([_cell(sheet, period)])
        if note := provisional_note(data):
            sheet.append([_cell(sheet, note, bold=True)])
        sheet.append([_cell(sheet, text, bold=True) for text in section.headers])
        for row in section.rows:
            sheet.append([_cell(sheet, value) for value in row])
    workbook.save(out)
