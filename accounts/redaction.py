"""Remove payment token values and card numbers from any text before it is stored or logged.

The Wonder client already drops token values and masks card numbers, so this is the second
line: whatever a future bug or a verbose library puts in a log line or an audit event, a
token value or a full card number never reaches disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = [
    "CARD_NUMBER_PATTERN",
    "REDACTED",
    "UUID_PATTERN",
    "card_numbers_replace",
    "redact_secrets",
    "redact_value",
]

REDACTED = "[REDACTED]"

# Wonder's token values look like ``tok_...``; redact the whole value whatever the context.
_TOKEN_VALUE = re.compile(r"\btok_[A-Za-z0-9_-]+")
# "token": "...", 'token': '...', token="..." (JSON, Python reprs, key=value lines).
_QUOTED_TOKEN_PAIR = re.compile(
    r"""(?P<key>["']?\btoken["']?\s*[:=]\s*)(?P<quote>["'])(?P<value>.*?)(?P=quote)""",
    re.IGNORECASE,
)
# token=abc123 (unquoted, as in query strings and key=value log lines).
_BARE_TOKEN_PAIR = re.compile(r"""(?P<key>\btoken\s*=\s*)(?P<value>[^\s"',&;}\]]+)""", re.I)

# Characters that show nothing: zero-width spaces and joiners, the soft hyphen, direction
# marks. Pasted text carries them, and they would split a card number without anyone seeing.
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# Between two digits of one number: up to three characters that are neither letters nor
# digits (spaces, line breaks, dashes, dots, slashes, underscores, commas, brackets...), and
# any number of invisible ones. Four or more (the stars of a masked "411111******1111") end
# the number.
# Atomic: separators and digits never overlap, so giving back part of a gap can never lead
# to a match, and not trying keeps a long run of separators from costing more than a glance.
_GAP = rf"(?>(?:[{_INVISIBLE}]*(?:[^\w{_INVISIBLE}]|_)){{0,3}}[{_INVISIBLE}]*)"
# A run of digits, each up to a gap from the next. Letters touching it do not matter:
# "card4111111111111111", "4111111111111111x" and "cc_4111..." are card numbers all the same.
# Public: finance's follow-up notes are masked with the same rule (bindings/report.py).
CARD_NUMBER_PATTERN = re.compile(rf"\d(?:{_GAP}\d)*")
# A run of this many digits or more is masked. Card numbers have 13 to 19; a longer run is
# masked too, because it can be a card number written next to another number
# ("4111111111111111 2026-11-30"), and leaving it alone would write the card in full.
# No Luhn check on purpose: a card-like number that fails Luhn is still not worth the risk.
CARD_NUMBER_MIN_DIGITS = 13
# uuids (our request ids, Wonder's request ids and customer uuids) are recognised by their
# shape and left readable, even when their middle groups happen to be all digits
# ("8c3e2d1a-5529-7872-0303-43ab12cd34ef").
UUID_PATTERN = re.compile(
    r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
    r"[0-9A-Fa-f]{12}(?![0-9A-Fa-f])"
)


def card_numbers_replace(text: str, replacement: Callable[[str], str]) -> tuple[str, int]:
    """``text`` with every card-like run of digits replaced by ``replacement(run)``, and how
    many were replaced. uuids are kept as they are."""
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        run = match[0]
        if sum(character.isdigit() for character in run) < CARD_NUMBER_MIN_DIGITS:
            return run
        count += 1
        return replacement(run)

    parts = []
    position = 0
    for uuid in UUID_PATTERN.finditer(text):
        parts.append(CARD_NUMBER_PATTERN.sub(replace, text[position : uuid.start()]))
        parts.append(uuid[0])
        position = uuid.end()
    parts.append(CARD_NUMBER_PATTERN.sub(replace, text[position:]))
    return "".join(parts), count


def redact_secrets(text: str) -> str:
    """Return ``text`` with token values and card-like numbers replaced, and without
    NUL characters (PostgreSQL refuses them in text and JSON, and a log has no use for them)."""
    if not text:
        return text
    text = text.replace("\x00", "")
    text = _QUOTED_TOKEN_PAIR.sub(
        lambda match: f"{match['key']}{match['quote']}{REDACTED}{match['quote']}", text
    )
    text = _BARE_TOKEN_PAIR.sub(lambda match: f"{match['key']}{REDACTED}", text)
    text = _TOKEN_VALUE.sub(REDACTED, text)
    return card_numbers_replace(text, lambda _run: REDACTED)[0]


def redact_value(value):
    """Redact strings inside a JSON-like value (dicts, lists, strings), keeping its shape.

    A dict key named ``token`` loses its value whatever the value is.
    """
    if isinstance(value, str):
        return redact_secrets(value)
    if isinstance(value, dict):
        return {
            str(key): REDACTED if str(key).lower() == "token" else redact_value(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact_value(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) >= 13:
        return REDACTED
    return value
