import dataclasses
import json

import pytest

from wonder.errors import WonderBadResponse
from wonder.parsing import parse_customer, parse_customer_list
from wonder.records import PaymentToken, card_numbers_masked, mask_card_number

SECRET_TOKEN = "tok_4f1c2b9a8e7d6c5b4a39281706f5e4d3"


@pytest.mark.parametrize(
    ("upstream", "shown"),
    [
        ("4242424242424242", "424242******4242"),
        ("4242 4242 4242 4242", "424242******4242"),
        ("424242******4242", "424242******4242"),
        ("************4242", "************4242"),
        ("371449635398431", "371449*****8431"),
        ("6212345678901234567", "621234*********4567"),
        ("4242xxxxxxxx4242", "4242********4242"),
        ("", ""),
    ],
)
def test_card_numbers_are_remasked_to_first_six_and_last_four(upstream, shown):
    assert mask_card_number(upstream) == shown


@pytest.mark.parametrize(
    ("numbers", "masked"),
    [
        (["424242******4242", "", "371449*****8431"], True),
        (["", ""], True),
        (["424242******4242", "4242424242424242"], False),
        (["424242******4242", "4242xxxxxxxx4242"], False),
        # One value holding two masked numbers keeps 20 digits: never passed as masked.
        (["424242******4242\n424242******4242"], False),
        (["424242******4242 "], False),
        (["４２４２４２******4242"], False),  # full-width digits are digits too
    ],
)
def test_a_column_of_card_numbers_is_seen_as_masked_only_when_every_one_is(numbers, masked):
    assert card_numbers_masked(numbers) is masked


def test_a_page_column_with_one_unmasked_number_has_it_masked():
    from wonder.columns import customer_columns, customer_columns_from_records
    from wonder.contract import decode_customer_page

    rows = [
        {"uuid": f"u{i}", "reference_number": f"r{i}",
         "default_payment_token": {"token": SECRET_TOKEN, "credit_card": {"number": number}}}
        for i, number in enumerate(["424242******4242", "4242\n4242424242424242"])
    ]  # fmt: skip
    body = json.dumps({"code": 0, "data": {"customers": rows}}).encode()
    columns = customer_columns(decode_customer_page(body)["data"]["customers"])
    assert columns.card_number == ["424242******4242", "424242**********4242"]
    assert customer_columns_from_records([]).card_number == []


def test_short_digit_strings_keep_only_the_last_four():
    assert mask_card_number("1234567890") == "******7890"


def test_token_value_never_becomes_part_of_a_record():
    customer = parse_customer(
        {
            "uuid": "u-1",
            "reference_number": "CUST-1",
            "dial_code": "+852",
            "default_payment_token": {
                "token_type": "CreditCard",
                "token": SECRET_TOKEN,
                "state": "success",
                "default": True,
                "credit_card": {"number": "4242424242424242", "brand": "Visa"},
            },
        }
    )
    token = customer.default_payment_token
    assert "token" not in {f.name for f in dataclasses.fields(PaymentToken)}
    assert SECRET_TOKEN not in repr(customer)
    assert token.credit_card.number == "424242******4242"
    assert "4242424242424242" not in repr(customer)


def test_missing_optional_fields_nulls_unknown_states_and_extra_fields_are_fine():
    customer = parse_customer(
        {
            "uuid": "u-2",
            "reference_number": 12345,
            "dial_code": None,
            "name": None,
            "surprise": {"nested": True},
            "default_payment_token": {"state": "revoked", "default": "true", "credit_card": None},
        }
    )
    assert customer.reference_number == "12345"
    assert customer.dial_code == ""
    assert customer.name == ""
    assert customer.default_payment_token.state == "revoked"
    assert customer.default_payment_token.state_kind == "unknown"
    assert customer.default_payment_token.is_default is True
    assert customer.default_payment_token.credit_card is None


@pytest.mark.parametrize("missing", ["uuid", "reference_number"])
def test_a_customer_without_its_identity_is_a_bad_response(missing):
    payload = {"uuid": "u-3", "reference_number": "R-3", "dial_code": "+852"}
    del payload[missing]
    with pytest.raises(WonderBadResponse, match=missing):
        parse_customer_list({"code": 200, "data": {"customers": [payload]}})


@pytest.mark.parametrize(
    "envelope", [None, [], {"code": 200}, {"data": []}, {"data": {"customers": "nope"}}]
)
def test_wrong_shapes_are_bad_responses(envelope):
    with pytest.raises(WonderBadResponse):
        parse_customer_list(envelope)


def _page_with_every_kind_of_record():
    from datetime import UTC, datetime

    from wonder.records import CreditCard, Customer, CustomerPage

    card = CreditCard(number="424242******4242", brand="Visa", exp_month="8", exp_year="2030")
    customers = (
        Customer(uuid="u-1", reference_number="R1", dial_code="+852", name="陳大文 🎉"),
        Customer(
            uuid="u-2",
            reference_number="R2",
            dial_code="",
            email="a@example.com",
            default_payment_token=PaymentToken(
                token_type="CreditCard",
                state="failed",
                is_default=True,
                error_code="51",
                error_msg="<b>declined</b>",
                credit_card=card,
            ),
        ),
    )
    return CustomerPage(
        customers=customers,
        offset=50,
        limit=51,
        total=None,
        linked_source_type="Store",
        fetched_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
        rows_returned=2,
        request_id="req-1",
    )


def test_a_page_comes_back_from_the_cache_equal_field_for_field():
    import pickle

    page = _page_with_every_kind_of_record()
    restored = pickle.loads(pickle.dumps(page, pickle.HIGHEST_PROTOCOL))  # noqa: S301 - our own bytes
    assert restored == page
    assert restored.customers[1].default_payment_token.credit_card.expiry == "08/2030"
    assert restored.customers[0].default_payment_token is None


def test_pages_pickled_the_stock_dataclass_way_still_load(monkeypatch):
    """A shared cache may hold pages written before records pickled by constructor."""
    import pickle

    from wonder import records

    page = _page_with_every_kind_of_record()
    with monkeypatch.context() as patch:
        for record_class in (
            records.CreditCard,
            records.PaymentToken,
            records.Customer,
            records.CustomerPage,
        ):
            patch.delattr(record_class, "__reduce__")
        stock = pickle.dumps(page, pickle.HIGHEST_PROTOCOL)
    assert pickle.loads(stock) == page  # noqa: S301 - our own bytes
    assert pickle.dumps(page, pickle.HIGHEST_PROTOCOL) != stock
