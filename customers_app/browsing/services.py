"""What the views call: customers from Wonder, validated, capped and cached.

Views never talk to the client directly. Parameters from the UI are normalised here, so a
hand-edited URL cannot ask Wonder for a page of 10,000 rows, and pages are cached for a
short time so many agents on the same page do not multiply upstream calls.
"""

from __future__ import annotations

import logging
import uuid as uuid_module
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from customers_app.browsing.single_flight import single_flight_run
from wonder import (
    Customer,
    CustomerPage,
    PaymentToken,
    WonderError,
    WonderNotFound,
    WonderUnavailable,
)
from wonder.factory import wonder_breaker, wonder_client
from wonder.records import LINKED_SOURCE_TYPES
from wonder.shared_cache import cache_attempt

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "PAGE_SIZE_CHOICES",
    "CustomerListing",
    "PageResult",
    "RowsShown",
    "customer_find",
    "customer_get",
    "customer_get_by_reference",
    "customer_list",
    "customer_page_get",
    "customer_payment_tokens",
    "normalise_linked_source_type",
]

logger = logging.getLogger(__name__)

PAGE_SIZE_CHOICES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50
# The UI never shows more than this many rows per page, whatever the URL says.
MAX_UI_PAGE_SIZE = max(PAGE_SIZE_CHOICES)
# Bump when CustomerPage changes shape, so old pickles in a shared cache are ignored.
_CACHE_VERSION = 1


def normalise_linked_source_type(value: str | None) -> str | None:
    """``User`` or ``Store`` (any case), or None for all; anything else is a ValueError."""
    if value is None or value.strip().lower() in {"", "all"}:
        return None
    for source_type in LINKED_SOURCE_TYPES:
        if value.strip().lower() == source_type.lower():
            return source_type
    raise ValueError(f"Unknown linked source type {value!r}: choose User, Store or all.")


def _page_cache_key(*, linked_source_type: str | None, offset: int, limit: int) -> str:
    return f"wonder:customers:v{_CACHE_VERSION}:{linked_source_type or 'all'}:{offset}:{limit}"


def _cache_get(key: str):
    # A cache outage falls through to Wonder (wonder.shared_cache).
    return cache_attempt(lambda: cache.get(key), fallback=None, doing=f"reading {key}")


def _cache_set(key: str, value, timeout: int) -> None:
    cache_attempt(lambda: cache.set(key, value, timeout), fallback=None, doing=f"writing {key}")


@dataclass(frozen=True)
class PageResult:
    """A page of customers and whether it is a stale copy served because Wonder failed."""

    page: CustomerPage
    # Set when Wonder could not be asked and an older cached copy is shown instead.
    stale_because: WonderUnavailable | None = None

    @property
    def is_stale(self) -> bool:
        return self.stale_because is not None


def customer_page_get(
    *, linked_source_type: str | None = None, offset: int = 0, limit: int = DEFAULT_PAGE_SIZE
) -> PageResult:
    """One upstream page: from the cache while fresh, else from Wonder, asked once.

    A cached page is fresh for ``WONDER_PAGE_CACHE_SECONDS`` but kept for
    ``WONDER_STALE_CACHE_SECONDS``: when Wonder is unavailable (or the circuit breaker is
    open), the older copy is better for an agent than an error page, as long as the page
    says how old it is. When many requests want the same expired page at once, one of
    them asks Wonder and the others wait for its answer (``single_flight.py``).
    """
    key = _page_cache_key(linked_source_type=linked_source_type, offset=offset, limit=limit)
    cached: CustomerPage | None = _cache_get(key)
    if cached is not None and _age_seconds(cached) < settings.WONDER_PAGE_CACHE_SECONDS:
        return PageResult(cached)

    def fetch_and_cache() -> CustomerPage:
        page = wonder_client().list_customers(
            limit=limit, offset=offset, linked_source_type=linked_source_type
        )
        _cache_set(key, page, settings.WONDER_STALE_CACHE_SECONDS)
        return page

    def fetched_by_another() -> CustomerPage | None:
        # A copy newer than the one this request found was fetched meanwhile by another.
        page = _cache_get(key)
        if page is None or (cached is not None and page.fetched_at <= cached.fetched_at):
            return None
        return page

    try:
        page = single_flight_run(
            key=key,
            produce=fetch_and_cache,
            result_ready=fetched_by_another,
            # No longer than a page may wait for Wonder: past it, the fetch below finds no
            # time left and the stale copy (or the error) is shown at once.
            wait_seconds=min(settings.WONDER_SINGLE_FLIGHT_WAIT, settings.WONDER_PAGE_TIME_BUDGET),
            # Longer than any one call may take, so the lock is never released under a fetch.
            lock_seconds=settings.WONDER_TIME_BUDGET + 5,
            shared_errors=(WonderError,),
            # Once the circuit opens, waiting for a hanging call is only delay.
            stop_waiting=wonder_breaker().open_error,
        )
    except WonderUnavailable as error:
        if cached is None:
            raise
        logger.warning("Wonder unavailable; serving a copy fetched at %s", cached.fetched_at)
        return PageResult(cached, stale_because=error)
    return PageResult(page)


def _age_seconds(page: CustomerPage) -> float:
    return (datetime.now(UTC) - page.fetched_at).total_seconds()


class RowsShown:
    """Which rows of the whole list a page shows ("51-100 of 1,234"), for any page that
    has ``page`` (from 1), ``page_size`` and the ``customers`` it shows: a listing, a
    search's results."""

    page: int
    page_size: int
    customers: tuple[Customer, ...]

    @property
    def first_row(self) -> int:
        """Position (from 1) of the first row shown, or 0 when the page is empty."""
        return (self.page - 1) * self.page_size + 1 if self.customers else 0

    @property
    def last_row(self) -> int:
        return (self.page - 1) * self.page_size + len(self.customers)


@dataclass(frozen=True)
class CustomerListing(RowsShown):
    """One page of the customer list as an agent sees it, with what paging needs to know.

    ``total`` is Wonder's X-Total-Entries when sent. Without it, ``has_next`` still tells
    whether a next page exists: the page was asked for with one row more than it shows.
    """

    customers: tuple[Customer, ...]
    page: int
    page_size: int
    linked_source_type: str | None
    total: int | None
    has_next: bool
    fetched_at: datetime
    request_id: str = ""
    # Set when Wonder could not be asked and an older cached copy is shown instead.
    stale_because: WonderUnavailable | None = None

    @property
    def is_stale(self) -> bool:
        return self.stale_because is not None

    @property
    def page_count(self) -> int | None:
        """Number of pages when Wonder sent a total, else None (lazy paging)."""
        if self.total is None:
            return None
        return max(1, -(-self.total // self.page_size))

    @property
    def is_out_of_range(self) -> bool:
        """A page past the end: worth saying so, with a way back, rather than "no customers"."""
        return self.page > 1 and not self.customers


def customer_list(
    *, linked_source_type: str | None = None, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE
) -> CustomerListing:
    """Page ``page`` (from 1) of customers, ``page_size`` capped to what the UI offers.

    One upstream request per page, whether or not Wonder sends a total: it is always asked
    for ``page_size + 1`` rows, and the extra row only says that a next page exists.
    """
    page = max(1, page)
    page_size = min(max(1, page_size), MAX_UI_PAGE_SIZE)
    result = customer_page_get(
        linked_source_type=normalise_linked_source_type(linked_source_type),
        offset=(page - 1) * page_size,
        limit=page_size + 1,
    )
    fetched = result.page
    return CustomerListing(
        customers=fetched.customers[:page_size],
        page=page,
        page_size=page_size,
        linked_source_type=fetched.linked_source_type,
        total=fetched.total,
        has_next=len(fetched.customers) > page_size,
        fetched_at=fetched.fetched_at,
        request_id=fetched.request_id,
        stale_because=result.stale_because,
    )


def customer_find(*, query: str) -> Customer:
    """The customer a pasted Wonder uuid or reference number names (exact match only).

    A uuid-shaped value is tried as a uuid first, then as a reference number (a merchant may
    use uuids as its own numbers); anything else only as a reference number.
    Raises ``WonderNotFound`` when neither finds one.
    """
    query = query.strip()
    if _looks_like_uuid(query):
        try:
            return customer_get(uuid=query)
        except WonderNotFound:
            pass
    return customer_get_by_reference(reference_number=query)


def _looks_like_uuid(value: str) -> bool:
    try:
        uuid_module.UUID(value)
    except ValueError:
        return False
    return True


def customer_get(*, uuid: str) -> Customer:
    """One customer by Wonder uuid; raises ``WonderNotFound`` when Wonder has none."""
    return wonder_client().get_customer(uuid=uuid.strip())


def customer_get_by_reference(*, reference_number: str) -> Customer:
    """One customer by the merchant's reference number."""
    return wonder_client().get_customer_by_reference(reference_number=reference_number.strip())


def customer_payment_tokens(*, uuid: str) -> tuple[PaymentToken, ...]:
    """Every saved payment token of a customer, values dropped."""
    return wonder_client().list_payment_tokens(uuid=uuid.strip())
