"""Typed, immutable records for what Wonder returns.

Upstream JSON becomes these records at the client boundary and nowhere else. Two things
never get in: the payment ``token`` value (it can charge the customer), and any card
number digits beyond the first 6 and last 4.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .columns import CustomerColumns

__all__ = [
    "BINDING_PROBLEM_STATES",
    "KNOWN_TOKEN_STATES",
    "CreditCard",
    "Customer",
    "CustomerPage",
    "LINKED_SOURCE_TYPES",
    "PaymentToken",
    "card_last4",
    "card_numbers_masked",
    "is_binding_problem",
    "mask_card_number",
]

LINKED_SOURCE_TYPES = ("User", "Store")
KNOWN_TOKEN_STATES = ("success", "pending", "failed")
# Default-token states that mean a card binding needs finance's attention: failed binds,
# and binds stuck waiting for 3-D Secure. Any token with an error code counts as well.
BINDING_PROBLEM_STATES = frozenset({"failed", "pending"})
# Characters Wonder (and card schemes) use to blank out card digits.
_MASK_CHARACTERS = frozenset("*xX•#")
# A number already masked to its first 6 and last 4 digits ("424242******4242").
_MASKED = r"[0-9]{6}\*+[0-9]{4}"
_ALREADY_MASKED = re.compile(_MASKED).fullmatch
# A column of numbers, one per line, each already masked or blank.
_MASKED_LINES = re.compile(rf"(?:(?:{_MASKED})?\n)*").fullmatch


def is_binding_problem(*, state: str, error_code: str) -> bool:
    """The failed bindings report's rule, for a record or a raw row alike."""
    return state.strip().lower() in BINDING_PROBLEM_STATES or error_code.strip() != ""


def card_last4(number: str) -> str:
    """The last 4 digits of a (masked) card number, or "" when it does not end in 4."""
    tail = number[-4:]
    return tail if tail.isdigit() else ""


def card_numbers_masked(numbers: list[str]) -> bool:
    """True when every one of ``numbers`` is blank or already masked ("424242******4242").

    One C-level match over a page's whole column, so the sync (every card Wonder has)
    looks at each number only in a page where some number needs masking.
    """
    joined = "\n".join(numbers)
    # A number holding a line break would otherwise pass as two masked numbers.
    return joined.count("\n") == len(numbers) - 1 and _MASKED_LINES(joined + "\n") is not None


def mask_card_number(raw: str) -> str:
    """Re-mask a card number so at most the first 6 and last 4 digits remain.

    Wonder is expected to send ``424242******4242`` already, but we do not rely on an
    upstream to keep card data safe: whatever arrives, digits outside those positions
    become ``*``. Numbers too short to be a card keep only their last 4 digits.
    """
    if _ALREADY_MASKED(raw):
        # What this would return anyway, without the per-character loop: the sync masks
        # every card number Wonder has.
        return raw
    characters = [c for c in raw if c.isdigit() or c in _MASK_CHARACTERS]
    length = len(characters)
    keep_first = 6 if length >= 12 else 0
    return "".join(
        c if c.isdigit() and (i < keep_first or i >= length - 4) else "*"
        for i, c in enumerate(characters)
    )


def _pickled_by_constructor(cls):
    """Pickle a frozen, slotted record as ``cls(*field values)``.

    Pages of customers live in the cache as pickles, read on every list page. The stock
    pickling of ``slots=True`` dataclasses calls ``dataclasses.fields()`` for every record,
    both ways: on a cached page of 101 customers (~270 records) that was about a fifth of a
    warm page's own work (bench/README.md). Pickles written the stock way still load.
    """
    values = operator.attrgetter(*(field.name for field in fields(cls)))

    def __reduce__(self):
        return (cls, values(self))

    cls.__reduce__ = __reduce__
    return cls


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class CreditCard:
    """The card behind a CreditCard token; ``number`` is always masked."""

    number: str
    brand: str = ""
    exp_month: str = ""
    exp_year: str = ""
    holder_name: str = ""
    billing_currency: str = ""

    @property
    def last4(self) -> str:
        return card_last4(self.number)

    @property
    def expiry(self) -> str:
        """``MM/YYYY`` when both parts are known, else whatever part is known."""
        month = self.exp_month.zfill(2) if self.exp_month else ""
        if month and self.exp_year:
            return f"{month}/{self.exp_year}"
        return month or self.exp_year

    def is_expired(self, today: date) -> bool:
        """Whether the card's expiry month is over on ``today``; False when it is unknown.

        A card is valid through the last day of its expiry month. Two-digit years are read
        as 20YY, as printed on cards.
        """
        try:
            month, year = int(self.exp_month), int(self.exp_year)
        except ValueError:
            return False
        if not 1 <= month <= 12 or year < 0:
            return False
        if year < 100:
            year += 2000
        return (year, month) < (today.year, today.month)


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class PaymentToken:
    """A saved payment method. The secret token value is deliberately not a field."""

    token_type: str
    state: str
    is_default: bool
    error_code: str = ""
    error_msg: str = ""
    verify_url: str = ""
    verify_uuid: str = ""
    credit_card: CreditCard | None = None

    @property
    def state_kind(self) -> str:
        """``success``, ``pending`` or ``failed``; anything else Wonder sends is ``unknown``."""
        state = self.state.lower()
        return state if state in KNOWN_TOKEN_STATES else "unknown"

    @property
    def has_binding_problem(self) -> bool:
        """Failed, stuck pending, or carrying an error code: what finance follows up."""
        return is_binding_problem(state=self.state, error_code=self.error_code)

    @property
    def has_bind_error(self) -> bool:
        return bool(self.error_code or self.error_msg)


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class Customer:
    """One Wonder customer. ``uuid`` is Wonder's id; ``reference_number`` the merchant's."""

    uuid: str
    reference_number: str
    dial_code: str
    name: str = ""
    email: str = ""
    phone: str = ""
    default_payment_method: str = ""
    default_payment_token: PaymentToken | None = None

    @property
    def phone_display(self) -> str:
        return " ".join(part for part in (self.dial_code, self.phone) if part)


@_pickled_by_constructor
@dataclass(frozen=True, slots=True)
class CustomerPage:
    """One page of the customers endpoint, as asked for and as answered."""

    customers: tuple[Customer, ...]
    offset: int
    limit: int
    # From the X-Total-Entries header; None when Wonder did not send it.
    total: int | None
    linked_source_type: str | None
    fetched_at: datetime
    # How many rows Wonder returned: len(customers) unless the client kept only some
    # (``binding_problems_only``). Progress and the short-page end-of-list rule count these.
    rows_returned: int
    request_id: str = ""
    # With ``as_columns`` (the sync): the page as columns, and ``customers`` empty.
    columns: CustomerColumns | None = None
