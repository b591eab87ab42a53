"""Wonder-RSA-SHA256 request signing, exactly as Wonder documents it.

The signature is an HMAC chain (nonce → request time → algorithm name → request content)
whose lowercase hex output is then signed with the merchant's RSA private key
(RSASSA-PKCS1-v1_5, SHA-256). See shared/wonder/API-NOTES.md for the check values that
the unit tests reproduce.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = [
    "ALGORITHM",
    "SignedHeaders",
    "generate_key_pair",
    "load_private_key",
    "new_nonce",
    "request_time",
    "sign_request",
    "signature_plain_text",
]

ALGORITHM = "Wonder-RSA-SHA256"
_NONCE_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True, slots=True)
class SignedHeaders:
    """The headers that authenticate one request; valid for that exact method, URI and body."""

    credential: str
    nonce: str
    signature: str

    def as_dict(self) -> dict[str, str]:
        return {"Credential": self.credential, "Nonce": self.nonce, "Signature": self.signature}


def generate_key_pair() -> tuple[bytes, bytes]:
    """A new 2048-bit RSA pair as (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM).

    The public half is what a merchant uploads to Wonder when creating an AppID.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


def load_private_key(pem: bytes) -> rsa.RSAPrivateKey:
    """Parse a PEM private key, insisting on RSA: Wonder only accepts RSA keys."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("The Wonder private key must be an RSA key.")
    return key


def new_nonce() -> str:
    """16 random alphanumerics, fresh for every request (and every retry)."""
    return "".join(secrets.choice(_NONCE_ALPHABET) for _ in range(16))


def request_time(now: datetime | None = None) -> str:
    """The REQUEST_TIME of the Credential header: UTC, ``yyyymmddHHMMSS``."""
    moment = now or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def signature_plain_text(
    *, nonce: str, request_time: str, method: str, uri: str, body: str | None = None
) -> str:
    """Steps 1-4 of the algorithm: the 64 hex characters that the RSA key then signs.

    ``uri`` is the path with its query string, exactly as sent. A GET has no body and
    appends nothing (no trailing newline, no hash of an empty body).
    """
    k1 = hmac.new(nonce.encode(), request_time.encode(), hashlib.sha256).digest()
    k2 = hmac.new(k1, ALGORITHM.encode(), hashlib.sha256).digest()
    content = f"{method.upper()}\n{uri}"
    if body:
        content += f"\n{body}"
    return hmac.new(k2, content.encode(), hashlib.sha256).hexdigest()


def sign_request(
    *,
    private_key: rsa.RSAPrivateKey,
    app_id: str,
    method: str,
    uri: str,
    body: str | None = None,
    nonce: str | None = None,
    now: datetime | None = None,
) -> SignedHeaders:
    """Sign one request. Call it again for a retry: each attempt needs a new nonce and time."""
    nonce = nonce or new_nonce()
    when = request_time(now)
    plain = signature_plain_text(nonce=nonce, request_time=when, method=method, uri=uri, body=body)
    signature = private_key.sign(plain.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return SignedHeaders(
        credential=f"{app_id}/{when}/{ALGORITHM}",
        nonce=nonce,
        signature=base64.b64encode(signature).decode("ascii"),
    )
