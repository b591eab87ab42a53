"""A keyboard user keeps their place when a table is re-rendered, sees which column the report
is sorted by, and Back goes back one state, not one request.

QA saw, on the failed bindings report: Enter on the "Error code" header (or on "next »")
left focus on the page's body, so a second Enter did nothing and Tab started again from the
header; the same after "Save columns", and on the customer list's pager. The sorted header
looked like every other one (``<th class="desc orderable">``, no style, no aria-sort). And
choosing a filter then pressing Apply pushed the same URL twice: Back needed two presses.
"""

from __future__ import annotations

import dataclasses
import re

from playwright.sync_api import Page, expect

from customers_app.bindings import views as bindings_views
from customers_app.models import FailedBinding

REPORT = "/customers/failed-bindings/"

# What the browser draws after a header's link: the ::after content, "none" when none.
AFTER_CONTENT = "(link) => getComputedStyle(link, '::after').content"


def report_table(page: Page):
    return page.get_by_role("table", name="Failed card bindings")


def assert_focus_is_on_then_tab_stays_in(page: Page, region_id: str) -> None:
    """Focus is on the region ``region_id``, and Tab goes on from there, not from the page's
    header."""
    expect(page.locator(f"#{region_id}")).to_be_focused()
    page.keyboard.press("Tab")
    focus_inside = page.evaluate(
        "(id) => document.getElementById(id).contains(document.activeElement)", region_id
    )
    assert focus_inside, page.evaluate("() => document.activeElement.outerHTML")


def test_report_sort_and_paging_keep_the_keyboard_place(page_as, scanned, monkeypatch):
    # Three pages of the sandbox's failing bindings: a middle one has both pager links.
    monkeypatch.setattr(
        bindings_views,
        "FAILED_BINDING_LIST",
        dataclasses.replace(bindings_views.FAILED_BINDING_LIST, per_page=25),
    )
    assert 50 < FailedBinding.objects.filter(resolved_at__isnull=True).count() <= 75
    page = page_as("finance")
    page.goto(REPORT)

    sort_link = report_table(page).get_by_role("link", name="Error code")
    sort_link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]sort=error_code\b"))
    expect(sort_link).to_be_focused()

    # A second Enter works on the same header: the sort turns round.
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]sort=-error_code\b"))
    expect(sort_link).to_be_focused()

    next_link = page.get_by_role("link", name=re.compile(r"^next"))
    next_link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]page=2\b"))
    expect(page.get_by_role("link", name=re.compile(r"^previous"))).to_be_visible()
    expect(next_link).to_be_focused()

    # The last page has no "next": focus goes to the table's region, and Tab goes on from
    # there, not from the page's header.
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]page=3\b"))
    assert_focus_is_on_then_tab_stays_in(page, "binding-table")


def test_saving_columns_from_the_keyboard_returns_to_the_chooser(page_as, scanned):
    page = page_as("finance")
    page.goto(REPORT)
    chooser = page.locator("#binding-table details.column-chooser")
    summary = chooser.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    card_brand = chooser.get_by_role("checkbox", name="Card brand")
    card_brand.focus()
    page.keyboard.press("Space")
    expect(card_brand).to_be_checked()
    chooser.get_by_role("button", name="Save columns").focus()
    page.keyboard.press("Enter")

    expect(report_table(page).get_by_role("columnheader", name="Card brand")).to_be_visible()
    expect(page.locator("#binding-table details.column-chooser summary")).to_be_focused()


def test_customer_list_paging_keeps_the_keyboard_place(page_as, live_sandbox):
    page = page_as("agent")
    page.goto("/customers/")
    pages = page.get_by_role("navigation", name="Pages of customers")

    next_link = pages.get_by_role("link", name="Next")
    next_link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]page=2\b"))
    expect(pages.get_by_role("link", name="Previous")).to_be_visible()
    expect(next_link).to_be_focused()

    # Page 3's link becomes plain text on page 3: focus goes to the results region instead.
    pages.get_by_role("link", name="3", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]page=3\b"))
    assert_focus_is_on_then_tab_stays_in(page, "customer-results")


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


def history_length(page: Page) -> int:
    return page.evaluate("() => history.length")


def _after_a_swap(page: Page, action) -> None:
    """Do ``action``, then wait until htmx has swapped its answer in (history is updated
    just before the swap). Counting starts when the action does: a swap still coming from
    an earlier action must be waited for first (``select_and_wait_for_swap``), or it would
    be taken for this one's and the test would go on while this request is in flight."""
    page.evaluate(
        """() => { window.swapsSeen = 0;
        document.body.addEventListener('htmx:afterSettle', () => { window.swapsSeen += 1; }); }"""
    )
    action()
    page.wait_for_function("() => window.swapsSeen > 0")


def click_and_wait_for_swap(page: Page, button) -> None:
    _after_a_swap(page, button.click)


def select_and_wait_for_swap(page: Page, select, value: str) -> None:
    """Choose ``value``: the filter forms ask again on "change"."""
    _after_a_swap(page, lambda: select.select_option(value))


def test_report_filter_then_apply_is_one_step_back(page_as, scanned):
    code = (
        FailedBinding.objects.exclude(error_code="")
        .order_by("error_code")
        .values_list("error_code", flat=True)
        .first()
    )
    page = page_as("finance")
    page.goto(REPORT)
    start_url, start_length = page.url, history_length(page)

    select_and_wait_for_swap(page, page.get_by_role("combobox", name="Error code"), code)
    expect(page).to_have_url(re.compile(rf"[?&]error_code={re.escape(code)}\b"))
    filtered_url = page.url
    click_and_wait_for_swap(page, page.get_by_role("button", name="Apply"))
    expect(page).to_have_url(filtered_url)
    assert history_length(page) == start_length + 1

    page.go_back()
    expect(page).to_have_url(start_url)
    expect(page.get_by_role("combobox", name="Error code")).to_have_value("")


def test_customer_list_rows_per_page_then_apply_is_one_step_back(page_as, live_sandbox):
    page = page_as("agent")
    page.goto("/customers/")
    start_url, start_length = page.url, history_length(page)

    select_and_wait_for_swap(page, page.get_by_label("Rows per page"), "25")
    expect(page).to_have_url(re.compile(r"[?&]page_size=25\b"))
    click_and_wait_for_swap(page, page.get_by_role("button", name="Apply"))
    assert history_length(page) == start_length + 1

    page.go_back()
    expect(page).to_have_url(start_url)
    expect(page.get_by_label("Rows per page")).to_have_value("50")
