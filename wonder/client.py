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
    "FetchedCustomerPage",
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
    """A successful answer: the decoded envelope (the body's bytes when asked for with
    ``decode=None``), its headers and our request id."""

    payload: Any
    headers: Mapping[str, str]
    request_id: str
    status: int = 200


@dataclass(frozen=True)
class FetchedCustomerPage:
    """A page of ``GET /customers`` Wonder answered with 2xx, its body not decoded yet.

    The sync keeps several requests in flight on a pool of threads and decodes what they
    bring on one thread (``decoded``): decoding on eight threads at once, each taking the
    GIL from the others, cost about 2 ms a page more than on one (bench/README.md).
    """

    body: bytes = field(repr=False)
    headers: Mapping[str, str]
    request_id: str
    status: int
    offset: int
    limit: int
    linked_source_type: str | None

    def decoded(self) -> CustomerPage:
        """The page as ``columns`` (``columns.py``); raises as ``list_customers`` does
        for a body that is not JSON or an envelope that reports an error."""
        payload = _checked_payload(
            _decode(self.body, decode_customer_page),
            request_id=self.request_id,
            status=self.status,
        )
        answer = UpstreamResponse(payload=payload, headers=self.headers, request_id=self.request_id)
        columns = _parsed(answer, parse_customer_columns)
        return CustomerPage(
            customers=(),
            rows_returned=len(columns),
            offset=self.offset,
            limit=self.limit,
            total=_total_entries(self.headers),
            linked_source_type=self.linked_source_type,
            fetched_at=datetime.now(UTC),
            request_id=self.request_id,
            columns=columns,
        )


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
        if as_columns:
            return self.fetch_customer_page(
                limit=limit, offset=offset, linked_source_type=linked_source_type
            ).decoded()
        query = _customers_query(limit, offset, linked_source_type)
        if binding_problems_only:
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
        )

    def fetch_customer_page(
        self, *, limit: int, offset: int = 0, linked_source_type: str | None = None
    ) -> FetchedCustomerPage:
        """One page of ``GET /customers`` as ``list_customers(as_columns=True)`` reads it,
        signed, retried and checked for its HTTP status, but not decoded: the caller calls
        ``decoded()`` on the thread it chooses."""
        query = _customers_query(limit, offset, linked_source_type)
        answer = self._get(CUSTOMERS_PATH, query, decode=None)
        return FetchedCustomerPage(
            body=answer.payload,
            headers=answer.headers,
            request_id=answer.request_id,
            status=answer.status,
            offset=offset,
            limit=limit,
            linked_source_type=linked_source_type,
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
        decode: Callable[[bytes], Any] | None = decode_json,
    ) -> UpstreamResponse:
        """GET through the circuit breaker (when there is one): every public call passes here.

        ``decode=None`` leaves a 2xx body undecoded (``fetch_customer_page``): the breaker
        counts such an answer as Wonder being up whatever the body holds, as it does now.
        """
        if self.breaker is None:
            return self._get_with_retries(path, query, decode)
        return self.breaker.call(lambda: self._get_with_retries(path, query, decode))

    def _get_with_retries(
        self, path: str, query: list[tuple[str, str]], decode: Callable[[bytes], Any] | None
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
        self, uri: str, *, attempt: int, remaining: float, decode: Callable[[bytes], Any] | None
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
        decode: Callable[[bytes], Any] | None,
    ) -> UpstreamResponse:
        status = response.status_code
        if status == 429 or status >= 500:
            raise _RetryableAnswer(
                WonderUnavailable(
                    f"Wonder answered HTTP {status}.", request_id=request_id, status=status
                ),
                retry_after=_retry_after(response.headers),
            )
        if decode is None and 200 <= status < 300:
            # The caller decodes it, and checks it with _checked_payload.
            return UpstreamResponse(
                payload=body, headers=response.headers, request_id=request_id, status=status
            )
        payload = _decode(body, decode or decode_json)
        context = {"request_id": request_id, "status": status}
        if 200 <= status < 300:
            return UpstreamResponse(
                payload=_checked_payload(payload, request_id=request_id, status=status),
                headers=response.headers,
                request_id=request_id,
                status=status,
            )
        if status < 400:
            raise WonderBadResponse(f"Wonder answered HTTP {status}.", **context)
        upstream_code, upstream_message = _upstream_error(payload)
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
        raise WonderRequestRejected(
            f"Wonder rejected the request (HTTP {status}).",
            upstream_code=upstream_code,
            upstream_message=upstream_message,
            **context,
        )


def _checked_payload(payload: Any, *, request_id: str, status: int) -> Any:
    """A 2xx answer's decoded envelope, or the error it reports: not JSON, or an error code."""
    context = {"request_id": request_id, "status": status}
    if payload is _NOT_JSON:
        raise WonderBadResponse("Wonder's answer is not JSON.", **context)
    upstream_code, upstream_message = _upstream_error(payload)
    if upstream_code:
        raise WonderRequestRejected(
            "Wonder refused the request.",
            upstream_code=upstream_code,
            upstream_message=upstream_message,
            **context,
        )
    return payload


_NOT_JSON = object()


def _customers_query(
    limit: int, offset: int, linked_source_type: str | None
) -> list[tuple[str, str]]:
    """The query of ``GET /customers``, its arguments checked first."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, not {limit}")
    if offset < 0:
        raise ValueError(f"offset must not be negative, not {offset}")
    if linked_source_type is not None and linked_source_type not in LINKED_SOURCE_TYPES:
        raise ValueError(f"linked_source_type must be User or Store, not {linked_source_type!r}")
    # Fixed order, built once: the signature covers the query string byte for byte.
    query = [("limit", str(limit)), ("offset", str(offset))]
    if linked_source_type:
        query.append(("linked_source_type", linked_source_type))
    return query


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
