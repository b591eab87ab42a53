"""Exports of a django-tables2 table as CSV (streamed) or XLSX, safe to open in a spreadsheet.

The file holds the table's visible columns in their order, only what the page shows (card
numbers already masked, no token values). Every text cell that a spreadsheet would read as
a formula gets a leading apostrophe.

XLSX goes through openpyxl's write-only mode, row by row: tablib's export built every cell
as an object first (50,000 rows took ~285 MB more of a worker's memory, against ~17 MB),
and stopped with an error on a control character that XML cannot hold.
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
from collections.abc import Iterable, Iterator

import django_tables2 as tables
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

__all__ = [
    "EXPORT_FAILED_TEXT",
    "EXPORT_FORMATS",
    "csv_lines",
    "spreadsheet_safe",
    "table_rows",
    "xlsx_bytes",
]

EXPORT_FORMATS = ("csv", "xlsx")
# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP's list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Column widths are fitted to the header and this many first rows (characters, capped).
_WIDTH_SAMPLE_ROWS = 200
_MAX_COLUMN_WIDTH = 60

logger = logging.getLogger(__name__)


def spreadsheet_safe(value) -> str:
    """The cell as text, with a leading ``'`` when it would otherwise run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def table_rows(table: tables.Table) -> Iterator[list[str]]:
    """The header, then each row: visible columns only, in order, every cell made safe."""
    hidden = [column.name for column in table.columns.iterall() if not column.visible]
    for row in table.as_values(exclude_columns=hidden):
        yield [spreadsheet_safe(cell) for cell in row]


class _Echo:
    """A file-like object that hands back what is written, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


# The header and this many rows are rendered before a streamed CSV response is handed back.
_ROWS_CHECKED_BEFORE_STREAMING = 100
EXPORT_FAILED_TEXT = "EXPORT FAILED: this file is incomplete"


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text one line at a time (the header first), so a large export streams instead of
    piling up.

    A failure must never pass for a short file. Once a streamed response's first byte is
    out its status cannot change, so a failure is caught in two places:

    - The header and the first 100 rows are rendered here, before the response exists. A
      fault that breaks every row (a column that cannot render some value) fails here, as
      an ordinary 500 with its traceback logged, and nobody gets a file.
    - A row that fails later ends the file with an ``EXPORT FAILED`` line for whoever opens
      it, and the error is raised again so the server aborts the transfer: without its last
      chunk the browser marks the download as failed instead of complete.

    Rendering every row first would settle it too, but holds the whole export (50,000 rows)
    in a worker's memory, which streaming exists to avoid.
    """
    writer = csv.writer(_Echo())
    remaining = iter(rows)
    # A byte-order mark so Excel reads the UTF-8 (Chinese names) correctly.
    checked = ["\ufeff", *(writer.writerow(header) for header in itertools.islice(remaining, 1))]
    first_rows = itertools.islice(remaining, _ROWS_CHECKED_BEFORE_STREAMING)
    checked_rows = [writer.writerow(row) for row in first_rows]
    # Worked out now, in the request's language: the rest streams after the view returned.
    failure_notice = gettext("%(failed)s: it stops after %(rows)s rows.")
    rest = _csv_lines_or_failure(
        remaining, writer=writer, rows_written=len(checked_rows), failure_notice=failure_notice
    )
    return itertools.chain(checked, checked_rows, rest)


def _csv_lines_or_failure(
    rows: Iterator[list[str]], *, writer, rows_written: int, failure_notice: str
) -> Iterator[str]:
    """The remaining rows' lines; a failing row ends them with a failure line, then raises."""
    try:
        for row in rows:
            yield writer.writerow(row)
            rows_written += 1
    except Exception:
        logger.exception("CSV export failed after %d rows; the file says so", rows_written)
        notice = failure_notice % {"failed": EXPORT_FAILED_TEXT, "rows": f"{rows_written:,}"}
        yield writer.writerow([notice])
        raise


def xlsx_bytes(rows: Iterable[list[str]], *, title: str) -> bytes:
    """An XLSX workbook of the rows (the first is the header, bold and frozen), written row
    by row. Characters XML cannot hold (control characters) are dropped from cells."""
    iterator = iter(rows)
    header = next(iterator, [])
    sample = list(itertools.islice(iterator, _WIDTH_SAMPLE_ROWS))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    sheet.freeze_panes = "A2"
    # Widths must be set before the first row in write-only mode.
    for index, width in enumerate(_column_widths([header, *sample]), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=_xml_safe(value))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in itertools.chain(sample, iterator):
        sheet.append([_xml_safe(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _xml_safe(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _sheet_title(title: str) -> str:
    # Excel's limits: 31 characters, none of []:*?/\
    cleaned = "".join(" " if character in "[]:*?/\\" else character for character in title)
    return cleaned.strip()[:31] or "Export"


def _column_widths(rows: list[list[str]]) -> list[float]:
    widths: list[float] = []
    for row in rows:
        for index, value in enumerate(row):
            width = min(len(value) + 2, _MAX_COLUMN_WIDTH)
            if index == len(widths):
                widths.append(width)
            else:
                widths[index] = max(widths[index], width)
    return widths
