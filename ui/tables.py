"""What every django-tables2 table of the dashboard shares: one-line cells, the sorted
header's ``aria-sort``, and dates in local time on the page and in exports alike."""

import django_tables2 as tables
from django.utils import dateformat
from django.utils.timezone import template_localtime

__all__ = [
    "DATA_CELLS",
    "ONE_LINE_DATA_CELLS",
    "ONE_LINE_CELLS",
    "LocalDateTimeColumn",
    "aria_sort",
]

# Cells that stay on one line: a wrapped "+852 / 9123 4567" reads as two numbers, and
# "CUST- / 00000016" as two references. A class on the column's cells, written once per
# table by both row renderings (table_rows.td_open_tag).
ONE_LINE_CELLS = {"td": {"class": "text-nowrap"}}
# Cells that hold data as it came (names, emails, Wonder's codes and messages), not the
# dashboard's words: ``translate="no"`` keeps browser translators off them, and the test that
# finds English left on a translated page (tests/test_translated_pages.py) skips them.
DATA_CELLS = {"td": {"translate": "no"}}
ONE_LINE_DATA_CELLS = {"td": {"class": "text-nowrap", "translate": "no"}}


def aria_sort(bound_column) -> str | None:
    """The header's aria-sort, on the sorted column only: its th carries class "asc" or
    "desc", which a screen reader does not read out."""
    if not bound_column.is_ordered:
        return None
    return "descending" if bound_column.order_by_alias.is_descending else "ascending"


class LocalDateTimeColumn(tables.DateTimeColumn):
    """A date and time in the local timezone, formatted like the ``date`` filter would, on the
    page and in exports alike.

    The stock ``DateTimeColumn`` compiles its one-line template again for every cell (four
    columns x 50 rows on the report); formatting directly gives the same text.
    """

    # The stock column is a TemplateColumn, which takes every value, None included, to its
    # template (empty_values=()); render() does not: an empty date is the table's empty
    # marker on the page and an empty cell in an export.
    empty_values = (None, "")

    def __init__(self, *, format: str, **kwargs) -> None:
        super().__init__(format=format, **kwargs)
        self.format = format

    def render(self, value, **kwargs) -> str:
        """The value as ``format``, in the current timezone (empty values never get here)."""
        return dateformat.format(template_localtime(value), self.format)

    def value(self, value, **kwargs) -> str:
        """The export's text: what the page shows, not the stock column's UTC ISO value
        (``2026-11-24 01:06:59.939813+00:00`` beside a page saying ``2026-11-24 09:06``)."""
        return self.render(value)
