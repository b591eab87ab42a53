"""What a page says when it replaced a bad value from its URL.

Shared URLs, bookmarks and hand-edited links carry values a page cannot use. The page shows
what it can instead of an error and says which value it replaced, in the same words
everywhere (rendered by ``_partials/corrections.html``).
"""

from __future__ import annotations

__all__ = ["correction_note"]

# Enough of a bad value to recognise it; the rest could be anything, 5,000 characters long.
_SHOWN_CHARACTERS = 40


def correction_note(*, label: str, given, replacement: str, problem: str = "is not valid") -> str:
    """``Page 'abc' is not valid; showing page 1 instead.``"""
    return f"{label} {str(given)[:_SHOWN_CHARACTERS]!r} {problem}; showing {replacement} instead."
