"""The uuid's Copy button tells screen readers what happened, not only sighted users.

QA heard, with a screen reader, "Copy the full uuid …" before and after a click: the button
showed "Copied" but kept its aria-label, and nothing else on the page said the copy worked.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .journey_helpers import assert_accessible

COPY_NAME = re.compile(r"^Copy the full uuid ")


def first_copy_button(page):
    # Found by its data, not its name: the name is what changes.
    button = page.get_by_role("table", name="Customers").locator("button[data-copy]").first
    expect(button).to_have_accessible_name(COPY_NAME)
    return button


def test_copying_a_uuid_is_announced_and_the_button_comes_back(
    page_as, dashboard_url, live_sandbox
):
    page = page_as("agent")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=dashboard_url)
    page.goto("/customers/")
    button = first_copy_button(page)
    uuid = button.get_attribute("data-copy")
    announcer = page.get_by_role("status").filter(has_text="clipboard")

    button.click()
    # What a screen reader hears: the focused button's new name, and the polite live region.
    expect(button).to_have_text("Copied")
    expect(button).to_have_accessible_name(f"Copied the full uuid {uuid}")
    expect(announcer).to_have_text("Copied to the clipboard.")
    assert page.evaluate("() => navigator.clipboard.readText()") == uuid
    assert_accessible(page)

    # A second click while it says "Copied" must not make "Copied" its resting state.
    button.click()
    expect(button).to_have_text("Copy", timeout=4000)
    expect(button).to_have_accessible_name(f"Copy the full uuid {uuid}")
    expect(page.locator("#announcer")).to_have_text("")


def test_a_copy_the_browser_refuses_is_announced_as_failed(page_as, live_sandbox):
    page = page_as("agent")
    page.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new Error('not allowed'));"
    )
    page.goto("/customers/")
    button = first_copy_button(page)
    uuid = button.get_attribute("data-copy")

    button.click()
    expect(button).to_have_text("Copy failed")
    expect(button).to_have_accessible_name(f"Copy failed: the full uuid {uuid}")
    expect(page.locator("#announcer")).to_have_text("Copy failed: the browser did not allow it.")
    expect(button).to_have_text("Copy", timeout=4000)
    expect(button).to_have_accessible_name(f"Copy the full uuid {uuid}")
