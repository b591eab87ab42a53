"""The request and response types the sandbox's handlers pass around, WSGI-free."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from .errors import BODY_TOO_LARGE, ApiError

__all__ = ["MAX_BODY_BYTES", "Request", "Response", "error_response", "json_response"]

MAX_BODY_BYTES = 1 << 20


@dataclass(frozen=True)
class Request:
    """One HTTP request, with the path and query string exactly as the client sent them."""

    method: str
    path: str
    query_string: str
    body: bytes
    credential: str | None
    nonce: str | None
    signature: str | None
    request_id: str | None

    @property
    def uri(self) -> str:
        """Path plus ``?query`` (only when there is one): what the client signed."""
        return f"{self.path}?{self.query_string}" if self.query_string else self.path

    @classmethod
    def from_environ(cls, environ: dict[str, Any]) -> Request:
        """Read a WSGI environ; raise E000413 for an oversized body."""
        return cls(
            method=environ["REQUEST_METHOD"].upper(),
            path=_raw_path(environ),
            query_string=environ.get("QUERY_STRING", ""),
            body=_read_body(environ),
            credential=environ.get("HTTP_CREDENTIAL"),
            nonce=environ.get("HTTP_NONCE"),
            signature=environ.get("HTTP_SIGNATURE"),
            request_id=environ.get("HTTP_X_REQUEST_ID"),
        )


def _raw_path(environ: dict[str, Any]) -> str:
    """The path before percent-decoding, since that is the text the client signed.

    PATH_INFO is already decoded, so prefer the raw request target that our own server
    (REQUEST_URI) or gunicorn (RAW_URI) passes, and re-encode PATH_INFO only as a fallback.
    """
    raw_target = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if raw_target:
        return raw_target.split("?", 1)[0]
    path_bytes = environ.get("PATH_INFO", "").encode("latin-1")
    return quote(path_bytes, safe="/:@!$&'()*+,;=-._~")


def _read_body(environ: dict[str, Any]) -> bytes:
    """The request body, refused with E000413 above MAX_BODY_BYTES."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise ApiError(BODY_TOO_LARGE)
    return environ["wsgi.input"].read(length) if length > 0 else b""


@dataclass
class Response:
    """An answer to send: a JSON payload, or ``raw_body`` bytes sent as they are.

    ``gzipped_body``, when set, is the same body already gzip-compressed (a cached page).
    """

    status: int
    payload: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw_body: bytes | None = None
    gzipped_body: bytes | None = None

    def body(self) -> bytes:
        """The bytes to send."""
        if self.raw_body is None and self.gzipped_body is not None:
            self.raw_body = gzip.decompress(self.gzipped_body)
        if self.raw_body is not None:
            return self.raw_body
        # Compact and UTF-8 as is: the real gateway does not escape Chinese names.
        return json.dumps(self.payload, ensure_ascii=False, separators=(",", ":")).encode()

    @property
    def status_line(self) -> str:
        """``"200 OK"``, as WSGI's start_response wants it."""
        return f"{self.status} {HTTPStatus(self.status).phrase}"


def json_response(data: dict[str, Any], *, headers: dict[str, str] | None = None) -> Response:
    """A success envelope ``{"code": 200, "message": "success", "data": data}``."""
    payload = {"code": 200, "message": "success", "data": data}
    return Response(status=200, payload=payload, headers=headers or {})


def error_response(error: ApiError) -> Response:
    """An error envelope with the error's HTTP status."""
    return Response(status=error.error.http_status, payload=error.envelope())
