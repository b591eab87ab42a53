"""Logging filters: tag every line with the request, and keep secrets out of every line."""

from __future__ import annotations

import logging

from .redaction import redact_secrets
from .request_context import current_request_id, current_username

__all__ = ["RequestContextFilter", "SecretRedactionFilter"]


class RequestContextFilter(logging.Filter):
    """Add ``request_id`` and ``user`` to every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Tag the record; never drops it."""
        record.request_id = current_request_id()
        record.user = current_username()
        return True


class SecretRedactionFilter(logging.Filter):
    """Rewrite each record so no token value or card number can be written.

    The message is rendered here (arguments merged in) and redacted as a whole, because a
    secret could come in through any argument; the traceback text is redacted too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; never drops it."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  (a broken format string must not hide the line)
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact_secrets(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_secrets(record.stack_info)
        return True
