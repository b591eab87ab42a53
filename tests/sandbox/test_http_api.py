"""The Wonder endpoints over real HTTP, signed the way the dashboard must sign them."""

from __future__ import annotations

import http.client
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from wonder_sandbox.data import HOSTILE_INDICES

from .conftest import TEST_APP_ID
from .signer import http_request, signed_headers

CUSTOMERS = "/svc/payment/api/v1/openapi/customers"


def test_first_page_has_20_customers_the_total_header_and_the_envelope(
    wonder_client, running_sandbox
):
    answer = wonder_client.get(CUSTOMERS)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["X-Total-Entries"] == str(running_sandbox.store.count())
    body = answer.json()
    assert body["code"] == 200 and body["message"] == "success"
    assert body["data"]["customers"] == running_sandbox.store.page(None, 0, 20)


def test_paging_walks_every_customer_once_in_order(wonder_client, running_sandbox):
    seen = []
    offset = 0
    while True:
        answer = wonder_client.get(f"{CUSTOMERS}?limit=1000&offset={offset}")
        page = answer.json()["data"]["customers"]
        if not page:
            break
        seen.extend(customer["uuid"] for customer in page)
        offset += len(page)
    assert seen == [customer["uuid"] for customer in running_sandbox.store.iter_customers()]
    assert len(set(seen)) == running_sandbox.store.count()


def test_an_offset_past_the_end_answers_an_empty_page_with_the_total(
    wonder_client, running_sandbox
):
    answer = wonder_client.get(f"{CUSTOMERS}?limit=5&offset=99999999")
    assert answer.status == 200
    assert answer.json()["data"]["customers"] == []
    assert answer.headers["X-Total-Entries"] == str(running_sandbox.store.count())


@pytest.mark.parametrize("source_type", ["User", "Store"])
def test_filtering_by_linked_source_type(wonder_client, running_sandbox, source_type):
    answer = wonder_client.get(f"{CUSTOMERS}?limit=50&offset=10&linked_source_type={source_type}")
    assert answer.headers["X-Total-Entries"] == str(running_sandbox.store.count(source_type))
    page = answer.json()["data"]["customers"]
    assert page == running_sandbox.store.page(source_type, 10, 50)
    prefix = "STORE-" if source_type == "Store" else "CUST-"
    # The hostile reference numbers break the prefix rule on purpose; all else follows it.
    hostile = {"INV/2024#7 ?a=1&b=<x>%20", "會員-０００７"}
    assert all(
        c["reference_number"].startswith(prefix)
        for c in page
        if c["reference_number"] not in hostile
    )


def test_one_customer_by_uuid_and_by_reference(wonder_client, running_sandbox):
    expected = running_sandbox.store.customer(1234)
    by_uuid = wonder_client.get(f"{CUSTOMERS}/{expected['uuid']}")
    assert by_uuid.status == 200
    assert by_uuid.json()["data"]["customer"] == expected
    by_reference = wonder_client.get(f"{CUSTOMERS}/ref/{expected['reference_number']}")
    assert by_reference.json()["data"]["customer"] == expected


@pytest.mark.parametrize("name", ["hostile_reference", "unicode_reference"])
def test_a_hostile_reference_number_is_found_when_percent_encoded(
    wonder_client, running_sandbox, name
):
    expected = running_sandbox.store.customer(HOSTILE_INDICES[name])
    answer = wonder_client.get(f"{CUSTOMERS}/ref/{quote(expected['reference_number'], safe='')}")
    assert answer.status == 200
    assert answer.json()["data"]["customer"]["uuid"] == expected["uuid"]


@pytest.mark.parametrize(
    "path",
    [
        f"{CUSTOMERS}/9a4f1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b",  # well-formed, not ours
        f"{CUSTOMERS}/not-a-uuid",
        f"{CUSTOMERS}/ref/CUST-99999999",
        f"{CUSTOMERS}/ref/CUST-1",  # not the canonical padding
        f"{CUSTOMERS}/ref/STORE-00000000",  # customer 0 is a User
        f"{CUSTOMERS}/9a4f1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b/payment_tokens",
    ],
)
def test_unknown_customers_answer_404_e100404(wonder_client, path):
    answer = wonder_client.get(path)
    assert answer.status == 404
    assert answer.json() == {"code": "E100404", "message": "Customer not found"}


def test_payment_tokens_start_with_the_default_token(wonder_client, running_sandbox):
    store = running_sandbox.store
    with_token = next(c for c in store.iter_customers() if c.get("default_payment_token"))
    answer = wonder_client.get(f"{CUSTOMERS}/{with_token['uuid']}/payment_tokens")
    tokens = answer.json()["data"]["payment_tokens"]
    assert tokens[0] == with_token["default_payment_token"]
    assert all(token["default"] is False for token in tokens[1:])
    assert len(tokens) <= 4


def test_payment_tokens_can_be_filtered_by_type(wonder_client, running_sandbox):
    customer = running_sandbox.store.customer(HOSTILE_INDICES["alipay_token"])
    answer = wonder_client.get(
        f"{CUSTOMERS}/{customer['uuid']}/payment_tokens?token_type=AlipayAutoDebit"
    )
    tokens = answer.json()["data"]["payment_tokens"]
    assert tokens and all(token["token_type"] == "AlipayAutoDebit" for token in tokens)


def test_echo_returns_the_message_and_its_signature_covers_the_body(wonder_client):
    answer = wonder_client.post("/svc/payment/api/v1/echo", '{"message":"Hello,Wonder!"}')
    assert answer.status == 200
    assert answer.json()["data"] == {"message": "Hello,Wonder!"}
    tampered = wonder_client.post(
        "/svc/payment/api/v1/echo",
        '{"message":"Hello,Wonder?"}',
        signed_body='{"message":"Hello,Wonder!"}',
    )
    assert tampered.status == 401
    assert tampered.json()["code"] == "E000005"


def test_the_request_id_comes_back(wonder_client):
    answer = wonder_client.get(CUSTOMERS, header_overrides={"X-Request-ID": "trace-me-42"})
    assert answer.headers["X-Request-ID"] == "trace-me-42"
    missing = wonder_client.get(f"{CUSTOMERS}/nope", header_overrides={"X-Request-ID": "trace-404"})
    assert missing.headers["X-Request-ID"] == "trace-404"


# --- 401: every way a signature can be wrong -------------------------------------------


def _assert_401(answer, code):
    assert answer.status == 401
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json()["code"] == code


def test_no_signing_headers_at_all_is_e000002(running_sandbox):
    _assert_401(http_request(running_sandbox.base_url + CUSTOMERS), "E000002")


def test_a_wrong_app_id_is_e000003(wonder_client):
    _assert_401(wonder_client.get(CUSTOMERS, app_id="not-our-app"), "E000003")


def test_a_31_minute_old_request_is_e000004(wonder_client):
    stale = datetime.now(UTC) - timedelta(minutes=31)
    answer = wonder_client.get(CUSTOMERS, request_time=stale)
    _assert_401(answer, "E000004")
    assert answer.json()["message"] == "Request time expired"


def test_a_query_changed_after_signing_is_e000005(wonder_client):
    answer = wonder_client.get(
        f"{CUSTOMERS}?limit=20&offset=20", signed_uri=f"{CUSTOMERS}?limit=20&offset=0"
    )
    _assert_401(answer, "E000005")
    assert answer.json()["message"] == "Signature verification failed"


def test_reordered_parameters_are_a_different_signature(wonder_client):
    # Same parameters, other order: what a client library that rebuilds the URL would send.
    answer = wonder_client.get(
        f"{CUSTOMERS}?offset=0&limit=20", signed_uri=f"{CUSTOMERS}?limit=20&offset=0"
    )
    _assert_401(answer, "E000005")


def test_a_bad_signature_is_e000005(wonder_client):
    assert wonder_client.get(CUSTOMERS).status == 200  # the same request, correctly signed
    _assert_401(wonder_client.get(CUSTOMERS, header_overrides={"Signature": "A" * 344}), "E000005")


def test_an_unsigned_request_is_rejected_even_for_a_real_customer(running_sandbox):
    uuid = running_sandbox.store.customer(0)["uuid"]
    _assert_401(http_request(f"{running_sandbox.base_url}{CUSTOMERS}/{uuid}"), "E000002")


# --- 400 / 404 / 405 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("limit=abc", "limit"),
        ("limit=", "limit"),
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=2.5", "limit"),
        ("offset=-5", "offset"),
        ("offset=x", "offset"),
        ("linked_source_type=Merchant", "linked_source_type"),
        ("linked_source_type=user", "linked_source_type"),
        ("sort=name", "sort"),
        ("filter%5Bname%5D%5B_eq%5D=Chan", "filter[name][_eq]"),
        ("limit=10&limit=20", "limit"),
    ],
)
def test_bad_list_parameters_answer_400_naming_the_parameter(wonder_client, query, named):
    answer = wonder_client.get(f"{CUSTOMERS}?{query}")
    assert answer.status == 400
    body = answer.json()
    assert body["code"] == "E100001"
    assert named in body["message"]


def test_limit_1000_is_allowed(wonder_client):
    answer = wonder_client.get(f"{CUSTOMERS}?limit=1000")
    assert answer.status == 200
    assert len(answer.json()["data"]["customers"]) == 1000


@pytest.mark.parametrize(
    "path",
    ["/svc/payment/api/v1/openapi/orders", "/", f"{CUSTOMERS}/", f"{CUSTOMERS}/a/b/c"],
)
def test_other_paths_answer_the_404_envelope(wonder_client, path):
    answer = wonder_client.get(path)
    assert answer.status == 404
    assert answer.json()["code"] == "E000404"


def test_the_wrong_method_answers_405(wonder_client):
    answer = wonder_client.post(CUSTOMERS, '{"name":"x"}')
    assert answer.status == 405
    assert answer.json()["code"] == "E000405"


@pytest.mark.parametrize("body", ["not json", "[1,2]", '{"message": 5}', '{"msg":"x"}'])
def test_echo_rejects_a_body_that_is_not_a_message_object(wonder_client, body):
    answer = wonder_client.post("/svc/payment/api/v1/echo", body)
    assert answer.status == 400
    assert answer.json()["code"] == "E100002"


def test_non_ascii_names_travel_as_utf8(wonder_client, running_sandbox):
    index = HOSTILE_INDICES["emoji_name"]
    uuid = running_sandbox.store.customer(index)["uuid"]
    answer = wonder_client.get(f"{CUSTOMERS}/{uuid}")
    assert "🐉".encode() in answer.body
    assert json.loads(answer.body.decode("utf-8"))["data"]["customer"]["name"].startswith("陳大文")


def _get_on(connection: http.client.HTTPConnection, uri: str, private_key, **headers):
    signed = signed_headers(private_key, app_id=TEST_APP_ID, method="GET", uri=uri, body="")
    connection.request("GET", uri, headers={**signed, **headers})
    answer = connection.getresponse()
    return answer.status, answer.read()


def test_a_connection_is_kept_alive_for_the_next_request(running_sandbox, sandbox_private_key):
    host, port = running_sandbox.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        for offset in (0, 20, 40):
            status, body = _get_on(
                connection, f"{CUSTOMERS}?limit=20&offset={offset}", sandbox_private_key
            )
            assert status == 200
            assert json.loads(body)["data"]["customers"] == running_sandbox.store.page(
                None, offset, 20
            )
        local_port = connection.sock.getsockname()[1]
        _get_on(connection, f"{CUSTOMERS}?limit=1", sandbox_private_key)
        assert connection.sock.getsockname()[1] == local_port  # the same connection
    finally:
        connection.close()


def test_an_error_answer_closes_the_connection(running_sandbox, sandbox_private_key):
    host, port = running_sandbox.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        status, _body = _get_on(connection, f"{CUSTOMERS}?limit=0", sandbox_private_key)
        assert status == 400
        assert connection.sock is None  # http.client saw "Connection: close" and closed
    finally:
        connection.close()
