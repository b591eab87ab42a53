"""The one HTTP client for Wonder's Open API.

It signs every request, retries what is worth retrying (429, 5xx, timeouts, dropped
connections) with back-off inside an overall time budget, re-signing each attempt, and
turns answers into records (``records.py``) or typed errors (``errors.py``). It knows
nothing of Django: ``factory.py`` builds it from settings.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid as uuid_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .breaker import CircuitBreaker
from .contract import decode_customer_page, decode_json
from .errors import (
    WonderBadResponse,
    WonderCredentialsRejected,
    WonderError,
    WonderNotFound,
    WonderRequestRejected,
    WonderUnavailable,
)
from .parsing import (
    parse_binding_problem_list,
    parse_customer_columns,
    parse_customer_list,
    parse_payment_tokens,
    parse_single_customer,
)
from .records import LINKED_SOURCE_TYPES, Customer, CustomerPage, PaymentToken
from .signing import load_private_key, sign_request
from .time_budget import shared_deadline

__all__ = [
    "MAX_PAGE_SIZE",
    "UpstreamResponse",
    "WonderClient",
    "WonderConfig",
]


logger = logging.getLogger("wonder")

API_PREFIX = "/svc/payment/api/v1/openapi"
CUSTOMERS_PATH = f"{API_PREFIX}/customers"
# Wonder's documented maximum for ``limit``.
MAX_PAGE_SIZE = 1000
# Envelope codes that mean success: 200 in real answers, 0 in Wonder's generated example.
_SUCCESS_CODES = {"200", "0"}
# Upstream text is untrusted; keep what we carry in error messages short.
_MAX_UPSTREAM_TEXT = 300


@dataclass(frozen=True)
class WonderConfig:
    """Everything the client needs; built from Django settings by ``factory.py``."""

    base_url: str
    app_id: str
    private_key_pem: bytes = field(repr=False)
    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    time_budget: float = 20.0
    max_retries: int = 2
    retry_backoff: float = 0.25
    pool_size: int = 16


@dataclass(frozen=True)
class UpstreamResponse:
    """A successful answer: the decoded envelope, its headers and our request id."""

    payload: Any
    headers: Mapping[str, str]
    request_id: str


class _RetryableAnswer(Exception):
    """Internal: this attempt failed in a way another attempt may fix."""

    def __init__(self, error: WonderUnavailable, retry_after: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.retry_after = retry_after


class WonderClient:
    """Signed, read-only access to Wonder's customer endpoints. Safe to share across threads."""

    def __init__(
        self,
        config: WonderConfig,
        *,
        breaker: CircuitBreaker | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        # Parsed once: a bad key fails here, at start-up, not on the first page view.
        self._private_key = load_private_key(config.private_key_pem)
        self.breaker = breaker
        self._sleep = sleep
        self._monotonic = monotonic
        self._local = threading.local()

    # --- public calls --------------------------------------------------------------------

    def list_customers(
        self,
        *,
        limit: int,
        offset: int = 0,
        linked_source_type: str | None = None,
        binding_problems_only: bool = False,
        as_columns: bool = False,
    ) -> CustomerPage:
        """One page of ``GET /customers``; ``total`` comes from X-Total-Entries when sent.

        With ``binding_problems_only`` the page keeps only customers whose default token
        is failed, pending or has an error code (Wonder cannot filter on that itself);
        ``rows_returned`` still counts every row Wonder sent. With ``as_columns`` the
        page comes as ``columns`` (``columns.py``: the sync reads every customer this way).
        """
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, not {limit}")
        if offset < 0:
            raise ValueError(f"offset must not be negative, not {offset}")
        if linked_source_type is not None and linked_source_type not in LINKED_SOURCE_TYPES:
            raise ValueError(
                f"linked_source_type must be User or Store, not {linked_source_type!r}"
            )
        # Fixed order, built once: the signature covers the query string byte for byte.
        query = [("limit", str(limit)), ("offset", str(offset))]
        if linked_source_type:
            query.append(("linked_source_type", linked_source_type))
        columns = None
        if as_columns:
            answer = self._get(CUSTOMERS_PATH, query, decode=decode_customer_page)
            columns = _parsed(answer, parse_customer_columns)
            customers, rows_returned = (), len(columns)
        elif binding_problems_only:
            # The scan reads every page: decode it straight into the documented types.
            answer = self._get(CUSTOMERS_PATH, query, decode=decode_customer_page)
            customers, rows_returned = _parsed(answer, parse_binding_problem_list)
        else:
            # Documented pages decode straight into typed rows (the token value skipped);
            # anything else takes the tolerant dict path: the same records either way.
            answer = self._get(CUSTOMERS_PATH, query, decode=decode_customer_page)
            customers = _parsed(answer, parse_customer_list)
            rows_returned = len(customers)
        return CustomerPage(
            customers=customers,
            rows_returned=rows_returned,
            offset=offset,
            limit=limit,
            total=_total_entries(answer.headers),
            linked_source_type=linked_source_type,
            fetched_at=datetime.now(UTC),
            request_id=answer.request_id,
            columns=columns,
        )

    def get_customer(self, *, uuid: str) -> Customer:
        """One customer by Wonder's uuid; ``WonderNotFound`` when there is none."""
        answer = self._get(f"{CUSTOMERS_PATH}/{_segment(uuid)}", [])
        return _parsed(answer, parse_single_customer)

    def get_customer_by_reference(self, *, reference_number: str) -> Customer:
        """One customer by the merchant's own reference number."""
        answer = self._get(f"{CUSTOMERS_PATH}/ref/{_segment(reference_number)}", [])
        return _parsed(answer, parse_single_customer)

    def list_payment_tokens(self, *, uuid: str) -> tuple[PaymentToken, ...]:
        """All saved payment tokens of one customer (token values dropped)."""
        answer = self._get(f"{CUSTOMERS_PATH}/{_segment(uuid)}/payment_tokens", [])
        return _parsed(answer, parse_payment_tokens)

    # --- transport -------------------------------------------------------------------------

    def _session(self) -> requests.Session:
        """One pooled session per thread: requests.Session is not documented thread-safe."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # Transport-level retries only for connections that never opened: the request
            # did not reach Wonder, so re-sending the same signed request is harmless.
            # read=False re-raises read errors as they are, so a read timeout stays a timeout.
            retries = Retry(total=2, connect=2, read=False, status=0, other=0, backoff_factor=0.05)
            adapter = HTTPAdapter(
                pool_connections=4, pool_maxsize=self.config.pool_size, max_retries=retries
            )
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            # The environment (proxies, CA bundle) is read once, for Wonder's URL: left to
            # requests it is read again on every request, a scan of all of os.environ that
            # was about a tenth of a sync page's CPU.
            environment = session.merge_environment_settings(
                self.config.base_url, {}, None, None, None
            )
            session.proxies.update(environment["proxies"])
            session.verify = environment["verify"]
            session.trust_env = False
            self._local.session = session
        return session

    def _get(
        self,
        path: str,
        query: list[tuple[str, str]],
        *,
        decode: Callable[[bytes], Any] = decode_json,
    ) -> UpstreamResponse:
        """GET through the circuit breaker (when there is one): every public call passes here."""
        if self.breaker is None:
            return self._get_with_retries(path, query, decode)
        return self.breaker.call(lambda: self._get_with_retries(path, query, decode))

    def _get_with_retries(
        self, path: str, query: list[tuple[str, str]], decode: Callable[[bytes], Any]
    ) -> UpstreamResponse:
        """GET with retries and back-off inside the time budget; each attempt re-signed."""
        uri = f"{path}?{urlencode(query, quote_via=quote)}" if query else path
        deadline = self._monotonic() + self.config.time_budget
        shared = shared_deadline()
        if shared is not None:
            deadline = min(deadline, self._monotonic() + (shared - time.monotonic()))
        attempts = self.config.max_retries + 1
        error: WonderError = WonderUnavailable("Wonder was not asked: no time budget left.")
        for attempt in range(1, attempts + 1):
            remaining = deadline - self._monotonic()
            if remaining <= 0:
                break
            try:
                return self._attempt(uri, attempt=attempt, remaining=remaining, decode=decode)
            except _RetryableAnswer as retryable:
                error = retryable.error
                if attempt == attempts:
                    break
                pause = self._backoff(attempt, retryable.retry_after)
                if self._monotonic() + pause >= deadline:
                    break
                self._sleep(pause)
        raise error

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        """Exponential back-off with jitter, so many workers do not retry in lock-step."""
        pause = self.config.retry_backoff * (2 ** (attempt - 1)) * random.uniform(0.5, 1.5)
        return max(pause, retry_after or 0.0)

    def _attempt(
        self, uri: str, *, attempt: int, remaining: float, decode: Callable[[bytes], Any]
    ) -> UpstreamResponse:
        request_id = str(uuid_module.uuid4())
        signed = sign_request(
            private_key=self._private_key, app_id=self.config.app_id, method="GET", uri=uri
        )
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-Request-ID": request_id,
            **signed.as_dict(),
        }
        url = f"{self.config.base_url}{uri}"
        session = self._session()
        prepared = session.prepare_request(requests.Request("GET", url, headers=headers))
        # requests may re-quote a URL; send exactly the bytes that were signed.
        prepared.url = url
        timeout = (
            min(self.config.connect_timeout, remaining),
            min(self.config.read_timeout, remaining),
        )
        started = time.perf_counter()
        try:
            response = session.send(prepared, timeout=timeout, allow_redirects=False, stream=True)
            body = _body(response)
        except (requests.Timeout, urllib3.exceptions.TimeoutError):
            self._log(uri, "timeout", started, attempt, request_id)
            raise _RetryableAnswer(
                WonderUnavailable("Wonder did not answer in time.", request_id=request_id)
            ) from None
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            self._log(uri, "connection-error", started, attempt, request_id)
            raise _RetryableAnswer(
                WonderUnavailable(
                    f"Wonder could not be reached ({type(exc).__name__}).", request_id=request_id
                )
            ) from None
        self._log(uri, str(response.status_code), started, attempt, request_id)
        return self._interpret(response, body, request_id, decode)

    def _log(self, uri: str, outcome: str, started: float, attempt: int, request_id: str) -> None:
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "wonder GET %s status=%s elapsed_ms=%.1f attempt=%d request_id=%s",
            uri,
            outcome,
            elapsed_ms,
            attempt,
            request_id,
        )

    def _interpret(
        self,
        response: requests.Response,
        body: bytes,
        request_id: str,
        decode: Callable[[bytes], Any],
    ) -> UpstreamResponse:
        status = response.status_code
        if status == 429 or status >= 500:
            raise _RetryableAnswer(
                WonderUnavailable(
                    f"Wonder answered HTTP {status}.", request_id=request_id, status=status
                ),
                retry_after=_retry_after(response.headers),
            )
        payload = _decode(body, decode)
        upstream_code, upstream_message = _upstream_error(payload)
        context = {"request_id": request_id, "status": status}
        if status in (401, 403):
            raise WonderCredentialsRejected(
                f"Wonder rejected our credentials (HTTP {status}).",
                upstream_code=upstream_code,
                **context,
            )
        if status == 404:
            raise WonderNotFound(
                "Wonder has no such record.",
                upstream_code=upstream_code,
                upstream_message=upstream_message,
                **context,
            )
        if status >= 400:
            raise WonderRequestRejected(
                f"Wonder rejected the request (HTTP {status}).",
                upstream_code=upstream_code,
                upstream_message=upstream_message,
                **context,
            )
        if not 200 <= status < 300:
            raise WonderBadResponse(f"Wonder answered HTTP {status}.", **context)
        if payload is _NOT_JSON:
            raise WonderBadResponse("Wonder's answer is not JSON.", **context)
        if upstream_code:
            raise WonderRequestRejected(
                "Wonder refused the request.",
                upstream_code=upstream_code,
                upstream_message=upstream_message,
                **context,
            )
        return UpstreamResponse(payload=payload, headers=response.headers, request_id=request_id)


_NOT_JSON = object()


def _parsed(answer: UpstreamResponse, parser: Callable[[Any], Any]) -> Any:
    """``parser(answer.payload)``; a shape error carries the request id, so it can be quoted."""
    try:
        return parser(answer.payload)
    except WonderBadResponse as error:
        error.request_id = error.request_id or answer.request_id
        raise


def _body(response: requests.Response) -> bytes:
    """The whole body, read and gunzipped at once, and the connection back in the pool.

    ``response.content`` reads (and gunzips) 10 KB at a time: on a sync page of 500 KB that
    cost more than the decompression itself.
    """
    try:
        return response.raw.read(decode_content=True)
    finally:
        response.raw.release_conn()


def _decode(body: bytes, decode: Callable[[bytes], Any]) -> Any:
    try:
        return decode(body)
    except (ValueError, UnicodeDecodeError):
        return _NOT_JSON


def _upstream_error(payload: Any) -> tuple[str, str]:
    """Wonder's error code and message, or ("", "") for a success envelope.

    Current answers carry ``code``/``message``; older ones ``error_code``/``error_message``.
    """
    if not isinstance(payload, dict):
        return "", ""
    code = payload.get("code")
    message = payload.get("message")
    if code is None or str(code).strip() in _SUCCESS_CODES:
        code = payload.get("error_code")
        message = payload.get("error_message", message)
    if code is None or str(code).strip() in _SUCCESS_CODES or str(code).strip() == "":
        return "", ""
    return str(code)[:_MAX_UPSTREAM_TEXT], str(message or "")[:_MAX_UPSTREAM_TEXT]


def _total_entries(headers: Mapping[str, str]) -> int | None:
    raw = headers.get("X-Total-Entries")
    try:
        total = int(raw) if raw is not None else None
    except ValueError:
        return None
    return total if total is not None and total >= 0 else None


def _retry_after(headers: Mapping[str, str]) -> float | None:
    try:
        return min(float(headers.get("Retry-After", "")), 5.0)
    except ValueError:
        return None


def _segment(value: str) -> str:
    """Quote a path segment completely, so a reference number with ``/`` stays one segment.

    ``quote`` leaves dots alone, and a segment of "." or ".." is resolved by any server or
    proxy on the way (RFC 3986, 5.2.4): ``/customers/..`` would be the customer list, and
    ``/customers/../payment_tokens`` another path. Written as ``%2E`` they are one segment.
    """
    if not value:
        raise ValueError("an identifier is required")
    if value in {".", ".."}:
        return value.replace(".", "%2E")
    return quote(value, safe="")
