"""Customer index rows as the ``wonder`` records the customer table renders.

The list's table (``browsing/tables.py``) renders ``wonder.Customer`` records; search
results give it the same records, built from what the index kept, so the user's column
choice, the card summary and the token badges look exactly as on the live list.
"""

from __future__ import annotations

from customers_app.models import IndexedCustomer
from wonder import CreditCard, Customer, PaymentToken

__all__ = ["SEARCH_ROW_FIELDS", "customer_record_from_row"]

# What the table needs of a row; the sync timestamps stay in the database.
SEARCH_ROW_FIELDS = (
    "uuid", "reference_number", "name", "email", "dial_code", "phone",
    "default_payment_method", "token_type", "token_state", "token_is_default", "error_code",
    "error_message", "card_brand", "card_first6", "card_last4", "card_exp_month",
    "card_exp_year",
)  # fmt: skip


def _card(row: IndexedCustomer) -> CreditCard | None:
    if not (row.card_last4 or row.card_first6 or row.card_brand):
        return None
    # The index keeps at most the first 6 and last 4 digits; the rest stays masked.
    return CreditCard(
        number=f"{row.card_first6}******{row.card_last4}",
        brand=row.card_brand,
        exp_month=row.card_exp_month,
        exp_year=row.card_exp_year,
    )


def _token(row: IndexedCustomer) -> PaymentToken | None:
    if not (row.token_type or row.token_state) and row.token_is_default is None:
        return None
    return PaymentToken(
        token_type=row.token_type,
        state=row.token_state,
        is_default=bool(row.token_is_default),
        error_code=row.error_code,
        error_msg=row.error_message,
        credit_card=_card(row),
    )


def customer_record_from_row(row: IndexedCustomer) -> Customer:
    """The customer record of one index row (no token value: the index never had one)."""
    return Customer(
        uuid=row.uuid,
        reference_number=row.reference_number,
        dial_code=row.dial_code,
        name=row.name,
        email=row.email,
        phone=row.phone,
        default_payment_method=row.default_payment_method,
        default_payment_token=_token(row),
    )
