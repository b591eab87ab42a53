"""Two-character Chinese name parts ("大文"): on PostgreSQL paged and counted from the name
bigram table (customers_app/search/name_bigrams.py), with the same rows, order and count as
every other ranked search; the table follows the customer index however it is written."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat

from customers_app.models import IndexedCustomer
from customers_app.search import name_bigrams
from customers_app.search.queryset import customer_search_queryset, indexed_name_part
from customers_app.search.service import customer_search
from customers_app.search.terms import query_parse

from .helpers import search, shown_uuids

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's name bigram table only"
)


def _rename(customer_index, names: dict[int, str]) -> dict[str, str]:
    """Give sandbox customers (by index) these names in the customer index: uuid -> name."""
    renamed = {}
    for index, name in names.items():
        row = IndexedCustomer.objects.get(uuid=customer_index.store.customer(index)["uuid"])
        row.name = name
        row.save()
        renamed[row.uuid] = name
    return renamed


def _every_page(typed: str, page_size: int) -> tuple[list[str], int]:
    """The uuids of every page of the search, in order, and the count its first page gave."""
    query = query_parse(typed)
    shown, page, total = [], 1, None
    while True:
        results = customer_search(
            query=query, linked_source_type=None, page=page, page_size=page_size, as_of=None
        )
        total = results.total if total is None else total
        if results.page != page:  # past the last page
            return shown, total
        shown += [customer.uuid for customer in results.customers]
        page += 1


@pytest.mark.parametrize(
    ("word", "served"),
    [("大文", True), ("陳大", True), ("大", False), ("陳大文", False), ("Ho", False),
     ("ａｂ", False), ("大a", False)],
)  # fmt: skip
def test_only_two_caseless_non_ascii_characters_are_looked_up_in_the_table(word, served):
    # Full-width letters have a case: PostgreSQL's and Python's upper case may differ there.
    assert name_bigrams.name_part_served(word) is served


@pytest.mark.parametrize("typed", ["大文", "name:大文"])
def test_pages_hold_exact_matches_first_then_names_in_order_like_any_ranked_search(
    customer_index, typed
):
    _rename(
        customer_index,
        {5: "大文", 6: "大文", 7: "Zoe 大文", 8: "陳大文", 9: "李大文", 10: "大文", 11: "大文華"},
    )
    query = query_parse(typed)
    if connection.vendor == "postgresql":
        assert indexed_name_part(terms=query.terms) == "大文"
    # The general ranked query is the reference: CASE rank, name, pk over every match.
    expected = [row.uuid for row in customer_search_queryset(terms=query.terms)]
    assert len(expected) >= 7
    names = dict(IndexedCustomer.objects.values_list("uuid", "name"))
    assert [names[uuid] for uuid in expected[:3]] == ["大文", "大文", "大文"]
    for page_size in (1, 2, 3, 100):
        shown, total = _every_page(typed, page_size)
        assert shown == expected, page_size
        assert total == len(expected)


def test_the_count_stops_at_the_limit_and_pages_stop_there(customer_index, settings):
    _rename(customer_index, {index: f"陳大文{index}" for index in range(20, 30)})
    settings.CUSTOMER_SEARCH_COUNT_LIMIT = 4
    results = customer_search(
        query=query_parse("大文"), linked_source_type=None, page=9, page_size=3, as_of=None
    )
    assert (results.total, results.total_is_capped, results.page) == (4, True, 2)
    assert len(results.customers) == 1  # the 4th match: pages stop where counting stopped


def test_a_renamed_or_deleted_customer_is_found_by_its_name_now(agent_browser, customer_index):
    renamed = _rename(customer_index, {44: "歐陽鋒"})
    (uuid,) = renamed
    assert shown_uuids(search(agent_browser, "陽鋒")) == [uuid]
    _rename(customer_index, {44: "洪七公"})
    assert shown_uuids(search(agent_browser, "陽鋒")) == []
    assert shown_uuids(search(agent_browser, "七公")) == [uuid]
    IndexedCustomer.objects.filter(uuid=uuid).delete()
    assert shown_uuids(search(agent_browser, "七公")) == []


def _table_rows() -> set[tuple[int, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT customer_id, bigram, name FROM {name_bigrams.TABLE}")  # noqa: S608
        return set(cursor.fetchall())


@postgresql_only
def test_the_table_holds_what_a_fresh_fill_would_after_writes(customer_index):
    _rename(customer_index, {3: "黃大仙", 4: "Tommy 陳", 12: "Ho Chun Kit"})
    IndexedCustomer.objects.filter(uuid=customer_index.store.customer(13)["uuid"]).delete()
    # Statements over many rows at once, as the sync's snapshot writes: some names change,
    # some rows change but keep their name.
    ids = sorted(IndexedCustomer.objects.values_list("pk", flat=True))
    IndexedCustomer.objects.filter(pk__in=ids[:20]).update(email="same-name@example.com")
    IndexedCustomer.objects.filter(pk__in=ids[10:30]).update(name=Concat(Value("大"), F("name")))
    kept = _table_rows()
    assert kept
    name_bigrams.name_bigrams_drop(connection)
    name_bigrams.name_bigrams_create(connection)  # the migration's way back and forth
    assert _table_rows() == kept


@postgresql_only
def test_emptying_the_customer_index_with_truncate_empties_the_table(customer_index):
    assert _table_rows()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {IndexedCustomer._meta.db_table} CASCADE")
    assert _table_rows() == set()
