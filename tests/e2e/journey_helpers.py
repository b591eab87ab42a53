"""Steps the browser journeys share: axe on the current page, reading the customer table."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from customers_app.browsing.tables import CustomerTable

from .browser_checks import accessibility_violations, describe_violations

__all__ = ["assert_accessible", "query_of", "shown_reference_numbers"]


def assert_accessible(page: Page) -> None:
    """Fail with a readable list when axe-core finds serious or critical violations."""
    violations = accessibility_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


def shown_reference_numbers(page: Page) -> list[str]:
    """The Reference number column of the customer table, top to bottom."""
    # Found by its accessible name, which only a caption gives it.
    table = page.get_by_role("table", name="Customers")
    expect(table.locator("thead th[scope=col]")).to_have_count(
        len(CustomerTable.Meta.default_columns)
    )
    headers = table.locator("thead th").all_inner_texts()
    column = [header.strip() for header in headers].index("Reference number") + 1
    return table.locator(f"tbody tr td:nth-child({column})").all_inner_texts()


def query_of(page: Page) -> dict[str, list[str]]:
    """The current URL's query string, parsed."""
    return parse_qs(urlparse(page.url).query)
