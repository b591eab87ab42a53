"""The audit trail's entry point: every view that shows or exports personal data calls it.

Until the AuditEvent model exists (the accounts and audit issue), events are written as
structured log lines on the ``customers_app.audit`` logger. Callers do not change when
the model lands. Never pass token values or card numbers in ``target`` or ``detail``.
"""

from __future__ import annotations

import logging

__all__ = ["audit_event_record"]

logger = logging.getLogger("customers_app.audit")


def audit_event_record(
    *,
    request,
    action: str,
    target: str = "",
    outcome: str = "success",
    detail: dict | None = None,
) -> None:
    """Record that ``request.user`` did ``action`` on ``target`` with ``outcome``."""
    user = getattr(request, "user", None)
    username = user.get_username() if user is not None and user.is_authenticated else "-"
    logger.info(
        "audit action=%s outcome=%s user=%s target=%s detail=%s",
        action,
        outcome,
        username,
        target,
        detail or {},
    )
