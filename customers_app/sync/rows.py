"""What the customer index keeps of one Wonder customer: a flat, typed row.

The one place a customer record becomes an index row, so the sync and anything that fills
the index for a test agree. No token value gets here (the record has none), and the card is
kept as its first 6 and last 4 digits only, as the client already masked it.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import sys
from dataclasses import dataclass, fields
from datetime import datetime

from customers_app.models import IndexedCustomer
from wonder import Customer

__all__ = ["IndexRow", "index_row_from_customer", "index_row_values"]

# Values that repeat across a million rows: one shared copy each keeps a sync's memory flat.
_REPEATED_FIELDS = ("dial_code", "linked_source_type", "default_payment_method", "token_type",
                    "token_state", "error_code", "error_message", "card_brand",
                    "card_exp_month", "card_exp_year")  # fmt: skip


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One customer as the index stores it (``IndexedCustomer`` less its sync timestamps)."""

    uuid: str
    reference_number: str
    name: str
    email: str
    dial_code: str
    phone: str
    phone_digits: str
    full_phone_digits: str
    linked_source_type: str
    default_payment_method: str
    token_type: str
    token_state: str
    token_is_default: bool | None
    error_code: str
    error_message: str
    card_brand: str
    card_first6: str
    card_last4: str
    card_exp_month: str
    card_exp_year: str

    def fingerprint(self) -> str:
        """A digest of every field: a row whose digest is unchanged needs no rewrite."""
        text = "\x1f".join(str(value) for value in index_row_values(self))
        return hashlib.sha256(text.encode()).hexdigest()

    def as_model(self, *, seen_at: datetime) -> IndexedCustomer:
        """An unsaved model instance, first and last seen at ``seen_at``."""
        values = dict(zip(_FIELD_NAMES, index_row_values(self), strict=True))
        return IndexedCustomer(
            **values, fingerprint=self.fingerprint(), first_seen_at=seen_at, last_seen_at=seen_at
        )


_FIELD_NAMES = tuple(field.name for field in fields(IndexRow))
# The row's fields as a tuple, in declaration order (dataclasses.astuple deep-copies).
index_row_values = operator.attrgetter(*_FIELD_NAMES)


@functools.cache
def _column_lengths() -> dict[str, int]:
    return {
        name: IndexedCustomer._meta.get_field(name).max_length
        for name in _FIELD_NAMES
        if IndexedCustomer._meta.get_field(name).max_length
    }


def _fit(value: str, field_name: str) -> str:
    """Trim upstream text to the column (PostgreSQL refuses longer) and drop NUL bytes."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    return value[: _column_lengths()[field_name]]


def _digits(text: str) -> str:
    return "".join(character for character in text if character.isascii() and character.isdigit())


def index_row_from_customer(customer: Customer, linked_source_type: str) -> IndexRow:
    """The index row for ``customer`` of ``linked_source_type`` (User or Store)."""
    token = customer.default_payment_token
    card = token.credit_card if token else None
    card_digits = _digits(card.number) if card else ""
    phone_digits = _digits(customer.phone)
    text_values = {
        "uuid": customer.uuid,
        "reference_number": customer.reference_number,
        "name": customer.name,
        "email": customer.email,
        "dial_code": customer.dial_code,
        "phone": customer.phone,
        "phone_digits": phone_digits,
        "full_phone_digits": _digits(customer.dial_code) + phone_digits,
        "linked_source_type": linked_source_type,
        "default_payment_method": customer.default_payment_method,
        "token_type": token.token_type if token else "",
        "token_state": token.state if token else "",
        "error_code": token.error_code if token else "",
        "error_message": token.error_msg if token else "",
        "card_brand": card.brand if card else "",
        # A masked number keeps at most 6 leading and 4 trailing digits ("424242******4242");
        # a number too short to be a card keeps only its last 4.
        "card_first6": card_digits[:6] if card and len(card_digits) >= 10 else "",
        "card_last4": card.last4 if card else "",
        "card_exp_month": card.exp_month if card else "",
        "card_exp_year": card.exp_year if card else "",
    }
    fitted = {name: _fit(value, name) for name, value in text_values.items()}
    for name in _REPEATED_FIELDS:
        fitted[name] = sys.intern(fitted[name])
    return IndexRow(**fitted, token_is_default=token.is_default if token else None)
