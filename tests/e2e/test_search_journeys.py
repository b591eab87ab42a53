"""Journeys of a support agent searching for a customer: the customer is on the phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .journey_helpers import assert_accessible


def test_agent_types_a_phone_number_as_said_and_opens_that_customer(page_as, customer_index):
    # "My number is plus eight five two, five eight five zero, seven seven six seven."
    wanted = customer_index.store.customer(2)
    assert (wanted["dial_code"], wanted["phone"]) == ("+852", "58507767")
    page = page_as("agent")
    page.goto("/customers/")

    box = page.get_by_role("search").get_by_label("Find a customer")
    box.fill("+852 5850 7767")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/customers/\?q=%2B852\+5850\+7767"))
    expect(page.locator(".search-summary")).to_contain_text("1-1 of 1 matching customer")
    expect(page.locator(".search-summary")).to_contain_text("as of the last complete sync")
    # The box keeps what was typed, for a second try.
    expect(box).to_have_value("+852 5850 7767")
    assert_accessible(page)

    page.get_by_role("link", name=wanted["name"], exact=True).click()

    expect(page).to_have_url(re.compile(rf"/customers/{wanted['uuid']}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(wanted["name"])
    expect(page.locator("body")).to_contain_text(wanted["reference_number"])


def test_agent_changes_the_source_type_and_the_search_stays(page_as, customer_index):
    page = page_as("agent")
    page.goto("/customers/?q=source%3AStore")
    expect(page.locator(".search-summary")).to_contain_text("matching customers")
    page.get_by_label("Source type").select_option("User")
    # "source:Store" and "User" exclude each other: nothing matches, and the page says so.
    expect(page.locator(".no-matches")).to_contain_text("No customer matches this search")
    expect(page.get_by_role("search").get_by_label("Find a customer")).to_have_value("source:Store")


def test_a_bad_field_is_said_on_the_page(page_as, customer_index):
    page = page_as("agent")
    page.goto("/customers/")
    box = page.get_by_role("search").get_by_label("Find a customer")
    box.fill("state:lost")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("alert")).to_contain_text("“state:lost” is not a known value")
    assert_accessible(page)
