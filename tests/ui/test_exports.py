"""A streamed CSV export never passes a failure off as a complete, shorter file."""

from __future__ import annotations

import csv
import io

import pytest

from ui.exports import EXPORT_FAILED_TEXT, csv_lines


class RowsBroken(Exception):
    """What a table raises when one of its rows cannot be rendered."""


def _rows_failing_at(count: int, *, failing_row: int | None):
    """A header, then ``count`` rows, of which number ``failing_row`` (1-based) cannot render."""
    yield ["Reference number", "Name"]
    for number in range(1, count + 1):
        if number == failing_row:
            raise RowsBroken(f"row {number}")
        yield [f"REF-{number}", f"Customer {number}"]


def _parsed(lines: list[str]) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines).removeprefix("\ufeff"))))


def test_every_row_is_written_after_the_header_and_a_byte_order_mark():
    lines = list(csv_lines(_rows_failing_at(250, failing_row=None)))
    assert lines[0] == "\ufeff"
    rows = _parsed(lines)
    assert rows[0] == ["Reference number", "Name"]
    assert rows[1:] == [[f"REF-{n}", f"Customer {n}"] for n in range(1, 251)]


def test_a_failure_in_the_first_rows_is_raised_before_anything_is_streamed():
    # Raised by csv_lines() itself, so the view fails with a 500 before any response exists.
    with pytest.raises(RowsBroken):
        csv_lines(_rows_failing_at(250, failing_row=1))
    with pytest.raises(RowsBroken):
        csv_lines(_rows_failing_at(250, failing_row=100))


def test_a_failure_later_ends_the_file_with_a_failure_line_and_aborts_the_stream(caplog):
    lines = csv_lines(_rows_failing_at(250, failing_row=150))
    written = []
    with pytest.raises(RowsBroken):
        for line in lines:
            written.append(line)
    rows = _parsed(written)
    assert rows[-2] == ["REF-149", "Customer 149"]
    assert rows[-1] == [f"{EXPORT_FAILED_TEXT}: it stops after 149 rows."]
    assert "CSV export failed after 149 rows" in caplog.text
