"""The failed bindings report's filters look like the customer list's and line up.

QA saw the report's search box, selects and date inputs as the browser's plain controls,
each label beside its control with a colon, beside the customer list's Bootstrap filters
(small label above a small control).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from .journey_helpers import assert_accessible

REPORT = "/customers/failed-bindings/"


def look(control: Locator) -> dict[str, str]:
    """What a user sees of a control's box: height, text size, border, corners, chevron."""
    return control.evaluate(
        """(element) => {
          const style = getComputedStyle(element);
          return {height: element.getBoundingClientRect().height, fontSize: style.fontSize,
                  border: `${style.borderTopWidth} ${style.borderTopColor}`,
                  radius: style.borderTopLeftRadius, chevron: style.backgroundImage !== 'none'};
        }"""
    )


def label_size(page: Page, text: str) -> str:
    return page.locator("form.filters label", has_text=text).first.evaluate(
        "(label) => getComputedStyle(label).fontSize"
    )


# Each filter's label and control boxes, and the Apply button's.
FILTER_BOXES = """(form) => {
  const box = (element) => {
    const rect = element.getBoundingClientRect();
    return {left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom};
  };
  return {
    filters: [...form.querySelectorAll('.filter')].map((filter) => ({
      label: filter.querySelector('label').innerText,
      labelBox: box(filter.querySelector('label')),
      controls: [...filter.querySelectorAll('input, select')].map(box),
    })),
    apply: box(form.querySelector('button[type=submit]')),
    formRight: form.getBoundingClientRect().right,
  };
}"""


def test_report_filters_look_like_the_customer_lists(page_as, scanned):
    page = page_as("finance")
    page.goto("/customers/")
    list_select = look(page.get_by_role("combobox", name="Source type"))
    list_label = label_size(page, "Source type")

    page.goto(REPORT)
    assert look(page.get_by_role("combobox", name="Source type")) == list_select
    assert look(page.get_by_role("combobox", name="Error code")) == list_select
    # Text and date boxes: the same height, text size, border and corners, without a chevron.
    box = {**list_select, "chevron": False}
    assert look(page.get_by_role("textbox", name="Search")) == box
    assert look(page.get_by_label("First seen from")) == box
    assert look(page.get_by_label("First seen to")) == box
    assert label_size(page, "Source type") == list_label
    # Labels as the list words them: no colon.
    expect(page.locator("form.filters label", has_text=":")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.parametrize("width", [800, 1280])
def test_report_filters_line_up_and_wrap_within_the_page(page_as, scanned, width):
    page = page_as("finance")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(REPORT)
    layout = page.locator("form.filters").evaluate(FILTER_BOXES)

    rows: dict[int, list[float]] = {}
    for filter_ in layout["filters"]:
        label, controls = filter_["labelBox"], filter_["controls"]
        assert controls, filter_
        for control in controls:
            # The label sits above its control(s), starting at the same left edge as the first.
            assert label["bottom"] <= control["top"] + 1, filter_
        assert abs(label["left"] - controls[0]["left"]) <= 1, filter_
        # A filter's controls (a date range's two) stay side by side on one line.
        assert len({round(control["bottom"]) for control in controls}) == 1, filter_
        assert controls[-1]["right"] <= layout["formRight"] + 1, f"cut off at {width} px"
        rows.setdefault(round(label["top"]), []).append(controls[0]["bottom"])
    # Filters in a row have their controls' bottoms level, and Apply's with the last row's.
    for bottoms in rows.values():
        assert max(bottoms) - min(bottoms) <= 1, rows
    last_row = rows[max(rows)]
    assert abs(layout["apply"]["bottom"] - last_row[0]) <= 1, (layout["apply"], rows)
    # Several filters to a row, not one per line, and the page never scrolls sideways.
    assert len(rows) <= (2 if width >= 1280 else 4), rows
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
