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

import gzip
import json
import random
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from .config import SandboxConfig
from .control import CONTROL_PREFIX, handle_control
from .data import CustomerStore
from .endpoints import TOTAL_HEADER, dispatch
from .errors import INTERNAL_ERROR, SERVICE_UNAVAILABLE, ApiError
from .messages import Request, Response, error_response
from .page_cache import PageCache
from .runtime import FaultSettings, FaultSwitch, RequestCounter
from .signature import SignatureVerifier

__all__ = [
    "GZIP_MIN_BYTES",
    "SandboxApp",
    "damage_response",
    "dot_segments_remove",
    "encode_body",
    "make_app",
]

StartResponse = Callable[..., Any]


class SandboxApp:
    """The WSGI callable; also holds the store, the faults and the counts for its owner."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = CustomerStore(config.customers, config.seed)
        self.faults = FaultSwitch(FaultSettings.from_config(config))
        self.counter = RequestCounter()
        # Off unless SANDBOX_PAGE_CACHE asks for it (benchmarks: see page_cache.py).
        self.page_cache = PageCache(config.page_cache) if config.page_cache else None
        self._verifier = SignatureVerifier(
            public_key_pem=config.public_key_pem, app_id=config.app_id
        )

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            request = Request.from_environ(environ)
            if request.path.startswith(CONTROL_PREFIX):
                response = handle_control(
                    request,
                    faults=self.faults,
                    counter=self.counter,
                    store=self.store,
                    page_cache=self.page_cache,
                )
            else:
                response = self._serve_wonder(request)
        except ApiError as error:
            response = error_response(error)
        except Exception:  # noqa: BLE001 - a sandbox bug must still answer in the envelope
            traceback.print_exc(file=sys.stderr)
            response = error_response(ApiError(INTERNAL_ERROR))

        body, content_encoding = encode_body(response, environ.get("HTTP_ACCEPT_ENCODING", ""))
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        if content_encoding:
            headers.append(("Content-Encoding", content_encoding))
        headers.append(("Vary", "Accept-Encoding"))
        headers.extend(response.headers.items())
        request_id = environ.get("HTTP_X_REQUEST_ID")
        if request_id:
            headers.append(("X-Request-ID", request_id))
        start_response(response.status_line, headers)
        return [body]

    def _serve_wonder(self, request: Request) -> Response:
        """Answer a Wonder API request, applying faults in the order the module doc lists."""
        signed_uri = request.uri
        # Like the web servers and proxies in front of an API, resolve "." and ".." path
        # segments (RFC 3986, 5.2.4) before routing: a client that sends an identifier of
        # ".." as it is reaches another path, as it would at Wonder.
        request = replace(request, path=dot_segments_remove(request.path))
        self.counter.record(request.path, request.uri)
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
            uri=signed_uri,
            body=request.body,
            credential=request.credential,
            nonce=request.nonce,
            signature=request.signature,
        )
        answer = dispatch(self.store, request, page_cache=self.page_cache)
        return damage_response(answer, faults.fault)


def dot_segments_remove(path: str) -> str:
    """``path`` with literal "." and ".." segments resolved, as RFC 3986 (5.2.4) says."""
    resolved: list[str] = []
    segments = path.split("/")[1:]
    for segment in segments:
        if segment == "..":
            if resolved:
                resolved.pop()
        elif segment != ".":
            resolved.append(segment)
    trailing_slash = bool(segments) and segments[-1] in {".", ".."}
    return "/" + "/".join(resolved) + ("/" if trailing_slash and resolved else "")


def damage_response(response: Response, fault: str) -> Response:
    """Apply an output fault to a successful answer; errors pass unchanged."""
    if response.status != 200:
        return response
    if fault == "no_total":
        response.headers.pop(TOTAL_HEADER, None)
    elif fault == "bad_shape":
        # Valid JSON in the envelope, but what was under customers/customer/payment_tokens
        # now sits under a key no client looks for.
        payload = response.payload
        if payload is None:  # a page answered from the page cache: only its bytes exist
            payload = json.loads(response.body() or b"{}")
        data = payload.get("data", {})
        response.payload = {**payload, "data": {"items": list(data.values())}}
        response.raw_body = response.gzipped_body = None
    elif fault == "malformed":
        # A body cut off half way, as a proxy that drops the connection would deliver it.
        body = response.body()
        response.raw_body = body[: max(1, len(body) // 2)]
        # A cached page's compressed bytes are the undamaged body: they must not be sent.
        response.gzipped_body = None
    return response


# Like a gateway behind nginx (``gzip_min_length``): answers of 1 KB or more are sent
# gzip-compressed to a client that accepts it, as requests always does. A 1,000-customer
# page is ~520 KB of JSON and ~115 KB compressed.
GZIP_MIN_BYTES = 1024


def encode_body(response: Response, accept_encoding: str) -> tuple[bytes, str | None]:
    """``(bytes to send, Content-Encoding or None)`` for a client's Accept-Encoding."""
    if not _accepts_gzip(accept_encoding):
        return response.body(), None
    if response.gzipped_body is not None:
        return response.gzipped_body, "gzip"
    body = response.body()
    if len(body) < GZIP_MIN_BYTES:
        return body, None
    return gzip.compress(body, compresslevel=1, mtime=0), "gzip"


def _accepts_gzip(accept_encoding: str) -> bool:
    for part in accept_encoding.split(","):
        coding, _, parameters = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            return parameters.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def make_app(config: SandboxConfig) -> SandboxApp:
    """Build the WSGI application for a configuration."""
    return SandboxApp(config)
