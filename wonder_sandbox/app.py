"""The sandbox as a WSGI application: faults, signature check, then the endpoint.

Order of work for a Wonder request (anything outside ``/__sandbox__/``):

1. count it (``/__sandbox__/stats``);
2. fault ``down``: answer 503 at once;
3. sleep ``latency_ms``; answer 500 for a fraction ``error_rate`` of requests;
4. fault ``timeout``: sleep ``timeout_seconds``, then carry on;
5. verify the signature (401 on failure), route and answer (400/404/405/200);
6. faults ``malformed``, ``bad_shape`` and ``no_total`` damage a 200 answer on its way out.

Every answer is ``application/json`` and carries the request's X-Request-ID back.
"""

from __future__ import annotations

import random
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from .config import SandboxConfig
from .control import CONTROL_PREFIX, handle_control
from .data import CustomerStore
from .endpoints import TOTAL_HEADER, dispatch
from .errors import INTERNAL_ERROR, SERVICE_UNAVAILABLE, ApiError
from .messages import Request, Response, error_response
from .runtime import FaultSettings, FaultSwitch, RequestCounter
from .signature import SignatureVerifier

__all__ = ["SandboxApp", "damage_response", "make_app"]

StartResponse = Callable[..., Any]


class SandboxApp:
    """The WSGI callable; also holds the store, the faults and the counts for its owner."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = CustomerStore(config.customers, config.seed)
        self.faults = FaultSwitch(FaultSettings.from_config(config))
        self.counter = RequestCounter()
        self._verifier = SignatureVerifier(
            public_key_pem=config.public_key_pem, app_id=config.app_id
        )

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            request = Request.from_environ(environ)
            if request.path.startswith(CONTROL_PREFIX):
                response = handle_control(request, faults=self.faults, counter=self.counter)
            else:
                response = self._serve_wonder(request)
        except ApiError as error:
            response = error_response(error)
        except Exception:  # noqa: BLE001 - a sandbox bug must still answer in the envelope
            traceback.print_exc(file=sys.stderr)
            response = error_response(ApiError(INTERNAL_ERROR))

        body = response.body()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        headers.extend(response.headers.items())
        request_id = environ.get("HTTP_X_REQUEST_ID")
        if request_id:
            headers.append(("X-Request-ID", request_id))
        start_response(response.status_line, headers)
        return [body]

    def _serve_wonder(self, request: Request) -> Response:
        """Answer a Wonder API request, applying faults in the order the module doc lists."""
        self.counter.record(request.path)
        faults = self.faults.current
        if faults.fault == "down":
            raise ApiError(SERVICE_UNAVAILABLE)
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        if faults.error_rate and random.random() < faults.error_rate:
            raise ApiError(INTERNAL_ERROR)
        if faults.fault == "timeout":
            time.sleep(faults.timeout_seconds)
        self._verifier.verify(
            method=request.method,
            uri=request.uri,
            body=request.body,
            credential=request.credential,
            nonce=request.nonce,
            signature=request.signature,
        )
        return damage_response(dispatch(self.store, request), faults.fault)


def damage_response(response: Response, fault: str) -> Response:
    """Apply an output fault to a successful answer; errors pass unchanged."""
    if response.status != 200:
        return response
    if fault == "no_total":
        response.headers.pop(TOTAL_HEADER, None)
    elif fault == "bad_shape":
        # Valid JSON in the envelope, but what was under customers/customer/payment_tokens
        # now sits under a key no client looks for.
        data = response.payload.get("data", {})
        response.payload = {**response.payload, "data": {"items": list(data.values())}}
    elif fault == "malformed":
        # A body cut off half way, as a proxy that drops the connection would deliver it.
        body = response.body()
        response.raw_body = body[: max(1, len(body) // 2)]
    return response


def make_app(config: SandboxConfig) -> SandboxApp:
    """Build the WSGI application for a configuration."""
    return SandboxApp(config)
