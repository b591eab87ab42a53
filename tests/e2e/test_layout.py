"""What the tables and the jump box look like at 800 and 1280 px: words stay whole, the table
scrolls inside its own box, the page itself never scrolls sideways, nothing is cut off.

QA saw, at 800 px, "Mand / y / Fung" and "chow / sm@i / cloud. / com" (cells allowed to break
anywhere shrank to a letter) beside wide Phone and Token state columns, and at 1280 px
"CreditCar / d" and a jump box reading "Wonder uuid or referen". Phone and reference numbers
stay on one line in both tables: QA saw "+852 / 95608947" and "CUST- / 00000016" on the report,
and read across the line break one number looks like two.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

# Words split across two lines inside the table's cells, except those too long for any cell
# (longer than the cell's max-width): those may break anywhere, as a last resort.
SPLIT_WORDS = """(table) => {
  const canvas = document.createElement('canvas').getContext('2d');
  const split = [];
  const CJK = /[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\uff00-\\uffef]/u;
  for (const cell of table.querySelectorAll('tbody td')) {
    const style = getComputedStyle(cell);
    const limit = (parseFloat(style.maxWidth) || Infinity)
      - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      canvas.font = getComputedStyle(node.parentElement).font;
      // Runs of letters, digits and . @ _ (a hyphen may end one: a line may break after it).
      // Not Chinese or Japanese text, which may break between any two characters.
      for (const match of node.data.matchAll(/[\\p{L}\\p{N}@._]+-?/gu)) {
        if (CJK.test(match[0])) continue;
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lines.size > 1 && canvas.measureText(match[0]).width < limit) split.push(match[0]);
      }
    }
  }
  return split;
}"""

# Whether the page scrolls sideways, and whether the table's box shows all of the table:
# wider than the box, it must scroll (overflow-x auto) rather than clip.
BOX_STATE = """(table) => {
  const box = table.closest('.table-responsive');
  return {
    pageScrollsSideways: document.documentElement.scrollWidth > window.innerWidth,
    inBox: box !== null,
    boxOverflowX: box && getComputedStyle(box).overflowX,
    boxClientWidth: box && box.clientWidth,
    boxScrollWidth: box && box.scrollWidth,
    tableWidth: table.getBoundingClientRect().width,
  };
}"""


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
    // The lines the cell's text sits on (text nodes only: a box around the text, such as
    // the ellipsis span of a long value, has its own top but is not a line of text).
    const lines = new Set();
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.data.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) lines.add(Math.round(rect.top));
    }
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


def assert_table_readable_and_scrollable(page: Page, table) -> None:
    expect(table.locator("tbody tr").first).to_be_visible()
    split = table.evaluate(SPLIT_WORDS)
    assert not split, f"words cut in the middle at {page.viewport_size['width']} px: {split[:10]}"
    state = table.evaluate(BOX_STATE)
    assert not state["pageScrollsSideways"], state
    assert state["inBox"], "the table should sit in a .table-responsive box"
    if state["tableWidth"] > state["boxClientWidth"] + 1:
        assert state["boxOverflowX"] in ("auto", "scroll"), state
        assert state["boxScrollWidth"] >= state["tableWidth"] - 1, state
        # Scrolled to the end, the last column's right edge is inside the box.
        last_header = table.locator("thead th").last
        table.evaluate("t => { t.closest('.table-responsive').scrollLeft = 1e6; }")
        box = table.evaluate("t => t.closest('.table-responsive').getBoundingClientRect().right")
        assert last_header.bounding_box()["x"] + last_header.bounding_box()["width"] <= box + 1


@pytest.mark.parametrize("width", [800, 1280])
def test_customer_table_keeps_words_whole_and_scrolls_in_its_box(page_as, live_sandbox, width):
    page = page_as("agent")
    page.set_viewport_size({"width": width, "height": 900})
    # The first page holds the sandbox's hostile rows: a 300-character name and email.
    page.goto("/customers/")
    table = page.get_by_role("table", name="Customers")

    assert_table_readable_and_scrollable(page, table)
    assert_on_one_line(page, table, "Phone")
    assert_on_one_line(page, table, "Reference number")
    # No column squeezed to a few letters while others stay wide (QA's "Mand / y / Fung").
    widths = [box["width"] for box in (th.bounding_box() for th in table.locator("thead th").all())]
    assert min(widths) >= 60, widths

    # The jump box shows its whole placeholder.
    jump_box = page.get_by_role("search").get_by_label("Find a customer")
    placeholder_fits = jump_box.evaluate(
        """(input) => {
          const style = getComputedStyle(input);
          const canvas = document.createElement('canvas').getContext('2d');
          canvas.font = style.font;
          const room = input.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
          return canvas.measureText(input.placeholder).width <= room;
        }"""
    )
    assert placeholder_fits, "the jump box cuts its placeholder short"


@pytest.mark.parametrize("width", [800, 1280])
def test_report_table_keeps_words_whole_and_scrolls_in_its_box(page_as, scanned, width):
    page = page_as("finance")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/customers/failed-bindings/")

    table = page.locator("#binding-table table")
    assert_table_readable_and_scrollable(page, table)
    assert_on_one_line(page, table, "Phone")
    assert_on_one_line(page, table, "Reference number")
