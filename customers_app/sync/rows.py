"""What the customer index keeps of one Wonder customer: a flat, typed row.

The one place a customer record becomes an index row, so the sync and anything that fills
the index for a test agree. No token value gets here (the record has none), and the card is
kept as its first 6 and last 4 digits only, as the client already masked it.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
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
        values = list(index_row_values(self))
        # Every field is text but one (True / False / None): str() it, and only it.
        values[_TOKEN_IS_DEFAULT] = str(values[_TOKEN_IS_DEFAULT])
        return hashlib.sha256("\x1f".join(values).encode()).hexdigest()

    def as_model(self, *, seen_at: datetime) -> IndexedCustomer:
        """An unsaved model instance, first and last seen at ``seen_at``."""
        values = dict(zip(_FIELD_NAMES, index_row_values(self), strict=True))
        return IndexedCustomer(
            **values, fingerprint=self.fingerprint(), first_seen_at=seen_at, last_seen_at=seen_at
        )


_FIELD_NAMES = tuple(field.name for field in fields(IndexRow))
# The row's fields as a tuple, in declaration order (dataclasses.astuple deep-copies).
index_row_values = operator.attrgetter(*_FIELD_NAMES)
_TOKEN_IS_DEFAULT = _FIELD_NAMES.index("token_is_default")
# The text fields, in order: every field but token_is_default.
_TEXT_FIELDS = tuple(name for name in _FIELD_NAMES if name != "token_is_default")
_REPEATED_POSITIONS = tuple(_TEXT_FIELDS.index(name) for name in _REPEATED_FIELDS)
_NOT_ASCII_DIGITS = re.compile(r"[^0-9]+")


@functools.cache
def _column_lengths() -> tuple[int, ...]:
    """Each text field's column length, in ``_TEXT_FIELDS`` order."""
    return tuple(IndexedCustomer._meta.get_field(name).max_length for name in _TEXT_FIELDS)


def _fitted(values: list[str]) -> list[str]:
    """Trim upstream text to the columns (PostgreSQL refuses longer) and drop NUL bytes.

    A sync fits 19 values of every customer Wonder has: one slice each (a no-op on a short
    string, which is nearly all of them) and one look for NUL in all of them at once.
    """
    lengths = _column_lengths()
    if "\x00" in "".join(values):
        return [
            value.replace("\x00", "")[:length]
            for value, length in zip(values, lengths, strict=True)
        ]
    return [value[:length] for value, length in zip(values, lengths, strict=True)]


def _digits(text: str) -> str:
    """The ASCII digits of ``text``, in order."""
    return _NOT_ASCII_DIGITS.sub("", text) if text else ""


def index_row_from_customer(customer: Customer, linked_source_type: str) -> IndexRow:
    """The index row for ``customer`` of ``linked_source_type`` (User or Store)."""
    token = customer.default_payment_token
    card = token.credit_card if token else None
    phone_digits = _digits(customer.phone)
    if card is not None:
        card_digits = _digits(card.number)
        # A masked number keeps at most 6 leading and 4 trailing digits ("424242******4242");
        # a number too short to be a card keeps only its last 4.
        card_values = [
            card.brand,
            card_digits[:6] if len(card_digits) >= 10 else "",
            card.last4,
            card.exp_month,
            card.exp_year,
        ]
    else:
        card_values = ["", "", "", "", ""]
    if token is not None:
        token_values = [token.token_type, token.state, token.error_code, token.error_msg]
    else:
        token_values = ["", "", "", ""]
    # In _TEXT_FIELDS order.
    values = _fitted(
        [
            customer.uuid,
            customer.reference_number,
            customer.name,
            customer.email,
            customer.dial_code,
            customer.phone,
            phone_digits,
            _digits(customer.dial_code) + phone_digits,
            linked_source_type,
            customer.default_payment_method,
            *token_values,
            *card_values,
        ]
    )
    for position in _REPEATED_POSITIONS:
        values[position] = sys.intern(values[position])
    values.insert(_TOKEN_IS_DEFAULT, token.is_default if token else None)
    return IndexRow(*values)
