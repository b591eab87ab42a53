"""What the search tests share: run a search as an agent, read which customers it shows."""

from __future__ import annotations

import re
from html import unescape

__all__ = ["all_customers", "page_text", "search", "shown_uuids"]

# The name cell links to the customer's page: /customers/<uuid>/ (sandbox uuids are uuids).
_DETAIL_LINK = re.compile(r'<a href="/customers/([0-9a-f-]{36})/">')


def search(browser, q: str, **params):
    """GET the customer list with ``q`` (and the list's own parameters)."""
    return browser.get("/customers/", {"q": q, "page_size": 100, **params})


def shown_uuids(response) -> list[str]:
    """The uuids of the customers on the results page, in the order shown."""
    assert response.status_code == 200, response.status_code
    return _DETAIL_LINK.findall(response.content.decode())


def page_text(response) -> str:
    """The page's text with tags removed and entities read, as a user reads it."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def all_customers(sandbox) -> list[dict]:
    """Every customer the sandbox serves, with hostile patches applied, as Wonder sends them."""
    return [sandbox.store.customer(index) for index in range(sandbox.store.total)]
