"""A filter applied in the page pushes a short URL: only the filters that are set.

QA saw, after picking one error code on the failed bindings report, an address bar reading
``?q=&binding_status=current&linked_source_type=&token_type=&state=&error_code=05&...``:
every empty field of the form, too long to paste into a chat. Without JavaScript the form
still submits every field, and the page still works.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlparse

from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Page, expect

from customers_app.models import FailedBinding

REPORT = "/customers/failed-bindings/"


def query_pairs(page: Page) -> list[tuple[str, str]]:
    """The current URL's parameters in order, empty ones included."""
    return parse_qsl(urlparse(page.url).query, keep_blank_values=True)


def a_failing_code_and_its_count() -> tuple[str, int]:
    failing = FailedBinding.objects.filter(resolved_at__isnull=True).exclude(error_code="")
    code = failing.order_by("error_code").values_list("error_code", flat=True).first()
    return code, failing.filter(error_code=code).count()


def test_report_filters_push_only_the_parameters_that_are_set(page_as, scanned):
    code, count = a_failing_code_and_its_count()
    page = page_as("finance")
    page.goto(REPORT)

    page.get_by_role("combobox", name="Error code").select_option(code)
    expect(page).to_have_url(re.compile(rf"[?&]error_code={re.escape(code)}\b"))
    assert query_pairs(page) == [("binding_status", "current"), ("error_code", code)]
    expect(page.locator("#binding-table .total")).to_have_text(f"{count} matching bindings.")

    search = page.get_by_role("textbox", name="Search")
    search.fill("CUST-")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=CUST-"))
    assert query_pairs(page) == [
        ("q", "CUST-"),
        ("binding_status", "current"),
        ("error_code", code),
    ]
    total = page.locator("#binding-table .total")
    expect(total).not_to_have_text(f"{count} matching bindings.")  # the search narrowed it
    searched = total.inner_text()

    # The short URL, opened as it would be from a chat, shows the same rows and filters.
    page.goto(page.url)
    expect(page.get_by_role("combobox", name="Error code")).to_have_value(code)
    expect(page.get_by_role("textbox", name="Search")).to_have_value("CUST-")
    expect(total).to_have_text(searched)

    # Back to "All": the parameter goes, it does not stay behind empty.
    page.get_by_role("combobox", name="Error code").select_option("")
    expect(page).not_to_have_url(re.compile(r"error_code"))
    assert query_pairs(page) == [("q", "CUST-"), ("binding_status", "current")]


def test_customer_list_filters_push_only_the_parameters_that_are_set(page_as, live_sandbox):
    page = page_as("agent")
    page.goto("/customers/")

    page.get_by_label("Source type").select_option("Store")
    expect(page).to_have_url(re.compile(r"linked_source_type=Store"))
    page.get_by_label("Source type").select_option("")
    expect(page).not_to_have_url(re.compile(r"linked_source_type"))
    assert query_pairs(page) == [("page_size", "50")]


def test_report_filters_still_work_without_javascript(browser, dashboard_url, make_user, scanned):
    code, count = a_failing_code_and_its_count()
    client = Client()
    client.force_login(make_user("finance"))
    context = browser.new_context(base_url=dashboard_url, java_script_enabled=False)
    try:
        context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                    "url": dashboard_url,
                }
            ]
        )
        page = context.new_page()
        page.goto(REPORT)
        page.get_by_role("combobox", name="Error code").select_option(code)
        page.get_by_role("button", name="Apply").click()

        # The browser sends every field, empty ones included; the page reads them the same.
        expect(page).to_have_url(re.compile(rf"[?&]error_code={re.escape(code)}\b"))
        assert ("q", "") in query_pairs(page)
        expect(page.locator("#binding-table .total")).to_have_text(f"{count} matching bindings.")
        expect(page.get_by_role("combobox", name="Error code")).to_have_value(code)
    finally:
        context.close()
