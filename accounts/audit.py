"""The audit trail's entry point: every view that shows or exports personal data calls it.

Each event is stored as an ``accounts.AuditEvent`` row and written as a log line on the
``accounts.audit`` logger. Target and detail are redacted before either, so a token
value or card number passed by mistake never reaches the database or a log.
"""

from __future__ import annotations

import json
import logging
import re

from django.db import DatabaseError, transaction

from accounts.models import AuditEvent
from accounts.redaction import redact_secrets, redact_value
from accounts.request_context import client_ip_address

__all__ = ["audit_event_record"]

logger = logging.getLogger("accounts.audit")

# A field written bare in the log line: nothing that could end the field or the line.
_BARE_LOG_FIELD = re.compile(r"[\w.@+/:#-]+")


def _log_field(value: str) -> str:
    """``value`` as one ``key=value`` field of the audit log line.

    The username and the target come from the request (a login form, a URL). Written as they
    came, "x outcome=success user=admin1" would add fields, and a newline a whole line of
    the sender's choosing. Anything but a plain word is written as a JSON string, its
    quotes, spaces and control characters escaped.
    """
    if _BARE_LOG_FIELD.fullmatch(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def audit_event_record(
    *,
    request,
    action: str,
    target: str = "",
    outcome: str = "success",
    detail: dict | None = None,
    username: str | None = None,
) -> AuditEvent | None:
    """Record that ``request.user`` did ``action`` on ``target`` with ``outcome``.

    ``username`` names the actor when there is no logged-in user yet (a failed login).
    Returns the stored event, or None when the database refused it (logged as an error:
    a broken audit table must not take the dashboard down with it).
    """
    user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    actor = username if username is not None else (user.get_username() if user else "")
    safe_target = redact_secrets(str(target))[:255]
    safe_detail = redact_value(detail or {})
    logger.info(
        "audit action=%s outcome=%s user=%s target=%s detail=%s",
        _log_field(action),
        _log_field(outcome),
        _log_field(redact_secrets(actor) or "-"),
        _log_field(safe_target),
        json.dumps(safe_detail, ensure_ascii=False, sort_keys=True, default=str),
    )
    try:
        # A savepoint: a refused row must not break the transaction around it (if any).
        with transaction.atomic():
            return AuditEvent.objects.create(
                user=user,
                username=redact_secrets(actor)[:150],
                action=action[:64],
                target=safe_target,
                outcome=outcome[:16],
                client_ip=client_ip_address(request) if request is not None else None,
                request_id=getattr(request, "request_id", "")[:36],
                detail=safe_detail,
            )
    except DatabaseError:
        logger.exception("audit event could not be stored action=%s", action)
        return None
