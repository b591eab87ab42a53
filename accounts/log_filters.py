"""Logging filters: tag every line with the request, and keep secrets and forgeries out of
every line.

``SecretRedactionFilter`` sits on every handler of every process the dashboard runs (the
root handler in ``settings.LOGGING``, which web requests, management commands and task
workers share, and gunicorn's own access and error logs, see ``dashboard/gunicorn_logging.py``).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl

from .redaction import redact_secrets
from .request_context import current_request_id, current_username

__all__ = [
    "QUERY_VALUE_DROPPED",
    "RequestContextFilter",
    "RequestLineQueryFilter",
    "SecretRedactionFilter",
    "control_characters_escape",
    "query_values_drop",
]

QUERY_VALUE_DROPPED = "..."

# Characters that could end a line, rewrite it on a terminal or hide text: C0 and C1
# controls (newlines, carriage return, escape...), DEL, Unicode line and paragraph
# separators, direction overrides and zero-width characters.
_CONTROL_CHARACTERS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Lines of a traceback after the first are indented by this much: a log line proper starts
# with its date in the first column, so nothing in a traceback can pass for one.
_CONTINUATION_INDENT = "    "
_SANITISED = "_dashboard_sanitised"


def _escape(match: re.Match) -> str:
    character = match[0]
    return _NAMED_ESCAPES.get(character) or f"\\u{ord(character):04x}"


def control_characters_escape(text: str) -> str:
    """``text`` with every control character written as an escape (a newline as ``\\n``),
    so a value taken from a request cannot start a line of its own in a log."""
    return _CONTROL_CHARACTERS.sub(_escape, text)


def query_values_drop(query: str) -> str:
    """``q=4111...&page=2`` becomes ``q=...&page=...``: which parameters, never their values.

    Values can hold anything a person typed, a card number among them, and percent-encoded
    (``next=%2F...%3Fq%3D4111%2B1111...``) where no pattern could recognise one.
    """
    names = [name for name, _value in parse_qsl(query, keep_blank_values=True)]
    return "&".join(f"{name}={QUERY_VALUE_DROPPED}" for name in names)


def _multiline_escape(text: str) -> str:
    """A traceback kept on several lines, each line escaped and all but the first indented."""
    lines = text.split("\n")
    escaped = [control_characters_escape(line) for line in lines]
    return ("\n" + _CONTINUATION_INDENT).join(escaped)


class RequestContextFilter(logging.Filter):
    """Add ``request_id`` and ``user`` to every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Tag the record; never drops it."""
        record.request_id = current_request_id()
        # Escaped here as well: a record written by two handlers is tagged twice.
        record.user = control_characters_escape(current_username())
        return True


class SecretRedactionFilter(logging.Filter):
    """Rewrite each record so no token value or card number can be written, and no line
    can be forged.

    The message is rendered here (arguments merged in) and redacted as a whole, because a
    secret could come in through any argument; then every control character in it is
    escaped, because any argument may be a value from a request (a username, a path) and a
    raw newline there would write a line of the sender's choosing. Traceback text is
    redacted and escaped too, keeping its own line breaks, indented.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact and escape the record in place, once whatever the handlers; never drops it."""
        if getattr(record, _SANITISED, False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  (a broken format string must not hide the line)
            message = f"{record.msg!r} {record.args!r}"
        record.msg = control_characters_escape(redact_secrets(message))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _multiline_escape(redact_secrets(record.exc_text))
        if record.stack_info:
            record.stack_info = _multiline_escape(redact_secrets(record.stack_info))
        user = getattr(record, "user", None)
        if isinstance(user, str):
            record.user = control_characters_escape(redact_secrets(user))
        setattr(record, _SANITISED, True)
        return True


class RequestLineQueryFilter(logging.Filter):
    """Leave query values out of a server's request line (``"GET /path?q=... HTTP/1.1"``),
    the first argument of the development server's (``django.server``) log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the request line in place; never drops the record."""
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            method, space, rest = record.args[0].partition(" ")
            target, space_after, protocol = rest.rpartition(" ")
            if not space_after:  # no protocol: the whole rest is the target
                target, protocol = rest, ""
            path, question_mark, query = target.partition("?")
            if question_mark:
                line = f"{method}{space}{path}?{query_values_drop(query)}"
                line += f" {protocol}" if protocol else ""
                record.args = (line, *record.args[1:])
        return True
