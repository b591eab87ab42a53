"""The sandbox's own Wonder-RSA-SHA256 verifier, tested without HTTP."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from wonder_sandbox.errors import ApiError
from wonder_sandbox.signature import SignatureVerifier, load_rsa_public_key, signing_plain

from .signer import plain_to_sign, signed_headers

CHECK_APP_ID = "d900da8b-6e16-4a85-8a66-05d29ac53f24"
CHECK_TIME = "20240501120123"
CHECK_NONCE = "0000000000000000"
LIST_URI = "/svc/payment/api/v1/openapi/customers?limit=20&offset=0"
ECHO_URI = "/svc/payment/api/v1/echo"
ECHO_BODY = '{"message":"Hello,Wonder!"}'


def test_check_value_of_a_get_from_the_api_notes():
    plain = signing_plain(nonce=CHECK_NONCE, request_time=CHECK_TIME, method="GET", uri=LIST_URI)
    assert plain == "a590cae36407a42ac82b510f8f650d52aebe5ce3771773b3b90409b7721b715c"


def test_check_value_of_a_post_with_body_from_the_api_notes():
    plain = signing_plain(
        nonce=CHECK_NONCE,
        request_time=CHECK_TIME,
        method="POST",
        uri=ECHO_URI,
        body=ECHO_BODY.encode(),
    )
    assert plain == "50f90abead557dc99451dc264d214af26682a60788fe30b077eb825580e2802f"


def test_test_signer_agrees_with_the_check_values_too():
    # Otherwise an HTTP test failing with 401 could be the helper's fault, not the sandbox's.
    assert plain_to_sign(CHECK_NONCE, CHECK_TIME, "GET", LIST_URI).startswith("a590cae3")
    assert plain_to_sign(CHECK_NONCE, CHECK_TIME, "POST", ECHO_URI, ECHO_BODY).startswith(
        "50f90abe"
    )


@pytest.fixture
def verifier(sandbox_public_pem: bytes) -> SignatureVerifier:
    frozen_now = datetime(2024, 5, 1, 12, 1, 23, tzinfo=UTC).timestamp()
    return SignatureVerifier(
        public_key_pem=sandbox_public_pem, app_id=CHECK_APP_ID, clock=lambda: frozen_now
    )


def _headers(private_key, **changes):
    options = {
        "app_id": CHECK_APP_ID,
        "method": "GET",
        "uri": LIST_URI,
        "request_time": datetime(2024, 5, 1, 12, 1, 23, tzinfo=UTC),
    }
    options.update(changes)
    return signed_headers(private_key, **options)


def _verify(verifier, headers, *, method="GET", uri=LIST_URI, body=b""):
    verifier.verify(
        method=method,
        uri=uri,
        body=body,
        credential=headers.get("Credential"),
        nonce=headers.get("Nonce"),
        signature=headers.get("Signature"),
    )


def _code_of(verifier, headers, **request) -> str:
    with pytest.raises(ApiError) as raised:
        _verify(verifier, headers, **request)
    return raised.value.error.code


def test_a_correctly_signed_get_and_post_verify(verifier, sandbox_private_key):
    _verify(verifier, _headers(sandbox_private_key))
    post = _headers(sandbox_private_key, method="POST", uri=ECHO_URI, body=ECHO_BODY)
    _verify(verifier, post, method="POST", uri=ECHO_URI, body=ECHO_BODY.encode())


@pytest.mark.parametrize("missing", ["Credential", "Nonce", "Signature"])
def test_a_missing_header_is_a_credential_format_error(verifier, sandbox_private_key, missing):
    headers = _headers(sandbox_private_key)
    del headers[missing]
    assert _code_of(verifier, headers) == "E000002"


@pytest.mark.parametrize(
    "credential",
    [
        "no-slashes",
        f"{CHECK_APP_ID}/{CHECK_TIME}/Wonder-HMAC-SHA256",
        f"{CHECK_APP_ID}/2024050112012/Wonder-RSA-SHA256",  # 13 digits
        f"{CHECK_APP_ID}/20241301120123/Wonder-RSA-SHA256",  # month 13
        f"/{CHECK_TIME}/Wonder-RSA-SHA256",  # empty app id
    ],
)
def test_a_garbled_credential_is_a_format_error(verifier, sandbox_private_key, credential):
    headers = _headers(sandbox_private_key)
    headers["Credential"] = credential
    assert _code_of(verifier, headers) == "E000002"


@pytest.mark.parametrize(
    "nonce", ["short", "0000000000000000x", "00000000-0000000", "ééééééééééééééé1"]
)
def test_a_nonce_that_is_not_16_alphanumerics_is_a_format_error(
    verifier, sandbox_private_key, nonce
):
    headers = _headers(sandbox_private_key)
    headers["Nonce"] = nonce
    assert _code_of(verifier, headers) == "E000002"


def test_a_signature_that_is_not_base64_is_a_format_error(verifier, sandbox_private_key):
    headers = _headers(sandbox_private_key)
    headers["Signature"] = "not base64!!"
    assert _code_of(verifier, headers) == "E000002"


def test_a_foreign_app_id_is_e000003(verifier, sandbox_private_key):
    headers = _headers(sandbox_private_key, app_id="someone-elses-app")
    assert _code_of(verifier, headers) == "E000003"


@pytest.mark.parametrize("minutes", [-31, 31])
def test_a_request_time_31_minutes_off_either_way_is_e000004(
    verifier, sandbox_private_key, minutes
):
    when = datetime(2024, 5, 1, 12, 1, 23, tzinfo=UTC) + timedelta(minutes=minutes)
    assert _code_of(verifier, _headers(sandbox_private_key, request_time=when)) == "E000004"


def test_a_request_time_29_minutes_off_still_verifies(verifier, sandbox_private_key):
    when = datetime(2024, 5, 1, 12, 1, 23, tzinfo=UTC) - timedelta(minutes=29)
    _verify(verifier, _headers(sandbox_private_key, request_time=when))


def test_a_signature_over_other_content_is_e000005(verifier, sandbox_private_key):
    headers = _headers(sandbox_private_key, uri=LIST_URI.replace("limit=20", "limit=21"))
    assert _code_of(verifier, headers) == "E000005"
    post = _headers(sandbox_private_key, method="POST", uri=ECHO_URI, body=ECHO_BODY)
    tampered_body = ECHO_BODY.replace("Hello", "Hullo").encode()
    assert _code_of(verifier, post, method="POST", uri=ECHO_URI, body=tampered_body) == "E000005"


def test_a_signature_from_another_key_is_e000005(verifier):
    from cryptography.hazmat.primitives.asymmetric import rsa

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert _code_of(verifier, _headers(stranger)) == "E000005"


def test_valid_base64_of_the_wrong_length_is_e000005(verifier, sandbox_private_key):
    headers = _headers(sandbox_private_key)
    headers["Signature"] = base64.b64encode(b"\x00" * 10).decode()
    assert _code_of(verifier, headers) == "E000005"


def test_only_an_rsa_public_key_is_accepted(sandbox_private_key, sandbox_public_pem):
    assert load_rsa_public_key(sandbox_public_pem).key_size == 2048
    private_pem = sandbox_private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValueError, match="private key"):
        load_rsa_public_key(private_pem)
    with pytest.raises(ValueError, match="not a PEM public key"):
        load_rsa_public_key(b"-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----\n")
    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(ValueError, match="not an RSA key"):
        load_rsa_public_key(ec_pem)
