"""Remove payment token values and card numbers from any text before it is stored or logged.

The Wonder client already drops token values and masks card numbers, so this is the second
line: whatever a future bug or a verbose library puts in a log line or an audit event, a
token value or a full card number never reaches disk.
"""

from __future__ import annotations

import re

__all__ = ["CARD_NUMBER_PATTERN", "REDACTED", "redact_secrets", "redact_value"]

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
# 13 to 19 digits, every card number length, grouped as people type or paste them: up to
# three separators between digits from spaces (any, line breaks included), dashes (ASCII,
# en and em dashes, the minus sign), dots, slashes and underscores. "4111.1111.1111.1111",
# "4111  1111  1111  1111" and "4111 – 1111 – …" are all card numbers. Colons, commas and
# letters end a run, so times ("09:42:39,662"), a date with its time (12 digits) and phone
# numbers (at most 15 digits, and "+" ends a run) are left alone. Two dates written
# back to back ("2026-11-24/2026-11-25") are masked: the price of not missing a card.
# No Luhn check on purpose: a card-like number that fails Luhn is still not worth the risk.
# A run must stand on its own: one touching a letter, an underscore or a dash is part of a
# longer token, such as a uuid whose middle groups happen to be all digits
# ("8c3e2d1a-5529-7872-0303-43ab…"): redacting that broke request ids in the logs.
# Public: finance's follow-up notes are masked with the same rule (binding_report.py).
CARD_NUMBER_PATTERN = re.compile(
    r"(?<![\w\-])(?:\d[\s\-\u2010-\u2015\u2212./_]{0,3}){12,18}\d(?![\w\-])"
)


def redact_secrets(text: str) -> str:
    """Return ``text`` with token values and 13-19 digit card numbers replaced, and without
    NUL characters (PostgreSQL refuses them in text and JSON, and a log has no use for them)."""
    if not text:
        return text
    text = text.replace("\x00", "")
    text = _QUOTED_TOKEN_PAIR.sub(
        lambda match: f"{match['key']}{match['quote']}{REDACTED}{match['quote']}", text
    )
    text = _BARE_TOKEN_PAIR.sub(lambda match: f"{match['key']}{REDACTED}", text)
    text = _TOKEN_VALUE.sub(REDACTED, text)
    return CARD_NUMBER_PATTERN.sub(REDACTED, text)


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
    if isinstance(value, int) and not isinstance(value, bool) and 13 <= len(str(abs(value))) <= 19:
        return REDACTED
    return value
