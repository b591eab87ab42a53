"""The customer table rendered once per fetched page: the same HTML as ``{% render_table %}``,
no table built for a warm page, and never another page's or another column choice's HTML."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import RequestFactory

from customers_app.browsing import rendered_tables
from customers_app.browsing.services import CustomerListing
from customers_app.browsing.tables import CustomerTable
from customers_app.column_choice import columns_excluded
from wonder.parsing import parse_customer_list
from wonder_sandbox.data import CustomerStore
from wonder_sandbox.hostile import HOSTILE_INDICES

DEFAULT_COLUMNS = CustomerTable.Meta.default_columns


@pytest.fixture
def listing():
    cache.clear()
    assert max(HOSTILE_INDICES.values()) < 100
    customers = parse_customer_list(
        {"data": {"customers": CustomerStore(200, 1).page(None, 0, 100)}}
    )
    yield CustomerListing(
        customers=customers,
        page=1,
        page_size=100,
        linked_source_type=None,
        total=200,
        has_next=True,
        fetched_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    )
    cache.clear()


@pytest.fixture
def request_():
    return RequestFactory().get("/customers/?page_size=100")


def _stock_html(request, listing, shown) -> str:
    table = CustomerTable(listing.customers, exclude=columns_excluded(CustomerTable, shown))
    template = Template("{% load django_tables2 %}{% render_table table %}")
    return template.render(Context({"table": table, "request": request}))


@pytest.mark.parametrize("shown", [DEFAULT_COLUMNS, ("email", "default_payment_method")])
def test_the_html_is_what_render_table_writes(request_, listing, shown):
    html = rendered_tables.customer_table_html(request=request_, listing=listing, shown=shown)
    assert html == _stock_html(request_, listing, shown)
    assert "<script>" not in html


def test_a_page_read_again_builds_no_table(request_, listing, monkeypatch):
    first = rendered_tables.customer_table_html(
        request=request_, listing=listing, shown=DEFAULT_COLUMNS
    )

    def no_table(*args, **kwargs):
        raise AssertionError("a cached page must not build a table")

    monkeypatch.setattr(rendered_tables, "CustomerTable", no_table)
    again = rendered_tables.customer_table_html(
        request=request_, listing=listing, shown=DEFAULT_COLUMNS
    )
    assert again == first


def test_a_refetched_page_or_other_columns_never_get_an_older_rendering(request_, listing):
    rendered_tables.customer_table_html(request=request_, listing=listing, shown=DEFAULT_COLUMNS)
    renamed = replace(listing.customers[0], name="Wong Siu Ming")
    refetched = replace(
        listing,
        customers=(renamed, *listing.customers[1:]),
        fetched_at=listing.fetched_at + timedelta(seconds=31),
    )
    assert "Wong Siu Ming" in rendered_tables.customer_table_html(
        request=request_, listing=refetched, shown=DEFAULT_COLUMNS
    )
    fewer = rendered_tables.customer_table_html(request=request_, listing=listing, shown=("email",))
    assert fewer.count('scope="col"') == 1


def test_a_failing_cache_costs_a_rendering_not_the_page(request_, listing, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(rendered_tables.cache, "get", broken)
    monkeypatch.setattr(rendered_tables.cache, "set", broken)
    html = rendered_tables.customer_table_html(
        request=request_, listing=listing, shown=DEFAULT_COLUMNS
    )
    assert html == _stock_html(request_, listing, DEFAULT_COLUMNS)
