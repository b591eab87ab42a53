"""Cheap, deterministic random draws keyed by (seed, index, purpose).

Every generated value is a pure function of the seed and a customer's index, so any
customer can be produced on demand without producing the ones before it. A BLAKE2b digest
per (seed, index, purpose) is about seven times cheaper than seeding a ``random.Random``
and, unlike ``random``, its output is fixed by the hash's specification, not by the
Python version.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["Draws", "digest_hex"]

_T = TypeVar("_T")
_DIGEST_BYTES = 64
_WORDS_OF_DIGEST = struct.Struct("<16I")  # one 64-byte digest as sixteen 32-bit words
_SEED_AND_INDEX = struct.Struct("<qq")  # seeds and indices are 64-bit signed integers


def digest_hex(seed: int, index: int, purpose: bytes, hex_chars: int) -> str:
    """``hex_chars`` lowercase hex characters derived from (seed, index, purpose)."""
    digest = hashlib.blake2b(
        _SEED_AND_INDEX.pack(seed, index), digest_size=(hex_chars + 1) // 2, person=purpose
    )
    return digest.hexdigest()[:hex_chars]


class Draws:
    """A stream of 32-bit draws derived from (seed, index, purpose).

    ``purpose`` (at most 16 bytes) separates streams, so that adding a draw for one field
    never shifts the values of another field.
    """

    __slots__ = ("_digest", "_words")

    def __init__(self, seed: int, index: int, purpose: bytes) -> None:
        self._digest = hashlib.blake2b(
            _SEED_AND_INDEX.pack(seed, index), digest_size=_DIGEST_BYTES, person=purpose
        )
        self._refill()

    def _refill(self) -> None:
        """Load the next sixteen words of the stream."""
        block = self._digest.digest()
        # Feeding the block back in extends the stream for the rare record needing > 16 words.
        self._digest.update(block)
        self._words = list(_WORDS_OF_DIGEST.unpack(block))

    def word(self) -> int:
        """The next uniform 32-bit integer."""
        if not self._words:
            self._refill()
        return self._words.pop()

    def below(self, bound: int) -> int:
        """An integer in ``range(bound)``; the modulo bias is far below anything visible."""
        return self.word() % bound

    def pick(self, choices: Sequence[_T]) -> _T:
        """One element of ``choices``, uniformly."""
        return choices[self.word() % len(choices)]

    def chance(self, per_mille: int) -> bool:
        """True with probability ``per_mille`` / 1000."""
        return self.word() % 1000 < per_mille

    def weighted(self, rows: Sequence[_T]) -> _T:
        """One of ``rows``, each a tuple whose second item is its share in per-mille.

        The shares must add up to 1000; the tables in vocabulary.py are written that way
        so a reader sees the distribution as it is.
        """
        roll = self.word() % 1000
        for row in rows:
            roll -= row[1]  # type: ignore[index]
            if roll < 0:
                return row
        return rows[-1]

    def digits(self, count: int) -> str:
        """``count`` random decimal digits (``count`` at most 9), zero-padded."""
        return str(self.word() % 10**count).zfill(count)
