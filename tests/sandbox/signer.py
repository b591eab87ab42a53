"""A tiny test-only Wonder-RSA-SHA256 signer and an HTTP helper built on urllib.

It repeats the algorithm of API-NOTES.md on purpose instead of importing the sandbox's
verifier: a test that signs with the code under test would pass with the same bug on
both sides.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import string
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["HttpAnswer", "WonderTestClient", "http_request", "plain_to_sign", "signed_headers"]

_NONCE_ALPHABET = string.ascii_letters + string.digits


def plain_to_sign(nonce: str, request_time: str, method: str, uri: str, body: str = "") -> str:
    """Steps 1-4 of the signing recipe: the hex string that gets RSA-signed."""
    k1 = hmac.new(nonce.encode(), request_time.encode(), hashlib.sha256).digest()
    k2 = hmac.new(k1, b"Wonder-RSA-SHA256", hashlib.sha256).digest()
    content = f"{method}\n{uri}" + (f"\n{body}" if body else "")
    return hmac.new(k2, content.encode(), hashlib.sha256).hexdigest()


def signed_headers(
    private_key: rsa.RSAPrivateKey,
    *,
    app_id: str,
    method: str,
    uri: str,
    body: str = "",
    request_time: datetime | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The Credential, Nonce, Signature (and companion) headers for one request."""
    stamp = (request_time or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    nonce = nonce or "".join(secrets.choice(_NONCE_ALPHABET) for _ in range(16))
    plain = plain_to_sign(nonce, stamp, method, uri, body)
    signature = private_key.sign(plain.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return {
        "Credential": f"{app_id}/{stamp}/Wonder-RSA-SHA256",
        "Nonce": nonce,
        "Signature": base64.b64encode(signature).decode("ascii"),
        "Content-Type": "application/json",
        "X-Request-ID": str(uuid.uuid4()),
    }


@dataclass(frozen=True)
class HttpAnswer:
    """Status, headers and body of one HTTP answer, whatever its status."""

    status: int
    headers: Message
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


def http_request(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 10,
) -> HttpAnswer:
    """Send one request with urllib and return the answer, also for 4xx/5xx."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return HttpAnswer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return HttpAnswer(error.code, error.headers, error.read())


@dataclass(frozen=True)
class WonderTestClient:
    """Signs and sends requests to a sandbox the way the dashboard must."""

    base_url: str
    private_key: rsa.RSAPrivateKey
    app_id: str

    def get(self, uri: str, **signing: Any) -> HttpAnswer:
        """Signed GET of ``uri`` (path plus query string, sent exactly as given)."""
        return self.send("GET", uri, **signing)

    def post(self, uri: str, body: str, **signing: Any) -> HttpAnswer:
        """Signed POST of the JSON text ``body``."""
        return self.send("POST", uri, body=body, **signing)

    def send(
        self,
        method: str,
        uri: str,
        *,
        body: str = "",
        signed_uri: str | None = None,
        signed_body: str | None = None,
        app_id: str | None = None,
        request_time: datetime | None = None,
        header_overrides: dict[str, str | None] | None = None,
        timeout: float = 10,
    ) -> HttpAnswer:
        """Send ``uri``, optionally signing another uri or body, or altering headers (for 401s).

        A None in ``header_overrides`` drops that header.
        """
        headers = signed_headers(
            self.private_key,
            app_id=app_id or self.app_id,
            method=method,
            uri=signed_uri or uri,
            body=body if signed_body is None else signed_body,
            request_time=request_time,
        )
        for name, value in (header_overrides or {}).items():
            if value is None:
                headers.pop(name, None)
            else:
                headers[name] = value
        return http_request(
            self.base_url + uri,
            method=method,
            headers=headers,
            body=body.encode() if body else None,
            timeout=timeout,
        )
