"""``list_customers(binding_problems_only=True)``: the client keeps only customers whose
default token needs finance's attention, and still says how many rows Wonder sent."""

import pytest

from tests.fakes import ScriptedAnswer, ScriptedWonder
from tests.wonder.test_client import make_client
from wonder import WonderBadResponse


def _customer(number: int, token) -> dict:
    row = {"uuid": f"uuid-{number}", "reference_number": f"REF-{number}", "dial_code": "+852"}
    if token is not ...:
        row["default_payment_token"] = token
    return row


def _token(state, **extra) -> dict:
    return {"token_type": "CreditCard", "token": "tok_secret_never_shown", "state": state, **extra}


def _envelope(*customers) -> dict:
    return {"code": 200, "message": "success", "data": {"customers": list(customers)}}


def _kept_references(envelope, **kwargs) -> tuple[list[str], int]:
    with ScriptedWonder(ScriptedAnswer(200, envelope)) as fake:
        page = make_client(fake.base_url, kwargs.pop("key_pair")).list_customers(
            limit=1000, binding_problems_only=True
        )
    return [c.reference_number for c in page.customers], page.rows_returned


def test_the_sandbox_page_keeps_exactly_the_problem_customers(sandbox, key_pair):
    client = make_client(sandbox.base_url, key_pair)
    full = client.list_customers(limit=1000, linked_source_type="User")
    filtered = client.list_customers(
        limit=1000, linked_source_type="User", binding_problems_only=True
    )
    expected = [
        c.uuid
        for c in full.customers
        if c.default_payment_token is not None
        and (
            c.default_payment_token.state.lower() in ("failed", "pending")
            or c.default_payment_token.error_code
        )
    ]
    assert expected, "the sandbox should have failing bindings for the test to mean anything"
    assert [c.uuid for c in filtered.customers] == expected
    assert filtered.customers == tuple(c for c in full.customers if c.uuid in set(expected))
    assert filtered.rows_returned == len(full.customers) == full.rows_returned
    assert filtered.total == full.total
    assert len(filtered.customers) < len(full.customers) / 2


def test_states_are_matched_loosely_and_error_codes_count(key_pair):
    envelope = _envelope(
        _customer(1, _token("success")),
        _customer(2, _token("failed")),
        _customer(3, _token("  Pending ")),
        _customer(4, _token("success", error_code="51")),
        _customer(5, ...),  # no token at all
        _customer(6, None),
        _customer(7, "failed"),  # a token that is not an object
        _customer(8, _token(None, error_code=0)),  # a number is still an error code
        _customer(9, _token("FAILED", error_code="")),
        _customer(10, _token(["failed"])),  # a container is no state
        _customer(11, _token("unknown-new-state")),
    )
    kept, rows_returned = _kept_references(envelope, key_pair=key_pair)
    assert kept == ["REF-2", "REF-3", "REF-4", "REF-8", "REF-9"]
    assert rows_returned == 11


def test_a_filtered_page_never_carries_token_values(key_pair):
    with ScriptedWonder(ScriptedAnswer(200, _envelope(_customer(1, _token("failed"))))) as fake:
        page = make_client(fake.base_url, key_pair).list_customers(
            limit=5, binding_problems_only=True
        )
    assert page.customers[0].default_payment_token.state == "failed"
    assert "tok_secret_never_shown" not in repr(page)


def test_an_empty_page_says_no_rows(key_pair):
    assert _kept_references(_envelope(), key_pair=key_pair) == ([], 0)


@pytest.mark.parametrize(
    "bad_row",
    [
        {"reference_number": "REF-X", "default_payment_token": {"state": "success"}},
        {"uuid": "uuid-x", "default_payment_token": {"state": "success"}},
        {"uuid": "", "reference_number": "REF-X"},
        # Blank after trimming, as the full parse sees it: not an identity either.
        {"uuid": "   ", "reference_number": "REF-X", "default_payment_token": None},
        "not a customer",
        None,
    ],
)
def test_a_healthy_row_that_cannot_be_identified_is_still_a_bad_response(key_pair, bad_row):
    envelope = _envelope(_customer(1, _token("failed")), bad_row)
    with pytest.raises(WonderBadResponse):
        _kept_references(envelope, key_pair=key_pair)


def test_a_page_without_a_customer_list_is_a_bad_response(key_pair):
    with pytest.raises(WonderBadResponse):
        _kept_references({"code": 200, "data": {"customers": "none"}}, key_pair=key_pair)
