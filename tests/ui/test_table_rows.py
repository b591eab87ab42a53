"""The one-pass customer rows show exactly what django-tables2's own rendering shows,
hostile sandbox records included (scripts, long values, unmasked card numbers)."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.utils.html import conditional_escape, format_html
from django_tables2 import RequestConfig

from customers_app.browsing.tables import CustomerTable
from ui.fast_html import escape_html, format_html_fast
from wonder.parsing import parse_customer_list
from wonder_sandbox.data import CustomerStore
from wonder_sandbox.hostile import HOSTILE_INDICES

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "O'Brien & Sons",
    '=HYPERLINK("http://evil","x")',
    "陳大文 🎉",
    "",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_fast_escaping_equals_djangos(text):
    assert escape_html(text) == conditional_escape(text)
    assert format_html_fast('<b title="{}">{}</b>', text, 7) == format_html(
        '<b title="{}">{}</b>', text, 7
    )
    already_safe = format_html("<i>{}</i>", text)
    assert escape_html(already_safe) == conditional_escape(already_safe)


def test_prerendered_rows_match_the_stock_cells_for_hostile_records():
    store = CustomerStore(200, 1)
    assert max(HOSTILE_INDICES.values()) < 100
    customers = parse_customer_list({"data": {"customers": store.page(None, 0, 100)}})
    table = CustomerTable(customers)
    RequestConfig(RequestFactory().get("/customers/"), paginate=False).configure(table)

    fast = [re.findall(r"(<td[^>]*>)(.*?)</td>", row, re.S) for row in table.prerendered_rows]
    # As django-tables2's own row template writes them: <td {{ column.attrs.td.as_html }}>
    # (less the space it leaves when a column has no attributes).
    stock = [
        [
            (f"<td {column.attrs['td'].as_html()}>".replace("<td >", "<td>"), str(cell))
            for column, cell in ((column, conditional_escape(cell)) for column, cell in row.items())
        ]
        for row in table.rows
    ]

    assert len(fast) == 100
    assert fast == stock
    page = "".join(table.prerendered_rows)
    assert "<script>" not in page
    assert "4000056655665556" not in page  # the sandbox's unmasked card number


def test_only_the_chosen_columns_are_rendered():
    customers = parse_customer_list({"data": {"customers": CustomerStore(5, 1).page(None, 0, 5)}})
    table = CustomerTable(customers, exclude=("email", "uuid", "card", "bind_error"))
    cells = re.findall(r"<td[ >]", table.prerendered_rows[0])
    assert len(cells) == len(list(table.columns))


@pytest.mark.parametrize(
    "uuid",
    [
        "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
        "a b?c#d&e=f",
        "陳大文",
        "<script>",
        "%2F..%2F",
        "100%",
        "~:@!$&'()*+,;=",
    ],
)
def test_detail_links_are_the_urls_reverse_would_build(uuid):
    from types import SimpleNamespace

    from django.urls import reverse

    from customers_app.browsing.tables import customer_detail_url

    expected = reverse("customers:detail", kwargs={"uuid": uuid})
    assert customer_detail_url(SimpleNamespace(uuid=uuid)) == expected


@pytest.mark.parametrize("uuid", ["", "a/b"])
def test_uuids_no_url_can_hold_get_no_link(uuid):
    from types import SimpleNamespace

    from customers_app.browsing.tables import customer_detail_url

    assert customer_detail_url(SimpleNamespace(uuid=uuid)) is None


class _Callables:
    """Attribute records django-tables2 treats specially: callables are called."""

    label = "plain"

    def shout(self):
        return "LOUD"

    @property
    def broken(self):
        raise ValueError("a property that fails")


@pytest.mark.parametrize(
    "accessor",
    [
        "name",
        "phone_display",
        "default_payment_token__token_type",
        "default_payment_token__credit_card__number",
        "default_payment_token__no_such_field",
        "no_such_field__deeper",
        "name__upper",  # a string on the way: django-tables2's own lookup
        "shout",
        "broken",
        "label",
        "0",
    ],
)
def test_cells_resolve_their_accessor_as_django_tables2_does(accessor):
    from django_tables2.utils import Accessor

    from ui.table_rows import PrerenderedRowsMixin, _CellPlan

    store = CustomerStore(200, 1)
    records = [
        *parse_customer_list({"data": {"customers": store.page(None, 0, 100)}}),
        _Callables(),
        {"name": "a dict row", "default_payment_token": {"token_type": "Alipay"}},
        ["a", "list"],
        None,
    ]
    plan = _CellPlan(
        accessor=Accessor(accessor),
        bits=tuple(Accessor(accessor).bits),
        empty_values=(),
        default="",
        render=None,
        wants_record=False,
        link=None,
        bound_column=None,
    )
    for record in records:
        expected = Accessor(accessor).resolve(record, quiet=True)
        assert PrerenderedRowsMixin._resolve(plan, record) == expected, (accessor, record)
