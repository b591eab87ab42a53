"""The scan's fast decoding path (``contract.py``) gives exactly what the tolerant dict path
gives, takes the fast path only for pages in the documented shape, and never decodes a
token value.

Each case compares the two paths on the same bytes: the records, or the error raised.
"""

from __future__ import annotations

import json
import math

import pytest

from wonder import WonderBadResponse
from wonder.client import _upstream_error
from wonder.contract import ContractCustomer, decode_customer_page, decode_json
from wonder.parsing import (
    parse_binding_problem_list,
    parse_customer_columns,
    parse_customer_list,
)
from wonder_sandbox.data import LINKED_SOURCE_TYPES, CustomerStore
from wonder_sandbox.hostile import HOSTILE_INDICES
from wonder_sandbox.messages import json_response


def _outcome(envelope) -> tuple:
    """What the parser makes of an envelope: its records, or the error it raises."""
    try:
        # Every reader: the failing rows (the report's), every row (the pages'), and the
        # columns (the sync's index).
        return (
            "records",
            parse_binding_problem_list(envelope),
            parse_customer_list(envelope),
            parse_customer_columns(envelope),
        )
    except WonderBadResponse as error:
        return ("error", error.message)


def _both_paths(body: bytes) -> tuple[tuple, tuple]:
    return _outcome(decode_customer_page(body)), _outcome(json.loads(body))


def _page_body(customers: list) -> bytes:
    return json_response({"customers": customers}).body()


def _rows(envelope) -> list:
    return envelope["data"]["customers"]


@pytest.mark.parametrize("page_size", [1000, 7])
def test_every_sandbox_page_gives_the_same_records_on_both_paths(page_size):
    store = CustomerStore(2_000, 1)
    fast_pages = 0
    for linked_source_type in LINKED_SOURCE_TYPES:
        for offset in range(0, store.count(linked_source_type), page_size):
            body = _page_body(store.page(linked_source_type, offset, page_size))
            fast, general = _both_paths(body)
            assert fast == general, (linked_source_type, offset)
            fast_pages += type(_rows(decode_customer_page(body))[0]) is ContractCustomer
    # Most pages are in the documented shape; pages with hostile rows may not be.
    assert fast_pages > 0.9 * math.ceil(2_000 / page_size)


def test_a_documented_page_is_decoded_typed_and_its_token_values_never_exist():
    store = CustomerStore(2_000, 1)
    customers = store.page("User", 1000, 500)
    body = _page_body(customers)
    assert b'"token":"tok_' in body
    envelope = decode_customer_page(body)
    assert all(type(row) is ContractCustomer for row in _rows(envelope))
    assert "tok_" not in repr(envelope)
    assert envelope["code"] == 200
    records, rows_returned = parse_binding_problem_list(envelope)
    assert rows_returned == 500 and 0 < len(records) < 250
    assert "tok_" not in repr(records)


def _customer(**changes) -> dict:
    row = {
        "name": "Chan Tai Man",
        "email": "tm@example.com",
        "dial_code": "+852",
        "phone": "61234567",
        "reference_number": "CUST-1",
        "default_payment_method": "CreditCard",
        "uuid": "0825160f-0a3b-4f5e-a8df-619f0b553a92",
        "default_payment_token": {
            "token_type": "CreditCard",
            "token": "tok_secret",
            "state": "failed",
            "default": True,
            "error_code": "51",
            "error_msg": "Insufficient funds",
            "verify_url": None,
            "credit_card": {"number": "424242******4242", "brand": "Visa", "exp_year": "2030"},
        },
    }
    token_changes = changes.pop("token", {})
    row.update(changes)
    if isinstance(row["default_payment_token"], dict):
        row["default_payment_token"] = {**row["default_payment_token"], **token_changes}
    return row


ODD_ROWS = {
    "as documented": _customer(),
    "null fields": _customer(name=None, email=None, token={"error_msg": None}),
    "absent fields": {"uuid": "u-1", "reference_number": "R-1"},
    "padded state": _customer(token={"state": "  Pending ", "error_code": ""}),
    "healthy": _customer(token={"state": "success", "error_code": ""}),
    "number as error code": _customer(token={"state": "success", "error_code": 51}),
    "number as name": _customer(name=12345),
    "token a string": _customer(default_payment_token="failed"),
    "token a list": _customer(default_payment_token=["failed"]),
    "token null": _customer(default_payment_token=None),
    "state a list": _customer(token={"state": ["failed"], "error_code": ""}),
    "card a string": _customer(token={"credit_card": "4242"}),
    "card unmasked": _customer(token={"credit_card": {"number": "4000056655665556"}}),
    "default as 1": _customer(token={"default": 1}),
    "unknown fields": _customer(loyalty={"tier": [1, 2]}, token={"extra": {"a": None}}),
    "whitespace uuid": _customer(uuid=" \t"),
    "healthy, whitespace uuid": _customer(uuid=" ", token={"state": "success", "error_code": ""}),
    "healthy, blank reference": _customer(
        reference_number="\u3000", token={"state": "success", "error_code": ""}
    ),
    "ideographic space uuid": _customer(uuid="\u3000"),
    "zero width space uuid": _customer(uuid="\u200b"),
    "missing reference": {"uuid": "u-1", "default_payment_token": None},
    "number as uuid": _customer(uuid=123),
    "row not an object": "CUST-1",
}


@pytest.mark.parametrize("name", ODD_ROWS)
def test_odd_rows_give_the_same_outcome_on_both_paths(name):
    body = _page_body([_customer(reference_number="CUST-0"), ODD_ROWS[name]])
    fast, general = _both_paths(body)
    assert fast == general


def test_the_fast_path_is_taken_only_for_the_documented_shape():
    documented = decode_customer_page(_page_body([_customer()]))
    odd = decode_customer_page(_page_body([_customer(token={"error_code": 51})]))
    assert type(_rows(documented)[0]) is ContractCustomer
    assert type(_rows(odd)[0]) is dict


@pytest.mark.parametrize(
    "body",
    [
        b'{"code":200,"data":{"customers":[{"uuid":"a","reference_number":"\\ud800"}]}}',
        b'{"code":NaN,"data":{"customers":[]}}',
        b'{"code":1e400,"data":{"customers":[]}}',
        b'{"code":123456789012345678901234567890,"data":{"customers":[]}}',
        b'\xef\xbb\xbf{"code":200,"data":{"customers":[]}}',
        '{"code":200,"data":{"customers":[]}}'.encode("utf-16"),
        b'{"code":200,"code":500,"data":{"customers":[{"uuid":"a","uuid":" "}]}}',
        b'{"code":200,"data":{"customers":[]}} ',
    ],
)
def test_json_that_msgspec_refuses_or_may_read_differently_decodes_as_json_does(body):
    assert repr(decode_json(body)) == repr(json.loads(body))
    assert _outcome(decode_customer_page(body)) == _outcome(json.loads(body))


@pytest.mark.parametrize("body", [b"", b"{", b'{"a":1,}', b"\xff\xfe\x00", b"<html>502</html>"])
def test_invalid_json_is_refused_as_json_refuses_it(body):
    with pytest.raises(ValueError):
        json.loads(body)
    with pytest.raises(ValueError):
        decode_json(body)
    with pytest.raises(ValueError):
        decode_customer_page(body)


@pytest.mark.parametrize(
    "envelope",
    [
        {"code": 200, "message": "success", "data": {"customers": []}},
        {"code": "E100001", "message": "bad limit"},
        {"code": 0, "error_code": "E2", "error_message": None, "message": "m"},
        {"code": 0, "error_code": "E2", "message": "from message"},
        {"code": 200, "data": None},
        {"data": {"customers": []}},
    ],
)
def test_the_envelope_reads_the_same_on_both_paths(envelope):
    body = json.dumps(envelope).encode()
    assert _upstream_error(decode_customer_page(body)) == _upstream_error(json.loads(body))
    assert _outcome(decode_customer_page(body)) == _outcome(json.loads(body))


@pytest.mark.parametrize("name", HOSTILE_INDICES)
def test_each_hostile_sandbox_row_gives_the_same_outcome_on_both_paths(name):
    customer = CustomerStore(2_000, 1).customer(HOSTILE_INDICES[name])
    fast, general = _both_paths(_page_body([customer]))
    assert fast == general
    if name in ("failed_token", "pending_token", "html_error_msg"):
        assert fast[0] == "records" and len(fast[1][0]) == 1


def test_the_identifier_pattern_and_str_strip_agree_on_every_whitespace_character():
    # The fast path refuses a blank uuid with the pattern \S; the dict path with str.strip.
    blank = [chr(code) for code in range(0x110000) if not chr(code).strip()]
    assert len(blank) > 20  # ASCII and Unicode spaces, separators, controls
    not_blank = ["\u200b", "\ufeff", "x", "\u00ad"]  # zero-width and soft hyphen: not space
    for value in blank + not_blank:
        body = _page_body([_customer(uuid=value, token={"state": "success", "error_code": ""})])
        assert _outcome(decode_customer_page(body)) == _outcome(json.loads(body)), hex(ord(value))
