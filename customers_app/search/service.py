"""What the search page calls: the index's status and one page of matching customers.

Reads the dashboard's database only; a search never calls Wonder. The index is what the
last complete sync saw (``ScanRun`` with status completed); before the first one completes
the index is still being built, and a search must say so rather than "no results".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Count, Window

from customers_app.browsing.services import RowsShown
from customers_app.models import IndexedCustomer, ScanRun, ScanStatus
from customers_app.search import name_bigrams
from customers_app.search.queryset import (
    customer_exact_matches_queryset,
    customer_search_queryset,
    indexed_name_part,
)
from customers_app.search.records import SEARCH_ROW_FIELDS, customer_record_from_row
from customers_app.search.terms import ParsedQuery, TermKind
from wonder import Customer

__all__ = ["IndexStatus", "SearchResults", "customer_search", "index_status_get"]


@dataclass(frozen=True)
class IndexStatus:
    """The sync the index reflects, and the one running now (if any)."""

    last_complete: ScanRun | None
    running: ScanRun | None

    @property
    def is_ready(self) -> bool:
        return self.last_complete is not None

    @property
    def as_of(self) -> datetime | None:
        return self.last_complete.finished_at if self.last_complete else None


def index_status_get() -> IndexStatus:
    return IndexStatus(
        last_complete=ScanRun.objects.filter(status=ScanStatus.COMPLETED).first(),
        running=ScanRun.objects.filter(status=ScanStatus.RUNNING).first(),
    )


@dataclass(frozen=True)
class SearchResults(RowsShown):
    """One page of matches, with what the pager needs (the same names as a listing's)."""

    query: ParsedQuery
    customers: tuple[Customer, ...]
    page: int
    page_size: int
    linked_source_type: str | None
    # Counted up to CUSTOMER_SEARCH_COUNT_LIMIT; ``total_is_capped`` says there are more.
    total: int
    total_is_capped: bool
    as_of: datetime | None
    # The one customer an exact uuid or reference number names, when it is the only match.
    exact_hit: Customer | None = None

    @property
    def query_text(self) -> str:
        return self.query.text

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.page_count

    @property
    def is_out_of_range(self) -> bool:
        return False


def _names_one_customer(query: ParsedQuery, customer: Customer) -> bool:
    """Whether the query was only a uuid or reference number, and this is its customer."""
    if len(query.terms) != 1:
        return False
    term = query.terms[0]
    if term.kind is TermKind.UUID:
        return term.value.lower() == customer.uuid.lower() or term.value == (
            customer.reference_number
        )
    if term.kind in (TermKind.TEXT, TermKind.REFERENCE):
        return term.value.lower() == customer.reference_number.lower()
    return False


def _ranked_page(queryset, *, page: int, page_size: int, limit: int) -> tuple[list, int]:
    """One page of a ranked search and how many match, in one query.

    Ranking sorts every match, so the database reads them all for the page anyway;
    counting them in the same pass (a window) saves reading them a second time.
    """
    offset = (page - 1) * page_size
    if offset >= limit:
        return [], queryset.order_by()[: limit + 1].count()
    end = min(offset + page_size, limit)
    rows = list(
        queryset.only(*SEARCH_ROW_FIELDS).annotate(match_count=Window(Count("*")))[offset:end]
    )
    if rows:
        return rows, rows[0].match_count
    return rows, queryset.order_by()[: limit + 1].count() if offset else 0


def _rows_in_order(ids: list[int]) -> list[IndexedCustomer]:
    by_pk = IndexedCustomer.objects.only(*SEARCH_ROW_FIELDS).in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _name_part_page(
    query: ParsedQuery, word: str, *, page: int, page_size: int, limit: int
) -> tuple[list, int]:
    """``_ranked_page`` for a two-character Chinese name part, from the name bigram table.

    The same rows in the same order: the exact matches (by their indexes; a name part is
    rarely a whole name) first, then the other names holding ``word`` in name order, read
    from the table's B-tree up to the page's end instead of sorting all of them; the count
    from that B-tree alone.
    """
    counted = name_bigrams.name_part_count(connection, word, limit=limit)
    offset = (page - 1) * page_size
    if offset >= limit or not counted:
        return [], counted
    end = min(offset + page_size, limit)
    # Up to the page's end: when there are fewer, these are all of them.
    exact_ids = list(
        customer_exact_matches_queryset(terms=query.terms).values_list("pk", flat=True)[:end]
    )
    ids = exact_ids[offset:end]
    first_other = max(offset, len(exact_ids))
    if first_other < end:
        ids += name_bigrams.name_part_page_ids(
            connection,
            word,
            leaving_out=exact_ids,
            offset=first_other - len(exact_ids),
            count=end - first_other,
        )
    return _rows_in_order(ids), counted


def _search_page(
    query: ParsedQuery,
    queryset,
    linked_source_type: str | None,
    *,
    page: int,
    page_size: int,
    limit: int,
) -> tuple[list, int]:
    word = indexed_name_part(terms=query.terms, linked_source_type=linked_source_type)
    if word is not None:
        return _name_part_page(query, word, page=page, page_size=page_size, limit=limit)
    return _ranked_page(queryset, page=page, page_size=page_size, limit=limit)


def customer_search(
    *,
    query: ParsedQuery,
    linked_source_type: str | None,
    page: int,
    page_size: int,
    as_of: datetime | None,
) -> SearchResults:
    """Page ``page`` of the customers matching ``query`` (as of the sync at ``as_of``).

    A page past the last match shows the last page instead (the caller says so).
    """
    queryset = customer_search_queryset(terms=query.terms, linked_source_type=linked_source_type)
    limit = settings.CUSTOMER_SEARCH_COUNT_LIMIT
    page = max(1, page)
    if "search_rank" in queryset.query.annotations:
        paging = {"page_size": page_size, "limit": limit}
        rows, counted = _search_page(query, queryset, linked_source_type, page=page, **paging)
        shown_page = page
        if not rows and counted:  # past the last page: show the last one
            shown_page = max(1, -(-min(counted, limit) // page_size))
            rows, counted = _search_page(
                query, queryset, linked_source_type, page=shown_page, **paging
            )
    else:
        # COUNT over a LIMIT: the database stops counting at the cap, and the page itself
        # comes in name order, often straight from the (name, id) index.
        matching = customer_search_queryset(
            terms=query.terms, linked_source_type=linked_source_type, ranked=False
        )
        counted = matching[: limit + 1].count()
        last_page = max(1, -(-min(counted, limit) // page_size))
        shown_page = min(page, last_page)
        offset = (shown_page - 1) * page_size
        # Never past the count: the pages stop where the counting stopped.
        end = min(offset + page_size, limit)
        rows = list(queryset.only(*SEARCH_ROW_FIELDS)[offset:end]) if counted else []
    total = min(counted, limit)
    customers = tuple(customer_record_from_row(row) for row in rows)
    # Exact matches sort first: a whole reference number that is also the start of others
    # ("CUST-00000012" of "CUST-000000120") still names one customer.
    exact_hit = None
    if shown_page == 1 and customers and _names_one_customer(query, customers[0]):
        if len(customers) == 1 or not _names_one_customer(query, customers[1]):
            exact_hit = customers[0]
    return SearchResults(
        query=query,
        customers=customers,
        page=shown_page,
        page_size=page_size,
        linked_source_type=linked_source_type,
        total=total,
        total_is_capped=counted > limit,
        as_of=as_of,
        exact_hit=exact_hit,
    )
