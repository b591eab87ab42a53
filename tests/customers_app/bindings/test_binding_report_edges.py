"""The failed bindings report at its edges: every column on, empty and extreme dates, dates in
exports, bad page numbers, and how numbers and empty filter choices read."""

from __future__ import annotations

import datetime
import html
import io

import openpyxl
import pytest
from django.utils import timezone

from customers_app.bindings.tables import FailedBindingTable
from customers_app.models import FailedBinding, ScanRun

from .pages import EXPORT, REPORT, csv_rows

pytestmark = pytest.mark.django_db


def _choose_every_column(finance) -> None:
    response = finance.post(
        "/customers/columns/",
        {
            "table_key": "failed_bindings",
            "columns": list(FailedBindingTable.base_columns),
            "next": REPORT,
        },
    )
    assert response.status_code == 302


def _xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_every_optional_column_shows_and_exports_even_with_empty_dates(finance, scanned):
    # Still-failing rows have no "Resolved" date and nobody has followed them up yet.
    _choose_every_column(finance)
    current = FailedBinding.objects.filter(resolved_at__isnull=True).count()
    assert current > 0

    response = finance.get(REPORT)
    assert response.status_code == 200
    table_html = response.content.decode().split('id="binding-table"', 1)[1]
    for header in ("Resolved", "Follow-up at", "Follow-up by", "Card brand"):
        assert f">{header}<" in table_html
    assert '<td class="text-nowrap">—</td>' in table_html

    rows = csv_rows(finance.get(EXPORT, {"export": "csv"}))
    header, body = rows[0], rows[1:]
    assert "Resolved" in header and "Follow-up at" in header
    assert len(body) == current
    assert {row[header.index("Resolved")] for row in body} == {""}

    xlsx = finance.get(EXPORT, {"export": "xlsx"})
    assert xlsx.status_code == 200
    xlsx_rows = _xlsx_rows(xlsx)
    assert len(xlsx_rows) == 1 + current
    assert {row[xlsx_rows[0].index("Follow-up at")] for row in xlsx_rows[1:]} == {None}


def test_exports_write_dates_as_the_page_shows_them_in_local_time(finance, scanned):
    binding = FailedBinding.objects.filter(resolved_at__isnull=True).order_by("pk").first()
    seen = datetime.datetime(2026, 11, 24, 1, 6, 59, 939813, tzinfo=datetime.UTC)
    FailedBinding.objects.filter(pk=binding.pk).update(first_seen_at=seen, followup_at=seen)
    _choose_every_column(finance)
    query = {"q": binding.reference_number}
    # Asia/Hong_Kong is UTC+8, and the page shows minutes only.
    shown = "2026-11-24 09:06"
    assert shown in finance.get(REPORT, query).content.decode()

    rows = csv_rows(finance.get(EXPORT, {"export": "csv", **query}))
    header, row = rows[0], rows[1]
    assert row[header.index("First seen")] == shown
    assert row[header.index("Follow-up at")] == shown
    assert row[header.index("Resolved")] == ""

    xlsx_header, xlsx_row = _xlsx_rows(finance.get(EXPORT, {"export": "xlsx", **query}))[:2]
    assert xlsx_row[xlsx_header.index("First seen")] == shown
    assert xlsx_row[xlsx_header.index("Resolved")] is None


@pytest.mark.parametrize("date", ["0001-01-01", "99999-01-01"])
def test_a_date_outside_what_a_datetime_holds_is_reported_and_ignored(finance, scanned, date):
    current = FailedBinding.objects.filter(resolved_at__isnull=True).count()
    response = finance.get(REPORT, {"first_seen_min": date})
    assert response.status_code == 200
    html = response.content.decode()
    assert "First seen: Enter a valid date." in html
    assert f"{current} matching bindings" in html

    export = finance.get(EXPORT, {"export": "csv", "first_seen_min": date})
    assert export.status_code == 200
    assert len(csv_rows(export)) == 1 + current


def test_a_reversed_first_seen_range_is_reported_not_silently_empty(finance, scanned):
    current = FailedBinding.objects.filter(resolved_at__isnull=True).count()
    response = finance.get(REPORT, {"first_seen_min": "2026-03-01", "first_seen_max": "2026-02-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "First seen: The “from” date is after the “to” date." in html
    assert f"{current} matching bindings" in html
    # The same day at both ends is a range of one day, not a reversed one.
    today = timezone.localdate().isoformat()
    same_day = finance.get(REPORT, {"first_seen_min": today, "first_seen_max": today})
    assert "Some filters were not understood" not in same_day.content.decode()


@pytest.mark.parametrize(
    ("page", "note"),
    [
        ("abc", "Page 'abc' is not valid; showing page 1 instead."),
        ("0", "Page '0' is not valid; showing page 1 instead."),
        ("99", "Page '99' is past the last page; showing page {last} instead."),
    ],
)
def test_a_page_number_out_of_range_is_corrected_and_said(finance, scanned, page, note):
    response = finance.get(REPORT, {"page": page})
    assert response.status_code == 200
    table = response.context["table"]
    last = table.paginator.num_pages
    assert table.page.number == (last if page == "99" else 1)
    page_text = html.unescape(response.content.decode())
    assert note.format(last=last) in page_text
    # Said with the table, which is what htmx swaps in when paging.
    assert 'class="alert alert-info py-2 correction"' in page_text.split('id="binding-table"')[1]
    # A page that exists says nothing.
    assert "instead." not in finance.get(REPORT, {"page": str(last)}).content.decode()


def test_large_numbers_read_with_thousands_separators(finance, scanned):
    ScanRun.objects.filter(status="completed").update(customers_seen=3000)
    html = finance.get(REPORT).content.decode()
    assert "3,000 customers read" in html
    assert "(at most 50,000 rows)" in html


def test_the_filters_empty_choice_reads_all_like_the_customer_list(finance, scanned):
    form = finance.get(REPORT).context["filterset"].form
    for name in ("linked_source_type", "token_type", "state", "error_code", "followup_status"):
        assert form.fields[name].choices[0] == ("", "All"), name
    assert "---------" not in finance.get(REPORT).content.decode()


def test_the_first_seen_range_reads_from_to(finance, scanned):
    html = finance.get(REPORT).content.decode()
    first_seen = html.split('aria-label="First seen from"', 1)[1].split(
        'aria-label="First seen to"'
    )[0]
    assert '<span class="range-to">to</span>' in first_seen
