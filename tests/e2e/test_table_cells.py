"""Phone and reference numbers stay on one line in both tables, however narrow the window.

QA saw "+852 / 95608947" and "CUST- / 00000016" split over two lines on the failed bindings
report, and reference numbers split on the customer list: read across the line break, one
number looks like two.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

REPORT = "/customers/failed-bindings/"

# The texts of a column's cells that take more than one line on screen.
WRAPPED_CELLS = """(table, header) => {
  const headers = [...table.querySelectorAll('thead th')].map((th) => th.innerText.trim());
  const column = headers.indexOf(header);
  if (column < 0) throw new Error(`no column ${header} in ${headers}`);
  const wrapped = [];
  let seen = 0;
  for (const row of table.querySelectorAll('tbody tr')) {
    const cell = row.children[column];
    if (!cell || cell.innerText.trim() === '—') continue;
    seen += 1;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    if (lines.size > 1) wrapped.push(cell.innerText);
  }
  return {seen, wrapped};
}"""


def assert_on_one_line(page: Page, table, header: str) -> None:
    expect(table.locator("tbody tr").first).to_be_visible()
    result = table.evaluate(WRAPPED_CELLS, header)
    assert result["seen"] >= 5, f"too few {header} cells to tell: {result}"
    width = page.viewport_size["width"]
    wrapped = result["wrapped"]
    assert not wrapped, f"{header} split over lines at {width} px: {wrapped[:5]}"


@pytest.mark.parametrize("width", [800, 1280])
def test_report_keeps_phone_and_reference_numbers_on_one_line(page_as, scanned, width):
    page = page_as("finance")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(REPORT)
    table = page.locator("#binding-table table")

    assert_on_one_line(page, table, "Phone")
    assert_on_one_line(page, table, "Reference number")


@pytest.mark.parametrize("width", [800, 1280])
def test_customer_list_keeps_phone_and_reference_numbers_on_one_line(page_as, live_sandbox, width):
    page = page_as("agent")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/customers/")
    table = page.get_by_role("table", name="Customers")

    assert_on_one_line(page, table, "Phone")
    assert_on_one_line(page, table, "Reference number")
