"""Journeys of a support agent browsing customers, in a real Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import E2E_PASSWORD
from .journey_helpers import assert_accessible, query_of, shown_reference_numbers


def test_agent_logs_in_filters_to_store_and_changes_page_size(page, make_user, live_sandbox):
    make_user("agent", username="amy")

    page.goto("/customers/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)
    page.get_by_label("Username").fill("amy")
    page.get_by_label("Password").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Customers")).to_be_visible()
    expect(page.get_by_text("Sandbox data")).to_be_visible()
    first_customers = live_sandbox.store.page(None, 0, 50)
    assert shown_reference_numbers(page) == [c["reference_number"] for c in first_customers]
    assert_accessible(page)

    page.get_by_label("Source type").select_option("Store")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"linked_source_type=Store"))
    store_customers = live_sandbox.store.page("Store", 0, 50)
    assert shown_reference_numbers(page) == [c["reference_number"] for c in store_customers]
    expect(page.get_by_label("Source type")).to_have_value("Store")

    page.get_by_label("Rows per page").select_option("25")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"page_size=25"))
    assert query_of(page)["linked_source_type"] == ["Store"]
    assert shown_reference_numbers(page) == [c["reference_number"] for c in store_customers[:25]]
    assert_accessible(page)


def test_keyboard_alone_filters_the_list_with_visible_focus(page_as, live_sandbox):
    page = page_as("agent")
    page.goto("/customers/")
    expect(page.get_by_role("table")).to_be_visible()

    source_type = page.get_by_label("Source type")
    for _ in range(10):
        page.keyboard.press("Tab")
        if source_type.evaluate("element => element === document.activeElement"):
            break
    expect(source_type).to_be_focused()
    outline = source_type.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline not in ("", "none"), "the focused filter has no visible focus ring"

    # Source type options are All, User, Store: two steps down is Store.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(source_type).to_have_value("Store")
    page.keyboard.press("Tab")  # Rows per page
    page.keyboard.press("Tab")  # Apply
    expect(page.get_by_role("button", name="Apply")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"linked_source_type=Store"))
    store_customers = live_sandbox.store.page("Store", 0, 50)
    assert shown_reference_numbers(page) == [c["reference_number"] for c in store_customers]


def test_wonder_down_shows_wonder_is_not_answering(page_as, browser_problems, live_sandbox):
    live_sandbox.set_faults(fault="down")
    # The page itself answers 503 on purpose; Chromium logs that status as a console error.
    browser_problems.allow(r"status of 503")
    page = page_as("agent")

    response = page.goto("/customers/")

    assert response.status == 503
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Wonder is not answering")
    expect(alert).to_contain_text("Try again in a minute")
    expect(page.get_by_role("table")).to_have_count(0)
    assert_accessible(page)
