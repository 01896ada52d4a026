"""Column widths of the portal's XLSX files (admin exports, reports): columns sized to what they hold.

openpyxl's write-only sheets take their column widths before their first row, so the widths are
computed from the rows at hand (a report's sections, an export's headers and first rows).
"""

from collections.abc import Iterable, Sequence

from openpyxl.utils import get_column_letter

MIN_WIDTH, MAX_WIDTH = 8, 60


def column_widths(rows: Iterable[Sequence]) -> list[float]:
    """Return a width per column (in characters, as Excel measures them) fitting its longest cell."""
    widths: list[float] = []
    for row in rows:
        for i, value in enumerate(row):
            if value is None:
                length = 0
            elif isinstance(value, float):
                length = 8  # a share as "45,2%" or a rounded number
            else:
                length = max((len(line) for line in str(value).splitlines()), default=0)
            if i == len(widths):
                widths.append(MIN_WIDTH)
            widths[i] = max(widths[i], min(MAX_WIDTH, length + 2))
    return widths


def set_widths(sheet, widths: Sequence[float]) -> None:
    """Give a (write-only) sheet its column widths; call it before the sheet's first row."""
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
