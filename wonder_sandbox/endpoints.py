"""The Wonder Open API endpoints the sandbox serves, after the signature has been checked.

=======  ================================================================  ==================
method   path                                                              data
=======  ================================================================  ==================
GET      /svc/payment/api/v1/openapi/customers                             customers[] +
                                                                           X-Total-Entries
GET      /svc/payment/api/v1/openapi/customers/{uuid}                      customer
GET      /svc/payment/api/v1/openapi/customers/ref/{reference_number}      customer
GET      /svc/payment/api/v1/openapi/customers/{uuid}/payment_tokens       payment_tokens[]
POST     /svc/payment/api/v1/echo (also .../openapi/echo)                  message
=======  ================================================================  ==================
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, unquote

from .data import LINKED_SOURCE_TYPES, CustomerStore
from .errors import (
    BAD_BODY,
    BAD_QUERY_PARAMETER,
    CUSTOMER_NOT_FOUND,
    ENDPOINT_NOT_FOUND,
    METHOD_NOT_ALLOWED,
    ApiError,
)
from .messages import Request, Response, json_response
from .page_cache import PageCache, PageKey

__all__ = [
    "API_PREFIX",
    "CUSTOMERS_PATH",
    "DEFAULT_LIMIT",
    "ECHO_PATHS",
    "MAX_LIMIT",
    "TOTAL_HEADER",
    "customer_pages_warm",
    "dispatch",
]

API_PREFIX = "/svc/payment/api/v1"
CUSTOMERS_PATH = API_PREFIX + "/openapi/customers"
# Wonder's docs name the first; some of its own samples use the second.
ECHO_PATHS = (API_PREFIX + "/echo", API_PREFIX + "/openapi/echo")
DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
TOTAL_HEADER = "X-Total-Entries"
TOKEN_TYPES = ("CreditCard", "WechatPayAutoDebit", "AlipayAutoDebit")

_DIGITS = re.compile(r"[0-9]+")
_NEGATIVE = re.compile(r"-[0-9]+")

Handler = Callable[[CustomerStore, Request], Response]


def dispatch(
    store: CustomerStore, request: Request, *, page_cache: PageCache | None = None
) -> Response:
    """Route an authenticated request to its endpoint; raise ApiError for 4xx answers.

    With a ``page_cache``, customer-list pages are answered from it when they are there.
    """
    handler, allowed_method = _route(request.path)
    if request.method != allowed_method:
        raise ApiError(
            METHOD_NOT_ALLOWED, f"Method {request.method} not allowed; use {allowed_method}"
        )
    if handler is _customer_list:
        return _customer_list(store, request, page_cache=page_cache)
    return handler(store, request)


def _route(path: str) -> tuple[Handler, str]:
    """The handler and HTTP method of a raw (still percent-encoded) path."""
    if path in ECHO_PATHS:
        return _echo, "POST"
    if path == CUSTOMERS_PATH:
        return _customer_list, "GET"
    if path.startswith(CUSTOMERS_PATH + "/"):
        # Split before decoding, so an encoded slash (%2F) inside a reference number stays
        # part of that segment.
        segments = path[len(CUSTOMERS_PATH) + 1 :].split("/")
        if len(segments) == 2 and segments[0] == "ref" and segments[1]:
            return _by_reference(unquote(segments[1])), "GET"
        if len(segments) == 1 and segments[0]:
            return _by_uuid(unquote(segments[0])), "GET"
        if len(segments) == 2 and segments[1] == "payment_tokens" and segments[0]:
            return _payment_tokens(unquote(segments[0])), "GET"
    raise ApiError(ENDPOINT_NOT_FOUND, f"No endpoint {path}")


def _query(request: Request, allowed: Iterable[str]) -> dict[str, str]:
    """The query parameters as a dict; reject unknown and repeated ones with E100001."""
    parameters: dict[str, str] = {}
    allowed = set(allowed)
    for name, value in parse_qsl(request.query_string, keep_blank_values=True):
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise ApiError(
                BAD_QUERY_PARAMETER, f"Unknown query parameter {name!r} (accepted: {known})"
            )
        if name in parameters:
            raise ApiError(BAD_QUERY_PARAMETER, f"Query parameter {name!r} given more than once")
        parameters[name] = value
    return parameters


def _whole_number(name: str, raw: str | None, default: int) -> int:
    """A query value that must be a non-negative integer written in plain digits."""
    if raw is None:
        return default
    if _NEGATIVE.fullmatch(raw):
        raise ApiError(BAD_QUERY_PARAMETER, f"{name} must not be negative, got {raw!r}")
    if not _DIGITS.fullmatch(raw):
        raise ApiError(BAD_QUERY_PARAMETER, f"{name} must be an integer, got {raw!r}")
    return int(raw)


def _customer_list(
    store: CustomerStore, request: Request, *, page_cache: PageCache | None = None
) -> Response:
    """GET customers: one page, filtered by source type, with the total in a header."""
    query = _query(request, ("limit", "offset", "linked_source_type"))
    limit = _whole_number("limit", query.get("limit"), DEFAULT_LIMIT)
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(BAD_QUERY_PARAMETER, f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    offset = _whole_number("offset", query.get("offset"), 0)
    linked_source_type = query.get("linked_source_type")
    if linked_source_type is not None and linked_source_type not in LINKED_SOURCE_TYPES:
        raise ApiError(
            BAD_QUERY_PARAMETER,
            f"linked_source_type must be User or Store, got {linked_source_type!r}",
        )
    return _customer_page(store, (linked_source_type, offset, limit), page_cache)


def _customer_page(store: CustomerStore, key: PageKey, page_cache: PageCache | None) -> Response:
    """The answer for one page, from ``page_cache`` when it holds it (and kept there)."""
    linked_source_type, offset, limit = key
    headers = {TOTAL_HEADER: str(store.count(linked_source_type))}
    if page_cache is not None:
        gzipped = page_cache.get_gzipped(key)
        if gzipped is not None:
            return Response(status=200, headers=headers, gzipped_body=gzipped)
    customers = store.page(linked_source_type, offset, limit)
    response = json_response({"customers": customers}, headers=headers)
    if page_cache is not None:
        # Encode once: the cached bytes are the ones sent.
        response.raw_body = response.body()
        page_cache.put(key, response.raw_body)
    return response


def customer_pages_warm(store: CustomerStore, page_cache: PageCache, *, limit: int) -> int:
    """Fill ``page_cache`` with every page of each source type at ``limit``; returns pages.

    Pages already cached are left as they are. Stops when the cache is full, so warming
    never evicts what it has just put in.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(BAD_QUERY_PARAMETER, f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    warmed = 0
    for linked_source_type in LINKED_SOURCE_TYPES:
        for offset in range(0, store.count(linked_source_type), limit):
            key = (linked_source_type, offset, limit)
            if key in page_cache:
                continue
            if page_cache.stats()["pages"] >= page_cache.capacity:
                return warmed
            _customer_page(store, key, page_cache)
            warmed += 1
    return warmed


def _by_uuid(uuid: str) -> Handler:
    """A handler answering the customer with this Wonder uuid."""

    def handler(store: CustomerStore, request: Request) -> Response:
        """Answer the request; no query parameters are accepted here."""
        _query(request, ())
        customer = store.by_uuid(uuid)
        if customer is None:
            raise ApiError(CUSTOMER_NOT_FOUND)
        return json_response({"customer": customer})

    return handler


def _by_reference(reference: str) -> Handler:
    """A handler answering the customer with this (decoded) merchant reference number."""

    def handler(store: CustomerStore, request: Request) -> Response:
        """Answer the request; no query parameters are accepted here."""
        _query(request, ())
        customer = store.by_reference(reference)
        if customer is None:
            raise ApiError(CUSTOMER_NOT_FOUND)
        return json_response({"customer": customer})

    return handler


def _payment_tokens(uuid: str) -> Handler:
    """A handler answering the saved tokens of the customer with this uuid."""

    def handler(store: CustomerStore, request: Request) -> Response:
        """Answer the request; only ``token_type`` may narrow it."""
        query = _query(request, ("token_type",))
        wanted = _token_types(query.get("token_type"))
        tokens = store.payment_tokens(uuid)
        if tokens is None:
            raise ApiError(CUSTOMER_NOT_FOUND)
        tokens = [token for token in tokens if token["token_type"] in wanted]
        return json_response({"payment_tokens": tokens})

    return handler


def _token_types(raw: str | None) -> set[str]:
    """The comma-separated ``token_type`` filter of the payment_tokens endpoint."""
    if raw is None:
        return set(TOKEN_TYPES)
    wanted = {part.strip() for part in raw.split(",") if part.strip()}
    unknown = wanted - set(TOKEN_TYPES)
    if unknown or not wanted:
        raise ApiError(
            BAD_QUERY_PARAMETER,
            f"token_type must list some of {', '.join(TOKEN_TYPES)}, got {raw!r}",
        )
    return wanted


def _echo(store: CustomerStore, request: Request) -> Response:
    """POST echo: answer the body's message, proving the signature covered the body."""
    _query(request, ())
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(BAD_BODY, "Body must be a JSON object") from None
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        raise ApiError(BAD_BODY, 'Body must be a JSON object with a string "message"')
    return json_response({"message": body["message"]})
