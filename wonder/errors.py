"""What can go wrong talking to Wonder, as types the UI maps to messages.

Every error carries the ``request_id`` of the last attempt (the X-Request-ID we sent), so
an agent can quote it to Wonder support.
"""

from __future__ import annotations

__all__ = [
    "WonderBadResponse",
    "WonderCircuitOpen",
    "WonderCredentialsRejected",
    "WonderError",
    "WonderNotFound",
    "WonderRequestRejected",
    "WonderUnavailable",
]


class WonderError(Exception):
    """Base class: the call to Wonder did not produce usable data."""

    def __init__(self, message: str, *, request_id: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request_id = request_id
        self.status = status


class WonderUnavailable(WonderError):
    """Wonder could not be reached, timed out, or kept answering 429/5xx after our retries."""


class WonderCircuitOpen(WonderUnavailable):
    """Not asked at all: Wonder failed repeatedly and the circuit breaker is open."""

    def __init__(self, message: str, *, retry_in_seconds: float = 0.0, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.retry_in_seconds = retry_in_seconds


class WonderCredentialsRejected(WonderError):
    """Wonder answered 401/403: the AppID, the key or the signature is wrong."""

    def __init__(self, message: str, *, upstream_code: str = "", **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.upstream_code = upstream_code


class WonderRequestRejected(WonderError):
    """Wonder refused the request (HTTP 4xx, or an envelope ``code`` other than 200/0)."""

    def __init__(
        self, message: str, *, upstream_code: str = "", upstream_message: str = "", **kwargs
    ) -> None:
        super().__init__(message, **kwargs)
        self.upstream_code = upstream_code
        self.upstream_message = upstream_message


class WonderNotFound(WonderRequestRejected):
    """The customer asked for does not exist upstream (HTTP 404 on a per-customer call)."""


class WonderBadResponse(WonderError):
    """Wonder answered, but not with what the contract promises (not JSON, wrong shape)."""
