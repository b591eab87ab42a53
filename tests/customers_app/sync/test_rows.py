"""The index row of a customer: digits for phone search, card kept as first 6 / last 4."""

from customers_app.sync.rows import index_row_from_customer
from wonder import CreditCard, Customer, PaymentToken


def _customer(**overrides) -> Customer:
    card = CreditCard(number="424242******4242", brand="Visa", exp_month="7", exp_year="2031")
    token = PaymentToken(
        token_type="CreditCard", state="failed", is_default=True, error_code="05",
        error_msg="Do not honour", credit_card=card,
    )  # fmt: skip
    values = dict(
        uuid="c0ffee00-0000-4000-8000-000000000001", reference_number="CUST-00000001",
        dial_code="+852", name="Chan Tai Man", email="chan@example.com", phone="6589 8353",
        default_payment_method="CreditCard", default_payment_token=token,
    )  # fmt: skip
    return Customer(**{**values, **overrides})


def test_a_row_keeps_phone_digits_with_and_without_the_dial_code():
    row = index_row_from_customer(_customer(), "User")
    assert (row.phone_digits, row.full_phone_digits) == ("65898353", "85265898353")


def test_a_row_keeps_the_card_as_first_six_and_last_four():
    row = index_row_from_customer(_customer(), "Store")
    assert (row.card_first6, row.card_last4, row.card_brand) == ("424242", "4242", "Visa")
    assert (row.token_state, row.error_code, row.linked_source_type) == ("failed", "05", "Store")


def test_a_customer_without_a_token_has_blank_token_fields_and_upstream_text_is_fitted():
    row = index_row_from_customer(
        _customer(default_payment_token=None, name="x\x00" + "n" * 400), "User"
    )
    assert row.token_state == "" and row.token_is_default is None and row.card_last4 == ""
    assert "\x00" not in row.name and len(row.name) == 300


def test_a_card_number_wonder_did_not_mask_keeps_only_its_first_six_and_last_four():
    card = CreditCard(number="4242424242424242", brand="Visa")
    token = PaymentToken(token_type="CreditCard", state="success", is_default=True,
                         credit_card=card)  # fmt: skip
    row = index_row_from_customer(_customer(default_payment_token=token), "User")
    assert (row.card_first6, row.card_last4) == ("424242", "4242")
