"""When htmx changes the customer list, screen readers hear the new result line (the one
live region), not the ~900 elements of the table."""

from __future__ import annotations

from playwright.sync_api import expect


def test_a_filter_change_updates_the_announced_result_line(page_as, live_sandbox):
    page = page_as("agent")
    page.goto("/customers/")
    live = page.locator("[aria-live]")
    expect(live).to_have_count(1)
    expect(live).to_have_text("1-50 of 500")
    page.get_by_label("Rows per page").select_option("25")
    expect(page.locator("#customer-results table tbody tr")).to_have_count(25)
    expect(live).to_have_count(1)
    expect(live).to_have_text("1-25 of 500")
    page.locator("#customer-results").get_by_role("link", name="Next").click()
    expect(live).to_have_text("26-50 of 500")
    assert page.locator("#customer-results [aria-live]").count() == 0
