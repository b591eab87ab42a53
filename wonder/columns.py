"""A page of customers as columns: how the sync reads every customer Wonder has.

Records (``records.py``) are the right shape for a page a person reads: 25 customers,
three small objects each. The sync reads a million, and building those objects (and then
an index row from each) cost 8x what decoding the page itself does (bench/README.md).
Here a page becomes one list per field instead, each filled by a C-level ``map`` over the
rows the msgspec decoder made (``contract.py``), not by a Python function per customer.

The same guarantees as the records: no ``token`` value (the decoder never reads it), card
numbers masked to at most the first 6 and last 4 digits, text stripped, null read as
empty. A page that is not exactly as documented comes here as records from the tolerant
parser (``from_records``), so both paths give the same columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from .contract import ContractCustomer, _ContractCard, _ContractToken
from .records import Customer, card_numbers_masked, mask_card_number

__all__ = ["CustomerColumns", "customer_columns", "customer_columns_from_records"]


@dataclass(frozen=True, slots=True)
class CustomerColumns:
    """One page's customers, field by field; every list has one entry per customer.

    Text is stripped and never None. A customer without a default token has blank token
    fields and ``token_is_default`` None; one without a card has blank card fields.
    """

    uuid: list[str]
    reference_number: list[str]
    name: list[str]
    email: list[str]
    dial_code: list[str]
    phone: list[str]
    default_payment_method: list[str]
    token_type: list[str]
    token_state: list[str]
    token_is_default: list[bool | None]
    error_code: list[str]
    error_message: list[str]
    # Masked: at most the first 6 and last 4 digits ("424242******4242").
    card_number: list[str]
    card_brand: list[str]
    card_exp_month: list[str]
    card_exp_year: list[str]

    def __len__(self) -> int:
        return len(self.uuid)


_customer_fields = tuple(
    attrgetter(name)
    for name in ("uuid", "reference_number", "name", "email", "dial_code", "phone",
                 "default_payment_method")
)  # fmt: skip
_token_fields = tuple(
    attrgetter(name) for name in ("token_type", "state", "error_code", "error_msg")
)
_card_fields = tuple(attrgetter(name) for name in ("number", "brand", "exp_month", "exp_year"))
_default_token = attrgetter("default_payment_token")
_credit_card = attrgetter("credit_card")
_is_default = attrgetter("default")


# Stand-ins for a missing token or card: every field None, so read as empty.
_NO_TOKEN = _ContractToken()
_NO_CARD = _ContractCard()


def _text(values: list) -> list[str]:
    """Stripped strings, null as empty (``parsing._text`` of a documented string field)."""
    if None in values:
        values = ["" if value is None else value for value in values]
    return list(map(str.strip, values))


def customer_columns(rows: Sequence[ContractCustomer]) -> CustomerColumns:
    """The columns of rows decoded in the documented shape (``contract.py``)."""
    uuid, reference, name, email, dial_code, phone, method = (
        _text(list(map(field, rows))) for field in _customer_fields
    )
    tokens = list(map(_default_token, rows))
    has_token = [token is not None for token in tokens]
    if not all(has_token):
        tokens = [token or _NO_TOKEN for token in tokens]
    token_type, state, error_code, error_message = (
        _text(list(map(field, tokens))) for field in _token_fields
    )
    # ``default`` is a JSON boolean or null in the documented shape: only true is true.
    is_default = [
        (value is True) if present else None
        for value, present in zip(map(_is_default, tokens), has_token, strict=True)
    ]
    cards = [card or _NO_CARD for card in map(_credit_card, tokens)]
    number, brand, exp_month, exp_year = (_text(list(map(field, cards))) for field in _card_fields)
    return CustomerColumns(
        uuid=uuid, reference_number=reference, name=name, email=email, dial_code=dial_code,
        phone=phone, default_payment_method=method, token_type=token_type, token_state=state,
        token_is_default=is_default, error_code=error_code, error_message=error_message,
        card_number=number
        if card_numbers_masked(number)
        else [mask_card_number(each) if each else each for each in number],
        card_brand=brand, card_exp_month=exp_month, card_exp_year=exp_year,
    )  # fmt: skip


def customer_columns_from_records(customers: Sequence[Customer]) -> CustomerColumns:
    """The same columns from records (a page the tolerant parser read, or a test's)."""
    tokens = [customer.default_payment_token for customer in customers]
    cards = [token.credit_card if token else None for token in tokens]

    def token_field(name: str) -> list[str]:
        return [getattr(token, name) if token else "" for token in tokens]

    def card_field(name: str) -> list[str]:
        return [getattr(card, name) if card else "" for card in cards]

    def customer_field(name: str) -> list[str]:
        return [getattr(customer, name) for customer in customers]

    return CustomerColumns(
        uuid=customer_field("uuid"),
        reference_number=customer_field("reference_number"),
        name=customer_field("name"),
        email=customer_field("email"),
        dial_code=customer_field("dial_code"),
        phone=customer_field("phone"),
        default_payment_method=customer_field("default_payment_method"),
        token_type=token_field("token_type"),
        token_state=token_field("state"),
        token_is_default=[token.is_default if token else None for token in tokens],
        error_code=token_field("error_code"),
        error_message=token_field("error_msg"),
        card_number=card_field("number"),
        card_brand=card_field("brand"),
        card_exp_month=card_field("exp_month"),
        card_exp_year=card_field("exp_year"),
    )
