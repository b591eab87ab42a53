import base64
import re
from datetime import UTC, datetime

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from wonder.signing import (
    load_private_key,
    new_nonce,
    sign_request,
    signature_plain_text,
)

# Check values from shared/wonder/API-NOTES.md.
CHECK_TIME = "20240501120123"
CHECK_NONCE = "0000000000000000"
CHECK_APP_ID = "d900da8b-6e16-4a85-8a66-05d29ac53f24"


def test_get_check_value():
    plain = signature_plain_text(
        nonce=CHECK_NONCE,
        request_time=CHECK_TIME,
        method="GET",
        uri="/svc/payment/api/v1/openapi/customers?limit=20&offset=0",
    )
    assert plain == "a590cae36407a42ac82b510f8f650d52aebe5ce3771773b3b90409b7721b715c"


def test_post_check_value():
    plain = signature_plain_text(
        nonce=CHECK_NONCE,
        request_time=CHECK_TIME,
        method="post",
        uri="/svc/payment/api/v1/echo",
        body='{"message":"Hello,Wonder!"}',
    )
    assert plain == "50f90abead557dc99451dc264d214af26682a60788fe30b077eb825580e2802f"


def test_signature_verifies_with_the_public_key(key_pair):
    private_key = load_private_key(key_pair.private_pem)
    when = datetime(2024, 5, 1, 12, 1, 23, tzinfo=UTC)
    uri = "/svc/payment/api/v1/openapi/customers?limit=20&offset=0"
    signed = sign_request(
        private_key=private_key,
        app_id=CHECK_APP_ID,
        method="GET",
        uri=uri,
        nonce=CHECK_NONCE,
        now=when,
    )
    assert signed.credential == f"{CHECK_APP_ID}/{CHECK_TIME}/Wonder-RSA-SHA256"
    public_key = serialization.load_pem_public_key(key_pair.public_pem)
    expected_plain = b"a590cae36407a42ac82b510f8f650d52aebe5ce3771773b3b90409b7721b715c"
    signature = base64.b64decode(signed.signature, validate=True)
    public_key.verify(signature, expected_plain, padding.PKCS1v15(), hashes.SHA256())
    # The same signature must not verify for another URI: it covers the query string.
    with pytest.raises(InvalidSignature):
        public_key.verify(
            signature, expected_plain[:-1] + b"d", padding.PKCS1v15(), hashes.SHA256()
        )


def test_every_request_gets_a_new_16_character_nonce():
    nonces = {new_nonce() for _ in range(50)}
    assert len(nonces) == 50
    assert all(re.fullmatch(r"[A-Za-z0-9]{16}", nonce) for nonce in nonces)


def test_non_rsa_key_is_refused():
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValueError, match="RSA"):
        load_private_key(pem)
