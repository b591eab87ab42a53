"""The current request's id and user, for log lines and audit events.

Kept in context variables so that a log call anywhere (the Wonder client, a service, a
library) is tagged without passing the request around.
"""

from __future__ import annotations

import ipaddress
import uuid
from contextvars import ContextVar

from django.conf import settings

__all__ = [
    "client_ip_address",
    "current_request_id",
    "current_username",
    "request_id_from_header",
    "request_id_var",
    "username_var",
]

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
username_var: ContextVar[str] = ContextVar("username", default="-")


def current_request_id() -> str:
    """The id of the request being handled, or ``-`` outside a request."""
    return request_id_var.get()


def current_username() -> str:
    """The username of the request being handled, or ``-`` when anonymous or outside one."""
    return username_var.get()


def request_id_from_header(raw: str | None) -> str:
    """Reuse an incoming ``X-Request-ID`` only if it is a UUID; otherwise make a new one.

    Anything else (too long, HTML, newlines) would end up verbatim in logs and headers.
    """
    if raw and len(raw) <= 64:
        try:
            return str(uuid.UUID(raw.strip()))
        except ValueError:
            pass
    return str(uuid.uuid4())


def client_ip_address(request) -> str | None:
    """The client's IP address, trusting ``X-Forwarded-For`` only behind known proxies.

    With ``TRUSTED_PROXY_COUNT`` proxies in front, the client is that many entries from
    the right of ``X-Forwarded-For``; anything further left was written by the client and
    could be forged.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return _valid_ip(forwarded[-proxies])
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def _valid_ip(candidate: str) -> str | None:
    """The address if it parses as IPv4 or IPv6, else None (headers can hold anything)."""
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
