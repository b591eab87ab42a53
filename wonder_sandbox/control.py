"""Control endpoints under ``/__sandbox__/``: unsigned, not Wonder's, never faulted.

=======  ======================  ==========================================================
method   path                    effect
=======  ======================  ==========================================================
GET      /__sandbox__/stats      ``{"requests": {path: count}, "total": n}`` (Wonder paths)
GET      /__sandbox__/faults     the active faults
POST     /__sandbox__/faults     change some of latency_ms, error_rate, fault,
                                 timeout_seconds (JSON object); answers the active faults
POST     /__sandbox__/reset      counts to zero, faults back to the start-up configuration
=======  ======================  ==========================================================
"""

from __future__ import annotations

import json
from typing import Any

from .config import ConfigError
from .errors import BAD_BODY, ENDPOINT_NOT_FOUND, METHOD_NOT_ALLOWED, ApiError
from .messages import Request, Response
from .runtime import FaultSettings, FaultSwitch, RequestCounter

__all__ = ["CONTROL_PREFIX", "handle_control"]

CONTROL_PREFIX = "/__sandbox__/"

_NUMERIC_FAULT_FIELDS = ("latency_ms", "error_rate", "timeout_seconds")


def handle_control(request: Request, *, faults: FaultSwitch, counter: RequestCounter) -> Response:
    """Answer one control request."""
    name = request.path[len(CONTROL_PREFIX) :]
    if name == "stats":
        _require_method(request, "GET")
        return Response(200, _stats(counter))
    if name == "faults":
        if request.method == "GET":
            return Response(200, faults.current.as_dict())
        _require_method(request, "POST")
        try:
            updated = faults.update(**_fault_changes(request.body))
        except ConfigError as error:
            raise ApiError(BAD_BODY, str(error)) from None
        return Response(200, updated.as_dict())
    if name == "reset":
        _require_method(request, "POST")
        counter.reset()
        restored: FaultSettings = faults.reset()
        return Response(200, {**_stats(counter), "faults": restored.as_dict()})
    raise ApiError(ENDPOINT_NOT_FOUND, f"No control endpoint {request.path}")


def _require_method(request: Request, method: str) -> None:
    """Raise E000405 unless the request uses ``method``."""
    if request.method != method:
        raise ApiError(METHOD_NOT_ALLOWED, f"Method {request.method} not allowed; use {method}")


def _stats(counter: RequestCounter) -> dict[str, Any]:
    """The body of /__sandbox__/stats."""
    counts = counter.snapshot()
    return {"requests": counts, "total": sum(counts.values())}


def _fault_changes(body: bytes) -> dict[str, Any]:
    """The fault fields of a JSON body, type-checked; null or absent fields stay unchanged."""
    try:
        changes = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(BAD_BODY, "Body must be a JSON object") from None
    if not isinstance(changes, dict):
        raise ApiError(BAD_BODY, "Body must be a JSON object")
    unknown = set(changes) - {*_NUMERIC_FAULT_FIELDS, "fault"}
    if unknown:
        raise ApiError(BAD_BODY, f"Unknown fault fields: {', '.join(sorted(unknown))}")
    for name in _NUMERIC_FAULT_FIELDS:
        value = changes.get(name)
        # bool is an int in Python; "true" as a latency is a client bug worth reporting.
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ApiError(BAD_BODY, f"{name} must be a number, got {value!r}")
    if changes.get("fault") is not None and not isinstance(changes["fault"], str):
        raise ApiError(BAD_BODY, f"fault must be a string, got {changes['fault']!r}")
    return changes
