"""What the customer index keeps of one Wonder customer: a flat, typed row.

The one place customers become index rows, so the sync and anything that fills the index
for a test agree. A page arrives as columns (``wonder/columns.py``) and its rows are built
column by column with C-level ``map``/``zip``: a Python function per customer cost more
than twice the page's decoding at a million customers (bench/README.md). No token value
gets here (the client never reads one), and the card is kept as its first 6 and last 4
digits only, as the client already masked it.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass, fields

from customers_app.models import IndexedCustomer
from wonder import Customer
from wonder.columns import CustomerColumns, customer_columns_from_records
from wonder.records import BINDING_PROBLEM_STATES, card_last4, card_numbers_masked

__all__ = [
    "INDEX_FIELDS",
    "STAGED_FIELDS",
    "IndexRow",
    "index_row_from_customer",
    "staged_columns",
    "staged_rows",
]


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


INDEX_FIELDS = tuple(field.name for field in fields(IndexRow))
# What staging keeps of a customer: its index row, the masked card number the report
# shows ("424242******4242") and whether the binding is a problem (the report's rule).
STAGED_FIELDS = (*INDEX_FIELDS, "card_number", "binding_problem")
# The text fields, in order: every field but token_is_default.
_TEXT_FIELDS = tuple(name for name in INDEX_FIELDS if name != "token_is_default")
_NOT_ASCII_DIGITS = re.compile(r"[^0-9]+")


@functools.cache
def _column_lengths() -> dict[str, int]:
    return {name: IndexedCustomer._meta.get_field(name).max_length for name in _TEXT_FIELDS}


def _fitted(values: list[str], length: int) -> list[str]:
    """Trim upstream text to its column (PostgreSQL refuses longer) and drop NUL bytes.

    Two C-level looks over the whole column (its longest value, a NUL anywhere), so the
    nearly every column that needs neither is returned as it is.
    """
    if values and "\x00" in "".join(values):
        values = [value.replace("\x00", "") for value in values]
    if values and max(map(len, values)) > length:
        values = [value[:length] for value in values]
    return values


def _digits(values: list[str]) -> list[str]:
    """The ASCII digits of each value, in order ("6589 8353" -> "65898353")."""
    joined = "".join(values)
    if joined.isascii() and joined.isdigit():  # no value holds anything else: as they are
        return values
    return [
        value if value.isascii() and value.isdigit() else _NOT_ASCII_DIGITS.sub("", value)
        for value in values
    ]


_FIRST6 = operator.itemgetter(slice(None, 6))
_LAST4 = operator.itemgetter(slice(-4, None))


def _card_first6_last4(numbers: list[str]) -> tuple[list[str], list[str]]:
    """Each number's first 6 and last 4 digits ("" where it has none to keep)."""
    if card_numbers_masked(numbers):
        # Every number "424242******4242" or blank: slices say it (blank gives blank).
        return list(map(_FIRST6, numbers)), list(map(_LAST4, numbers))
    return _card_first6(numbers), list(map(card_last4, numbers))


def _card_first6(numbers: list[str]) -> list[str]:
    # A masked number keeps at most 6 leading and 4 trailing digits ("424242******4242");
    # a number too short to be a card keeps only its last 4. The client's masking leaves
    # digits and "*" only, so six ASCII digits in front and four behind are 10 digits.
    return [
        head
        if len(number) >= 10
        and (head := number[:6]).isdigit()
        and head.isascii()
        and number[-4:].isdigit()
        else _first6_of_digits(number)
        for number in numbers
    ]


def _first6_of_digits(number: str) -> str:
    digits = _NOT_ASCII_DIGITS.sub("", number) if number else ""
    return digits[:6] if len(digits) >= 10 else ""


def _binding_problems(states: list[str], error_codes: list[str]) -> list[bool]:
    """The failed bindings report's rule (``records.is_binding_problem``) per customer:
    a problem state, or any error code. The states are stripped text (``CustomerColumns``)
    and a page holds a handful of them: each is judged once."""
    problem_state = {state: state.lower() in BINDING_PROBLEM_STATES for state in set(states)}
    return list(map(operator.or_, map(problem_state.__getitem__, states), map(bool, error_codes)))


def staged_columns(columns: CustomerColumns, linked_source_type: str) -> list[list]:
    """One page's staging values, one list per ``STAGED_FIELDS`` name, in that order."""
    phone_digits = _digits(columns.phone)
    # A page holds a handful of dial codes ("+852", "+86"): each one's digits once.
    dial_digits = dict(zip(codes := set(columns.dial_code), _digits(list(codes)), strict=True))
    full_phone_digits = list(map(str.__add__, map(dial_digits.__getitem__, columns.dial_code),
                                 phone_digits))  # fmt: skip
    text = {
        "uuid": columns.uuid,
        "reference_number": columns.reference_number,
        "name": columns.name,
        "email": columns.email,
        "dial_code": columns.dial_code,
        "phone": columns.phone,
        "phone_digits": phone_digits,
        "full_phone_digits": full_phone_digits,
        "linked_source_type": [linked_source_type] * len(columns),
        "default_payment_method": columns.default_payment_method,
        "token_type": columns.token_type,
        "token_state": columns.token_state,
        "error_code": columns.error_code,
        "error_message": columns.error_message,
        "card_brand": columns.card_brand,
        "card_exp_month": columns.card_exp_month,
        "card_exp_year": columns.card_exp_year,
    }
    text["card_first6"], text["card_last4"] = _card_first6_last4(columns.card_number)
    lengths = _column_lengths()
    values = [
        columns.token_is_default
        if name == "token_is_default"
        else _fitted(text[name], lengths[name])
        for name in INDEX_FIELDS
    ]
    # The report keeps the masked number as the client made it ("424242******4242").
    card_number = _fitted(columns.card_number, 32)
    problems = _binding_problems(columns.token_state, columns.error_code)
    return [*values, card_number, problems]


def staged_rows(columns: CustomerColumns, linked_source_type: str) -> list[tuple]:
    """One page's staging rows: a tuple of ``STAGED_FIELDS`` values per customer."""
    return list(zip(*staged_columns(columns, linked_source_type), strict=True))


def index_row_from_customer(customer: Customer, linked_source_type: str) -> IndexRow:
    """The index row for one ``customer`` of ``linked_source_type`` (User or Store)."""
    (row,) = staged_rows(customer_columns_from_records([customer]), linked_source_type)
    return IndexRow(*row[: len(INDEX_FIELDS)])
