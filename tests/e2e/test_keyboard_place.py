"""A keyboard user keeps their place when a table is re-rendered, sees which column the report
is sorted by, and Back goes back one state, not one request.

QA saw, on the failed bindings report: Enter on the "Error code" header (or on "next »")
left focus on the page's body, so a second Enter did nothing and Tab started again from the
header; the same after "Save columns", and on the customer list's pager. The sorted header
looked like every other one (``<th class="desc orderable">``, no style, no aria-sort). And
choosing a filter then pressing Apply pushed the same URL twice: Back needed two presses.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

REPORT = "/customers/failed-bindings/"

# What the browser draws after a header's link: the ::after content, "none" when none.
AFTER_CONTENT = "(link) => getComputedStyle(link, '::after').content"


def report_table(page: Page):
    return page.get_by_role("table", name="Failed card bindings")


def test_report_shows_and_says_the_current_sort(page_as, scanned):
    page = page_as("finance")
    page.goto(REPORT + "?sort=error_code")
    header = report_table(page).get_by_role("columnheader", name="Error code")
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert "▲" in header.get_by_role("link").evaluate(AFTER_CONTENT)
    other = report_table(page).get_by_role("columnheader", name="Name", exact=True)
    expect(other).not_to_have_attribute("aria-sort", re.compile(r".*"))
    assert other.get_by_role("link").evaluate(AFTER_CONTENT) == "none"

    page.goto(REPORT + "?sort=-error_code")
    expect(header).to_have_attribute("aria-sort", "descending")
    assert "▼" in header.get_by_role("link").evaluate(AFTER_CONTENT)
