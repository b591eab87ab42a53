"""The browser's Back button after htmx paging: the right page comes back, with no CSP errors.

QA saw about forty "Applying inline style violates ... style-src 'self'" errors on one Back,
now and then. htmx kept a copy of each page's HTML in sessionStorage and re-inserted it on
Back; an element whose style a script had touched through the CSSOM (which the CSP allows)
carries a ``style`` attribute in that copy, and re-inserted as HTML the attribute is an inline
style, which the CSP blocks. Back now asks the server for the page (``historyCacheSize: 0``).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .journey_helpers import shown_reference_numbers

# What any script using the CSSOM leaves behind: set and cleared, the element keeps style="".
TOUCH_ROW_STYLES = """() => {
  for (const row of document.querySelectorAll('#customer-results tbody tr')) {
    row.style.color = 'inherit';
    row.style.color = '';
  }
  return document.querySelectorAll('[style]').length;
}"""


def test_back_after_paging_a_store_list_restores_it_without_csp_errors(
    page_as, dashboard_url, live_sandbox
):
    page = page_as("agent")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=dashboard_url)
    page.goto("/customers/")
    page.get_by_label("Source type").select_option("Store")
    expect(page).to_have_url(re.compile(r"linked_source_type=Store"))
    first_store_page = [c["reference_number"] for c in live_sandbox.store.page("Store", 0, 50)]
    assert shown_reference_numbers(page) == first_store_page
    page.get_by_text("Columns", exact=True).click()
    copy_button = page.get_by_role("table", name="Customers").locator("[data-copy]").first
    copy_button.click()
    expect(copy_button).to_have_text("Copied")
    assert page.evaluate(TOUCH_ROW_STYLES) > 0, "the rows should carry style attributes now"

    page.get_by_role("navigation", name="Pages of customers").get_by_role(
        "link", name="Next"
    ).click()
    expect(page).to_have_url(re.compile(r"[?&]page=2\b"))
    page.go_back()

    expect(page).not_to_have_url(re.compile(r"[?&]page=2\b"))
    expect(page.get_by_label("Source type")).to_have_value("Store")
    # The URL is back before the page is: it is fetched again (no copy kept, below). Under
    # load (CI, PostgreSQL run) the rows were read while page 2's were still shown.
    table = page.get_by_role("table", name="Customers")
    expect(table.get_by_text(first_store_page[0], exact=True)).to_be_visible()
    assert shown_reference_numbers(page) == first_store_page
    expect(page.get_by_role("heading", name="Customers")).to_have_count(1)
    # No copy of customer data is kept in the tab's storage for Back to use.
    assert page.evaluate("() => sessionStorage.getItem('htmx-history-cache')") is None
    # Any CSP error on the way (the point of this test) fails it through browser_problems.
