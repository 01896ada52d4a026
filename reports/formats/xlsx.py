"""XLSX: a sheet per section, plain numbers (no formulas), written in openpyxl's write-only mode."""

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from reports.formats import Share, report_sections

FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def sheet_title(title: str, used: set) -> str:
    """Return an Excel-safe, unique sheet title (at most 31 characters)."""
    base = title.translate(FORBIDDEN)[:31].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
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
        sheet = workbook.create_sheet(sheet_title(section.title, used))
        sheet.append([_cell(sheet, section.title, bold=True)])
        period = f"{data['unit']['display_name']} — {data['period']['start']} … {data['period']['end']}"
        sheet.append([_cell(sheet, period)])
        sheet.append([_cell(sheet, text, bold=True) for text in section.headers])
        for row in section.rows:
            sheet.append([_cell(sheet, value) for value in row])
    workbook.save(out)
