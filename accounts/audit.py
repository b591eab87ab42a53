"""The audit trail's entry point: every view that shows or exports personal data calls it.

Each event is stored as an ``accounts.AuditEvent`` row and written as a log line on the
``accounts.audit`` logger. Target and detail are redacted before either, so a token
value or card number passed by mistake never reaches the database or a log.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction

from accounts.models import AuditEvent
from accounts.redaction import redact_secrets, redact_value
from accounts.request_context import client_ip_address

__all__ = ["audit_event_record"]

logger = logging.getLogger("accounts.audit")


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
        action,
        outcome,
        actor or "-",
        safe_target,
        safe_detail,
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
