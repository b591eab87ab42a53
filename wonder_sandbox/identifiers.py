"""Identifiers that look real but encode a customer's index, so lookups are O(1).

* uuid: a well-formed UUID4 whose 88 high bits are a hash of (seed, index) and whose 40 low
  bits are the index masked by a function of those high bits. Decoding recovers a candidate
  index; re-encoding it must give the same text, so a uuid that merely looks right (or one
  from another seed) is not ours and answers 404.
* reference number: ``CUST-<index, 8+ digits>`` for a User, ``STORE-<index>`` for a Store,
  the merchant-side id the dashboard searches by. The padding is canonical: ``CUST-7`` is
  not customer 7.
"""

from __future__ import annotations

import re

from .entropy import digest_hex

__all__ = [
    "REFERENCE_PREFIXES",
    "candidate_index_from_reference",
    "candidate_index_from_uuid",
    "customer_uuid",
    "reference_number",
    "uuid4_like",
]

_INDEX_BITS = 40
_INDEX_MASK = (1 << _INDEX_BITS) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_REFERENCE_PATTERN = re.compile(r"(CUST|STORE)-([0-9]{8,})")

REFERENCE_PREFIXES = {"User": "CUST", "Store": "STORE"}


def _as_uuid4(value: int) -> int:
    """Force the version (4) and variant (10xx) bits, as ``uuid.UUID(version=4)`` does."""
    value &= ~(0xF000 << 64)
    value |= 0x4000 << 64
    value &= ~(0xC000 << 48)
    value |= 0x8000 << 48
    return value


def _format_uuid(value: int) -> str:
    """The canonical 8-4-4-4-12 lowercase text of a 128-bit value."""
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _index_mask(high_bits: int) -> int:
    """The 40-bit mask hiding the index, derived from the uuid's hash bits."""
    # Multiplicative mixing, so consecutive customers' uuids do not share their low digits.
    return (high_bits * _GOLDEN >> 64) & _INDEX_MASK


def customer_uuid(seed: int, index: int) -> str:
    """The Wonder uuid of customer ``index`` under ``seed``."""
    high = int(digest_hex(seed, index, b"customer-uuid", 22), 16)
    value = _as_uuid4(high << _INDEX_BITS)
    value |= index ^ _index_mask(value >> _INDEX_BITS)
    return _format_uuid(value)


def candidate_index_from_uuid(text: str) -> int | None:
    """The index a uuid would belong to, or None if it is not a UUID4 at all.

    The caller must still check the index is in range and that ``customer_uuid`` of it
    gives back the same text.
    """
    text = text.lower()
    if not _UUID_PATTERN.fullmatch(text):
        return None
    value = int(text.replace("-", ""), 16)
    return (value & _INDEX_MASK) ^ _index_mask(value >> _INDEX_BITS)


def uuid4_like(seed: int, index: int, purpose: bytes) -> str:
    """A random-looking UUID4 for ids that need no inversion (e.g. ``verify_uuid``)."""
    return _format_uuid(_as_uuid4(int(digest_hex(seed, index, purpose, 32), 16)))


def reference_number(index: int, linked_source_type: str) -> str:
    """The canonical merchant reference number of customer ``index``."""
    return f"{REFERENCE_PREFIXES[linked_source_type]}-{index:08d}"


def candidate_index_from_reference(text: str) -> int | None:
    """The index a canonical reference number names, or None; the caller re-checks it."""
    match = _REFERENCE_PATTERN.fullmatch(text)
    return int(match.group(2)) if match else None
