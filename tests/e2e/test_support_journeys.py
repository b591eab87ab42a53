"""Journeys of a support agent: paging forward, opening a customer, copying its uuid, and
jumping straight to a customer by pasting a reference number."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from wonder_sandbox.hostile import HOSTILE_INDICES

from .journey_helpers import assert_accessible, query_of, shown_reference_numbers

PAGE_SIZE = 50  # the list's default page size


def reference_numbers(customers: list[dict]) -> list[str]:
    return [customer["reference_number"] for customer in customers]


def first_plain_customer(customers: list[dict]) -> dict:
    """A customer on the page with an ordinary default token, so its state is a known one."""
    for customer in customers:
        token = customer.get("default_payment_token")
        if isinstance(token, dict) and token.get("state") in ("success", "pending", "failed"):
            return customer
    raise AssertionError("the sandbox page has no customer with an ordinary default token")


def test_agent_pages_forward_opens_a_customer_and_copies_its_uuid(
    page_as, dashboard_url, live_sandbox
):
    page = page_as("agent")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=dashboard_url)
    page.goto("/customers/")
    first_page = live_sandbox.store.page(None, 0, PAGE_SIZE)
    assert shown_reference_numbers(page) == reference_numbers(first_page)

    pager = page.get_by_role("navigation", name="Pages of customers")
    pager.get_by_role("link", name="2", exact=True).click()

    expect(page).to_have_url(re.compile(r"[?&]page=2\b"))
    second_page = live_sandbox.store.page(None, PAGE_SIZE, PAGE_SIZE)
    expect(pager.locator("[aria-current=page]")).to_have_text("2")
    assert shown_reference_numbers(page) == reference_numbers(second_page)
    assert_accessible(page)

    customer = first_plain_customer(second_page)
    row = page.get_by_role("table", name="Customers").locator(
        "tbody tr", has_text=customer["reference_number"]
    )
    row.get_by_role("link").first.click()

    expect(page).to_have_url(re.compile(rf"/customers/{customer['uuid']}/$"))
    profile = page.locator("section", has=page.get_by_role("heading", name="Profile"))
    expect(profile).to_contain_text(customer["reference_number"])
    default_token = page.locator(
        "section", has=page.get_by_role("heading", name="Default payment token")
    )
    expect(default_token).to_contain_text(customer["default_payment_token"]["state"])
    # The token value itself never reaches the page, only its state.
    assert customer["default_payment_token"]["token"] not in page.content()
    assert_accessible(page)

    copy_button = profile.get_by_role("button", name="Copy")
    copy_button.click()
    expect(profile.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == customer["uuid"]


def test_keyboard_alone_pages_forward(page_as, live_sandbox):
    page = page_as("agent")
    page.goto("/customers/")
    page_two = page.get_by_role("navigation", name="Pages of customers").get_by_role(
        "link", name="2", exact=True
    )
    expect(page_two).to_be_visible()

    # Bounded: the pager comes after the header, filters and one page of rows' links.
    for _ in range(200):
        page.keyboard.press("Tab")
        if page_two.evaluate("element => element === document.activeElement"):
            break
    expect(page_two).to_be_focused()
    outline = page_two.evaluate("element => getComputedStyle(element).outlineStyle")
    box_shadow = page_two.evaluate("element => getComputedStyle(element).boxShadow")
    assert outline not in ("", "none") or box_shadow not in ("", "none"), (
        "the focused page link has no visible focus ring"
    )
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]page=2\b"))
    assert query_of(page)["page"] == ["2"]
    second_page = live_sandbox.store.page(None, PAGE_SIZE, PAGE_SIZE)
    assert shown_reference_numbers(page) == reference_numbers(second_page)


def test_agent_pastes_a_reference_number_into_the_jump_box(page_as, live_sandbox):
    page = page_as("agent")
    page.goto("/customers/")
    wanted = live_sandbox.store.customer(123)

    jump_box = page.get_by_role("search").get_by_label("Find a customer")
    jump_box.fill(wanted["reference_number"])
    page.get_by_role("button", name="Go to customer").click()

    expect(page).to_have_url(re.compile(rf"/customers/{wanted['uuid']}/$"))
    expect(page.locator("body")).to_contain_text(wanted["reference_number"])
    expect(page.get_by_role("heading", level=1)).to_have_text(wanted["name"] or "(no name)")
    assert_accessible(page)


def test_jump_box_takes_a_hostile_reference_number_whole(page_as, live_sandbox):
    # Slashes, '#', '?', '&', '<' and a literal '%20': each would break a naively built URL.
    wanted = live_sandbox.store.customer(HOSTILE_INDICES["hostile_reference"])
    page = page_as("agent")
    page.goto("/customers/")

    page.get_by_role("search").get_by_label("Find a customer").fill(wanted["reference_number"])
    page.get_by_role("button", name="Go to customer").click()

    expect(page).to_have_url(re.compile(rf"/customers/{wanted['uuid']}/$"))
    profile = page.locator("section", has=page.get_by_role("heading", name="Profile"))
    expect(profile.locator("code").first).to_have_text(wanted["reference_number"])


def test_jump_box_with_an_unknown_reference_says_not_found(page_as, browser_problems):
    # The not-found page answers 404 on purpose; Chromium logs that status as a console error.
    browser_problems.allow(r"status of 404")
    page = page_as("agent")
    page.goto("/customers/")

    page.get_by_role("search").get_by_label("Find a customer").fill("CUST-NO-SUCH-ONE")
    page.get_by_role("button", name="Go to customer").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("No customer in Wonder has the uuid or reference number")
    expect(alert).to_contain_text("CUST-NO-SUCH-ONE")
    # The box keeps what was pasted, so the agent can correct it rather than retype it.
    expect(page.get_by_role("search").get_by_label("Find a customer")).to_have_value(
        "CUST-NO-SUCH-ONE"
    )
    assert_accessible(page)
