"""Exports of a django-tables2 table as CSV (streamed) or XLSX, safe to open in a spreadsheet.

The file holds the table's visible columns in their order, only what the page shows (card
numbers already masked, no token values). Every text cell that a spreadsheet would read as
a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

import django_tables2 as tables
import tablib

__all__ = ["EXPORT_FORMATS", "csv_lines", "spreadsheet_safe", "table_rows", "xlsx_bytes"]

EXPORT_FORMATS = ("csv", "xlsx")
# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP's list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text one line at a time, so a large export streams instead of piling up."""
    writer = csv.writer(_Echo())
    # A byte-order mark so Excel reads the UTF-8 (Chinese names) correctly.
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(rows: Iterable[list[str]], *, title: str) -> bytes:
    """An XLSX workbook of the rows (the first is the header); built in memory, so capped."""
    iterator = iter(rows)
    dataset = tablib.Dataset(headers=next(iterator, []), title=title[:31])
    for row in iterator:
        dataset.append(row)
    return dataset.export("xlsx")
