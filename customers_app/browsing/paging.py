"""Page links for a customer listing, with or without a total from Wonder.

With a total, the agent sees page numbers around the current page; without one (Wonder
may not send X-Total-Entries) only "Previous" and "Next", which the listing knows from the
extra row it asked for. Every link keeps the filters, so each state is a shareable URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from customers_app.browsing.services import CustomerListing

__all__ = ["PageLink", "PageNavigation", "page_navigation", "page_query"]

# Page numbers shown either side of the current one, besides the first and last.
_WINDOW = 2


@dataclass(frozen=True)
class PageLink:
    """One entry of the pager: a page number with its URL, or a gap (``number`` None)."""

    number: int | None
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class PageNavigation:
    previous_url: str
    next_url: str
    pages: tuple[PageLink, ...]
    first_page_url: str
    last_page_url: str


def page_query(*, linked_source_type: str | None, page_size: int, page: int, q: str = "") -> str:
    """``?linked_source_type=Store&page_size=50&page=2``, leaving out what is the default.

    ``q`` is a search's text (customers_app/search), kept on every page of its results.
    """
    query = QueryDict(mutable=True)
    if q:
        query["q"] = q
    if linked_source_type:
        query["linked_source_type"] = linked_source_type
    query["page_size"] = str(page_size)
    if page > 1:
        query["page"] = str(page)
    return "?" + query.urlencode()


def _numbers(current: int, last: int) -> list[int | None]:
    wanted = {1, last, *range(current - _WINDOW, current + _WINDOW + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if numbers and numbers[-1] is not None and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def page_navigation(listing: CustomerListing) -> PageNavigation:
    """Where the pager's links go for this listing (or a search's results, alike)."""

    def url(page: int) -> str:
        return page_query(
            linked_source_type=listing.linked_source_type,
            page_size=listing.page_size,
            page=page,
            q=getattr(listing, "query_text", ""),
        )

    page_count = listing.page_count
    has_next = listing.page < page_count if page_count is not None else listing.has_next
    pages: tuple[PageLink, ...] = ()
    if page_count is not None and page_count > 1:
        pages = tuple(
            PageLink(number=n, url=url(n), current=n == listing.page) if n else PageLink(None)
            for n in _numbers(listing.page, page_count)
        )
    return PageNavigation(
        previous_url=url(listing.page - 1) if listing.page > 1 else "",
        next_url=url(listing.page + 1) if has_next else "",
        pages=pages,
        first_page_url=url(1),
        last_page_url=url(page_count) if page_count else "",
    )
