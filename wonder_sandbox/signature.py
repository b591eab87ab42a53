"""Verifies Wonder-RSA-SHA256 request signatures, as the real gateway does.

The algorithm (see shared/wonder/API-NOTES.md, "Signing"): an HMAC-SHA256 chain keyed by
the nonce and the request time turns ``METHOD\\nURI[\\nBODY]`` into 64 hex characters, and
the client signs those ASCII characters with its RSA private key (PKCS#1 v1.5, SHA-256).
The sandbox holds the matching public key and recomputes the chain. This module is the
sandbox's own copy: it deliberately shares no code with the dashboard's signer, so a bug
in one cannot hide the same bug in the other.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .errors import (
    CREDENTIAL_FORMAT,
    REQUEST_TIME_EXPIRED,
    SIGNATURE_MISMATCH,
    UNKNOWN_APP_ID,
    ApiError,
)

__all__ = [
    "ALGORITHM",
    "MAX_CLOCK_SKEW_SECONDS",
    "Credential",
    "SignatureVerifier",
    "load_rsa_public_key",
    "parse_credential",
    "signing_plain",
]

ALGORITHM = "Wonder-RSA-SHA256"
MAX_CLOCK_SKEW_SECONDS = 30 * 60

_NONCE_PATTERN = re.compile(r"[A-Za-z0-9]{16}")
_REQUEST_TIME_PATTERN = re.compile(r"[0-9]{14}")


@dataclass(frozen=True)
class Credential:
    """The three parts of a ``Credential`` header."""

    app_id: str
    request_time: str
    requested_at: datetime


def signing_plain(
    *, nonce: str, request_time: str, method: str, uri: str, body: bytes = b""
) -> str:
    """Return the 64 lowercase hex characters that the client RSA-signs.

    ``uri`` is the path with its raw query string exactly as sent; ``body`` is appended
    after a newline only when it is non-empty (a GET adds nothing, not even the newline).
    """
    first_key = hmac.new(nonce.encode(), request_time.encode(), hashlib.sha256).digest()
    second_key = hmac.new(first_key, ALGORITHM.encode(), hashlib.sha256).digest()
    content = method.upper().encode() + b"\n" + uri.encode()
    if body:
        content += b"\n" + body
    return hmac.new(second_key, content, hashlib.sha256).hexdigest()


def parse_credential(header: str) -> Credential:
    """Split ``{APPID}/{yyyymmddHHMMSS}/Wonder-RSA-SHA256``; raise E000002 if malformed."""
    # rsplit, so that an app id is taken whole even if it were ever to contain a slash.
    parts = header.rsplit("/", 2)
    if len(parts) != 3 or not parts[0] or parts[2] != ALGORITHM:
        raise ApiError(CREDENTIAL_FORMAT)
    app_id, request_time, _ = parts
    if not _REQUEST_TIME_PATTERN.fullmatch(request_time):
        raise ApiError(CREDENTIAL_FORMAT)
    try:
        requested_at = datetime(
            int(request_time[0:4]),
            int(request_time[4:6]),
            int(request_time[6:8]),
            int(request_time[8:10]),
            int(request_time[10:12]),
            int(request_time[12:14]),
            tzinfo=UTC,
        )
    except ValueError:
        # Fourteen digits that are not a date, e.g. month 13.
        raise ApiError(CREDENTIAL_FORMAT) from None
    return Credential(app_id=app_id, request_time=request_time, requested_at=requested_at)


def load_rsa_public_key(pem: bytes) -> rsa.RSAPublicKey:
    """Load a PEM RSA public key; raise ValueError naming the problem otherwise."""
    if b"PRIVATE KEY" in pem:
        raise ValueError("this is a private key; the sandbox needs the matching public key")
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as error:
        raise ValueError(f"not a PEM public key ({error})") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError(f"not an RSA key but {type(key).__name__}")
    return key


class SignatureVerifier:
    """Checks the Credential, Nonce and Signature headers of one request."""

    def __init__(
        self,
        *,
        public_key_pem: bytes,
        app_id: str,
        max_clock_skew_seconds: float = MAX_CLOCK_SKEW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._public_key = load_rsa_public_key(public_key_pem)
        self._app_id = app_id
        self._max_clock_skew_seconds = max_clock_skew_seconds
        self._clock = clock

    def verify(
        self,
        *,
        method: str,
        uri: str,
        body: bytes,
        credential: str | None,
        nonce: str | None,
        signature: str | None,
    ) -> None:
        """Return quietly if the request is authentic, else raise the matching ApiError.

        Checks run in the order a client developer would fix them: header format, app id,
        clock, then the signature itself.
        """
        if not credential or not nonce or not signature:
            raise ApiError(CREDENTIAL_FORMAT)
        parsed = parse_credential(credential)
        if not _NONCE_PATTERN.fullmatch(nonce):
            raise ApiError(CREDENTIAL_FORMAT)
        try:
            signature_bytes = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(CREDENTIAL_FORMAT) from None
        if parsed.app_id != self._app_id:
            raise ApiError(UNKNOWN_APP_ID)
        skew = abs(self._clock() - parsed.requested_at.timestamp())
        if skew > self._max_clock_skew_seconds:
            raise ApiError(REQUEST_TIME_EXPIRED)
        plain = signing_plain(
            nonce=nonce,
            request_time=parsed.request_time,
            method=method,
            uri=uri,
            body=body,
        )
        try:
            self._public_key.verify(
                signature_bytes, plain.encode("ascii"), padding.PKCS1v15(), hashes.SHA256()
            )
        except (InvalidSignature, ValueError):
            raise ApiError(SIGNATURE_MISMATCH) from None
