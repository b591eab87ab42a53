"""The sandbox's customers: deterministic from a seed, generated one index at a time.

Nothing is kept in memory: ``customer(index)`` builds the record from (seed, index) each
time (about 20 microseconds), so a store of a million customers costs what one of ten does.

Which customers are Stores is a pure function of the index (every fourth one, index % 4 ==
3), so a page of one source type maps to indices arithmetically, without a scan.

The customers at HOSTILE_INDICES (see hostile.py) carry values chosen to break a careless
dashboard; they exist whenever ``count`` is above their index.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .entropy import Draws
from .hostile import HOSTILE_INDICES, HOSTILE_PATCHES, HOSTILE_REFERENCES
from .identifiers import (
    candidate_index_from_reference,
    candidate_index_from_uuid,
    customer_uuid,
    reference_number,
)
from .tokens import build_token, extra_tokens, token_state_for_roll
from .vocabulary import (
    BUSINESS_KINDS,
    DIAL_CODES,
    DISTRICTS,
    ENGLISH_GIVEN_NAMES,
    GIVEN_NAMES,
    PERSONAL_EMAIL_DOMAINS,
    SURNAMES,
)

__all__ = [
    "HOSTILE_INDICES",
    "LINKED_SOURCE_TYPES",
    "STORE_EVERY",
    "CustomerStore",
    "Identity",
    "build_customer",
    "customer_identity",
    "linked_source_type_of",
]

LINKED_SOURCE_TYPES = ("User", "Store")
STORE_EVERY = 4  # index % STORE_EVERY == STORE_EVERY - 1 is a Store; the rest are Users


def linked_source_type_of(index: int) -> str:
    """``Store`` for every fourth index (3, 7, 11, ...), ``User`` otherwise."""
    return "Store" if index % STORE_EVERY == STORE_EVERY - 1 else "User"


def _index_of(linked_source_type: str | None, position: int) -> int:
    """The index of the ``position``-th customer (0-based) of one source type."""
    if linked_source_type == "Store":
        return position * STORE_EVERY + STORE_EVERY - 1
    if linked_source_type == "User":
        users_per_cycle = STORE_EVERY - 1
        return position // users_per_cycle * STORE_EVERY + position % users_per_cycle
    return position


def _person(draws: Draws) -> tuple[str, str, str]:
    """A private customer as (display name, email local part, card holder name)."""
    surname, surname_zh = draws.pick(SURNAMES)
    given, given_zh = draws.pick(GIVEN_NAMES)
    english = draws.pick(ENGLISH_GIVEN_NAMES)
    romanised = f"{surname} {given}"
    style = draws.below(100)
    # The spread of ways HK customers give their name on a merchant's sign-up form.
    if style < 35:
        name, holder = romanised, romanised
    elif style < 60:
        name, holder = surname_zh + given_zh, romanised
    elif style < 80:
        name = holder = f"{english} {surname}"
    elif style < 90:
        name = holder = f"{english} {surname} {given}"
    else:
        name, holder = f"{surname.upper()}, {given}", romanised
    style = draws.below(4)
    # Only the chosen form is built: this runs for every row of every page.
    if style == 0:
        local = f"{english}.{surname}"
    elif style == 1:
        local = surname + "".join(part[0] for part in given.split())
    elif style == 2:
        local = given.replace(" ", "") + surname + draws.digits(2)
    else:
        local = f"{english[0]}{surname}_hk"
    return name, local.lower(), holder.upper()


def _business(draws: Draws) -> tuple[str, str, str, str]:
    """A merchant's business customer as (name, email local, email domain, holder name)."""
    district, district_zh = draws.pick(DISTRICTS)
    kind, kind_zh = draws.pick(BUSINESS_KINDS)
    owner, _ = draws.pick(SURNAMES)
    given, _ = draws.pick(GIVEN_NAMES)
    style = draws.below(100)
    if style < 50:
        name = f"{district} {kind}"
    elif style < 75:
        name = district_zh + kind_zh
    elif style < 90:
        name = f"{owner} Kee {kind}"
    else:
        name = f"{district} {kind} Co., Ltd."
    slug = "".join(char for char in f"{district}{kind}".lower() if char.isalnum())
    if draws.below(100) < 70:
        local, domain = draws.pick(("accounts", "info", "admin", "orders")), f"{slug}.com.hk"
    else:
        local, domain = slug, "gmail.com"
    return name, local, domain, f"{owner} {given}".upper()


def _phone(draws: Draws, linked_source_type: str) -> tuple[str, str]:
    """(dial code, national number) of plausible length for the country."""
    dial_code, _, prefixes, digits_after_prefix = draws.weighted(DIAL_CODES)
    if dial_code == "+852" and linked_source_type == "Store" and draws.below(2):
        prefixes = ("2", "3")  # HK fixed lines, which shops often give instead of a mobile
    return dial_code, draws.pick(prefixes) + draws.digits(digits_after_prefix)


@dataclass(frozen=True)
class Identity:
    """Who a customer is: the contact fields of the record plus the name on their cards."""

    name: str
    email: str
    dial_code: str
    phone: str
    holder_name: str


def customer_identity(seed: int, index: int) -> Identity:
    """The generated contact details of customer ``index`` (before any hostile patch)."""
    draws = Draws(seed, index, b"customer")
    linked_source_type = linked_source_type_of(index)
    if linked_source_type == "Store":
        name, local, domain, holder_name = _business(draws)
    else:
        name, local, holder_name = _person(draws)
        domain = draws.pick(PERSONAL_EMAIL_DOMAINS)
    dial_code, phone = _phone(draws, linked_source_type)
    email = "" if draws.chance(20) else f"{local}@{domain}"
    return Identity(name, email, dial_code, phone, holder_name)


def build_customer(seed: int, index: int) -> dict[str, Any]:
    """Customer ``index`` as the list endpoint returns it, before any hostile patch."""
    identity = customer_identity(seed, index)
    # A stream of its own, so the token's state does not depend on how many draws the
    # identity took.
    band = token_state_for_roll(Draws(seed, index, b"token-band").below(1000))
    customer: dict[str, Any] = {
        "name": identity.name,
        "email": identity.email,
        "dial_code": identity.dial_code,
        "phone": identity.phone,
        "reference_number": reference_number(index, linked_source_type_of(index)),
        "default_payment_method": "",
        "uuid": customer_uuid(seed, index),
        "default_payment_token": None,
    }
    if band == "no_token_absent":
        # Both "null" and "missing" occur upstream; the dashboard must read them alike.
        del customer["default_payment_method"], customer["default_payment_token"]
    elif band != "no_token_null":
        token = build_token(
            seed=seed, index=index, slot=0, state=band, holder_name=identity.holder_name
        )
        customer["default_payment_method"] = token["token_type"]
        customer["default_payment_token"] = token
    return customer


class CustomerStore:
    """Read-only access to ``count`` generated customers of one seed. Thread-safe."""

    def __init__(self, count: int, seed: int) -> None:
        self.total = count
        self.seed = seed

    def customer(self, index: int) -> dict[str, Any]:
        """Customer ``index`` (0 <= index < count), hostile patches applied; a fresh dict."""
        if not 0 <= index < self.total:
            raise IndexError(f"customer index {index} outside 0..{self.total - 1}")
        customer = build_customer(self.seed, index)
        patch = HOSTILE_PATCHES.get(index)
        if patch is not None:
            patch(customer, self.seed, index)
        return customer

    def count(self, linked_source_type: str | None = None) -> int:
        """How many customers there are, of one source type or (None) of all."""
        stores = self.total // STORE_EVERY
        if linked_source_type == "Store":
            return stores
        if linked_source_type == "User":
            return self.total - stores
        return self.total

    def page(self, linked_source_type: str | None, offset: int, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` customers of one source type (None: all), from ``offset`` on."""
        end = min(offset + limit, self.count(linked_source_type))
        return [self.customer(_index_of(linked_source_type, pos)) for pos in range(offset, end)]

    def iter_customers(self, linked_source_type: str | None = None) -> Iterator[dict[str, Any]]:
        """Every customer of one source type in list order, one at a time."""
        for position in range(self.count(linked_source_type)):
            yield self.customer(_index_of(linked_source_type, position))

    def index_of_uuid(self, uuid: str) -> int | None:
        """The index of the customer with this Wonder uuid, or None."""
        index = candidate_index_from_uuid(uuid)
        if index is None or index >= self.total:
            return None
        # Re-encoding rejects uuids that decode to an index but were never issued.
        return index if customer_uuid(self.seed, index) == uuid.lower() else None

    def index_of_reference(self, reference: str) -> int | None:
        """The index of the customer with this merchant reference number, or None."""
        index = HOSTILE_REFERENCES.get(reference)
        if index is not None:
            return index if index < self.total else None
        index = candidate_index_from_reference(reference)
        if index is None or index >= self.total or index in HOSTILE_REFERENCES.values():
            return None
        canonical = reference_number(index, linked_source_type_of(index))
        return index if canonical == reference else None

    def by_uuid(self, uuid: str) -> dict[str, Any] | None:
        """The customer with this Wonder uuid, or None."""
        index = self.index_of_uuid(uuid)
        return None if index is None else self.customer(index)

    def by_reference(self, reference: str) -> dict[str, Any] | None:
        """The customer with this merchant reference number, or None."""
        index = self.index_of_reference(reference)
        return None if index is None else self.customer(index)

    def payment_tokens(self, uuid: str) -> list[dict[str, Any]] | None:
        """All saved tokens of a customer (the default first), or None if no such customer."""
        index = self.index_of_uuid(uuid)
        if index is None:
            return None
        default_token = self.customer(index).get("default_payment_token")
        holder_name = customer_identity(self.seed, index).holder_name
        others = extra_tokens(seed=self.seed, index=index, holder_name=holder_name)
        return ([default_token] if default_token else []) + others
