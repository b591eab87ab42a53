"""The Wonder client over real HTTP: against the sandbox, and against a scripted fake
where Wonder has to misbehave on cue."""

import base64
import json
import logging

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from tests.fakes import ScriptedAnswer, ScriptedWonder
from tests.keys import new_key_pair
from wonder import (
    WonderBadResponse,
    WonderClient,
    WonderConfig,
    WonderCredentialsRejected,
    WonderNotFound,
    WonderRequestRejected,
    WonderUnavailable,
)
from wonder.signing import signature_plain_text

CUSTOMERS = {"code": 200, "message": "success", "data": {"customers": []}}
ONE_CUSTOMER = {
    "code": 200,
    "data": {
        "customers": [
            {
                "uuid": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
                "reference_number": "CUST-1",
                "dial_code": "+852",
                "name": "Chan Tai Man",
                "default_payment_token": {
                    "token_type": "CreditCard",
                    "token": "tok_secret_value_do_not_show",
                    "state": "success",
                    "default": True,
                    "credit_card": {"number": "4111111111111111", "brand": "Visa"},
                },
            }
        ]
    },
}


def make_client(base_url, key_pair, **overrides) -> WonderClient:
    config = {
        "base_url": base_url,
        "app_id": "sandbox-app",
        "private_key_pem": key_pair.private_pem,
        "read_timeout": 2.0,
        "time_budget": 10.0,
        "max_retries": 2,
        "retry_backoff": 0.01,
    }
    config.update(overrides)
    return WonderClient(WonderConfig(**config))


# --- against the sandbox ------------------------------------------------------------------


def test_signed_round_trip_to_the_sandbox(sandbox, key_pair):
    client = make_client(sandbox.base_url, key_pair)
    page = client.list_customers(limit=20, offset=0, linked_source_type="Store")
    assert len(page.customers) == 20
    assert page.total == sandbox.store.count("Store")
    assert page.linked_source_type == "Store"
    expected = sandbox.store.page("Store", 0, 20)
    assert [c.uuid for c in page.customers] == [c["uuid"] for c in expected]


def test_second_page_is_the_next_rows(sandbox, key_pair):
    client = make_client(sandbox.base_url, key_pair)
    first = client.list_customers(limit=10, offset=0)
    second = client.list_customers(limit=10, offset=10)
    assert {c.uuid for c in first.customers}.isdisjoint(c.uuid for c in second.customers)
    assert [c.uuid for c in second.customers] == [
        c["uuid"] for c in sandbox.store.page(None, 10, 10)
    ]


def test_token_values_from_the_sandbox_never_reach_records(sandbox, key_pair):
    client = make_client(sandbox.base_url, key_pair)
    page = client.list_customers(limit=200, offset=0)
    raw_tokens = [
        c["default_payment_token"]["token"]
        for c in sandbox.store.page(None, 0, 200)
        if c.get("default_payment_token")
    ]
    assert raw_tokens, "the sandbox should send token values for the test to mean anything"
    text = repr(page)
    assert not [token for token in raw_tokens if token in text]


def test_per_customer_lookups(sandbox, key_pair):
    client = make_client(sandbox.base_url, key_pair)
    raw = sandbox.store.customer(7)
    by_uuid = client.get_customer(uuid=raw["uuid"])
    by_reference = client.get_customer_by_reference(reference_number=raw["reference_number"])
    assert by_uuid == by_reference
    assert by_uuid.reference_number == raw["reference_number"]
    tokens = client.list_payment_tokens(uuid=raw["uuid"])
    assert len(tokens) == len(sandbox.store.payment_tokens(raw["uuid"]))


def test_unknown_customer_is_not_found(sandbox, key_pair):
    client = make_client(sandbox.base_url, key_pair)
    with pytest.raises(WonderNotFound):
        client.get_customer(uuid="00000000-0000-4000-8000-000000000000")
    # Characters that need quoting are signed exactly as sent, so this is a clean 404, not 401.
    with pytest.raises(WonderNotFound):
        client.get_customer_by_reference(reference_number="no such/ref ?&=陳")


def test_a_key_wonder_does_not_know_is_rejected(sandbox):
    client = make_client(sandbox.base_url, new_key_pair())
    with pytest.raises(WonderCredentialsRejected) as caught:
        client.list_customers(limit=5)
    assert caught.value.status == 401
    assert caught.value.request_id


# --- against a scripted fake --------------------------------------------------------------


def test_5xx_then_success_is_retried_and_re_signed(key_pair):
    public_key = serialization.load_pem_public_key(key_pair.public_pem)
    with ScriptedWonder(
        ScriptedAnswer(500, {"code": "E500000", "message": "boom"}),
        ScriptedAnswer(503, "Service Unavailable"),
        ScriptedAnswer(200, ONE_CUSTOMER, {"X-Total-Entries": "1"}),
    ) as fake:
        page = make_client(fake.base_url, key_pair).list_customers(limit=20, offset=0)
    assert [c.name for c in page.customers] == ["Chan Tai Man"]
    assert page.total == 1
    assert len(fake.requests) == 3
    assert len({r.headers["Nonce"] for r in fake.requests}) == 3
    assert len({r.headers["X-Request-ID"] for r in fake.requests}) == 3
    for request in fake.requests:
        assert request.path == "/svc/payment/api/v1/openapi/customers?limit=20&offset=0"
        request_time = request.headers["Credential"].split("/")[1]
        plain = signature_plain_text(
            nonce=request.headers["Nonce"],
            request_time=request_time,
            method="GET",
            uri=request.path,
        )
        public_key.verify(
            base64.b64decode(request.headers["Signature"]),
            plain.encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )


def test_persistent_5xx_becomes_unavailable_after_the_retries(key_pair):
    with ScriptedWonder(ScriptedAnswer(502, "bad gateway")) as fake:
        with pytest.raises(WonderUnavailable) as caught:
            make_client(fake.base_url, key_pair, max_retries=2).list_customers(limit=5)
    assert len(fake.requests) == 3
    assert caught.value.status == 502


def test_429_is_retried(key_pair):
    with ScriptedWonder(
        ScriptedAnswer(429, {"code": "E429", "message": "slow down"}, {"Retry-After": "0"}),
        ScriptedAnswer(200, CUSTOMERS),
    ) as fake:
        page = make_client(fake.base_url, key_pair).list_customers(limit=5)
    assert page.customers == ()
    assert page.total is None
    assert len(fake.requests) == 2


def test_timeouts_are_retried_then_reported_unavailable(key_pair):
    with ScriptedWonder(ScriptedAnswer(200, CUSTOMERS, delay=1.0)) as fake:
        client = make_client(fake.base_url, key_pair, read_timeout=0.2, max_retries=1)
        with pytest.raises(WonderUnavailable, match="in time"):
            client.list_customers(limit=5)
    assert len(fake.requests) == 2


def test_the_time_budget_caps_the_whole_call(key_pair):
    with ScriptedWonder(ScriptedAnswer(200, CUSTOMERS, delay=2.0)) as fake:
        client = make_client(
            fake.base_url, key_pair, read_timeout=5.0, time_budget=0.5, max_retries=5
        )
        with pytest.raises(WonderUnavailable):
            client.list_customers(limit=5)
    assert len(fake.requests) == 1


def test_a_closed_port_is_unavailable(key_pair):
    client = make_client("http://127.0.0.1:9", key_pair, max_retries=0)
    with pytest.raises(WonderUnavailable, match="reached"):
        client.list_customers(limit=5)


def test_a_body_that_does_not_gunzip_is_retried_then_reported_unavailable(key_pair):
    # The client reads and gunzips a body in one go (wonder/client.py ``_body``): a broken
    # one must still be an upstream failure, retried, not a crash.
    broken = ScriptedAnswer(200, b"\x1f\x8b not gzip at all", {"Content-Encoding": "gzip"})
    with ScriptedWonder(broken, ScriptedAnswer(200, ONE_CUSTOMER)) as fake:
        client = make_client(fake.base_url, key_pair, max_retries=1)
        page = client.list_customers(limit=5, as_columns=True)
        assert page.columns.name == ["Chan Tai Man"]
        assert page.columns.card_number == ["411111******1111"]
    with ScriptedWonder(broken) as fake:
        with pytest.raises(WonderUnavailable):
            make_client(fake.base_url, key_pair, max_retries=1).list_customers(limit=5)
    assert len(fake.requests) == 2


# A page read as records (the customer list), and as the sync reads it: fetched on one
# thread, decoded into columns on another.
PAGE_READS = {
    "records": lambda client: client.list_customers(limit=5),
    "columns": lambda client: client.fetch_customer_page(limit=5).decoded(),
}


@pytest.mark.parametrize("read", PAGE_READS.values(), ids=PAGE_READS)
def test_non_json_is_a_bad_response(key_pair, read):
    with ScriptedWonder(ScriptedAnswer(200, "<html>maintenance</html>")) as fake:
        with pytest.raises(WonderBadResponse) as caught:
            read(make_client(fake.base_url, key_pair))
    assert len(fake.requests) == 1
    assert caught.value.request_id == fake.requests[0].headers["X-Request-ID"]


@pytest.mark.parametrize("read", PAGE_READS.values(), ids=PAGE_READS)
@pytest.mark.parametrize("code", ["E000001", 4001])
def test_an_error_code_in_a_200_envelope_is_a_rejection(key_pair, code, read):
    envelope = {"code": code, "message": "Invalid <b>parameter</b>", "data": None}
    with ScriptedWonder(ScriptedAnswer(200, envelope)) as fake:
        with pytest.raises(WonderRequestRejected) as caught:
            read(make_client(fake.base_url, key_pair))
    assert caught.value.upstream_code == str(code)
    assert caught.value.upstream_message == "Invalid <b>parameter</b>"
    assert caught.value.status == 200


def test_a_fetched_page_is_decoded_later_into_the_columns_list_customers_gives(sandbox, key_pair):
    client = make_client(sandbox.base_url, key_pair)
    fetched = client.fetch_customer_page(limit=50, offset=50, linked_source_type="Store")
    assert isinstance(fetched.body, bytes) and sandbox.request_count() == 1
    page = fetched.decoded()
    again = client.list_customers(limit=50, offset=50, linked_source_type="Store", as_columns=True)
    assert page.columns == again.columns and len(page.columns) == 50
    assert (page.offset, page.limit, page.total) == (50, 50, again.total)
    assert page.rows_returned == 50 and page.linked_source_type == "Store"


def test_older_error_fields_are_understood(key_pair):
    envelope = {"error_code": "E100001", "error_message": "limit is invalid"}
    with ScriptedWonder(ScriptedAnswer(400, envelope)) as fake:
        with pytest.raises(WonderRequestRejected) as caught:
            make_client(fake.base_url, key_pair).list_customers(limit=5)
    assert (caught.value.upstream_code, caught.value.upstream_message) == (
        "E100001",
        "limit is invalid",
    )
    assert caught.value.status == 400


def test_403_is_credentials_rejected_and_not_retried(key_pair):
    envelope = {"code": "E000002", "message": "Invalid Credential Format."}
    with ScriptedWonder(ScriptedAnswer(403, envelope)) as fake:
        with pytest.raises(WonderCredentialsRejected) as caught:
            make_client(fake.base_url, key_pair).list_customers(limit=5)
    assert caught.value.upstream_code == "E000002"
    assert len(fake.requests) == 1


def test_success_code_zero_is_accepted_and_card_numbers_are_remasked(key_pair):
    envelope = json.loads(json.dumps(ONE_CUSTOMER))
    envelope["code"] = 0
    with ScriptedWonder(ScriptedAnswer(200, envelope)) as fake:
        page = make_client(fake.base_url, key_pair).list_customers(limit=5)
    card = page.customers[0].default_payment_token.credit_card
    assert card.number == "411111******1111"


def test_every_call_is_logged_with_request_id_and_never_the_token(key_pair, caplog):
    with ScriptedWonder(ScriptedAnswer(200, ONE_CUSTOMER)) as fake:
        with caplog.at_level(logging.INFO, logger="wonder"):
            make_client(fake.base_url, key_pair).list_customers(limit=5)
    request_id = fake.requests[0].headers["X-Request-ID"]
    line = caplog.records[-1].getMessage()
    assert request_id in line and "status=200" in line and "GET /svc/" in line
    assert "tok_secret_value_do_not_show" not in caplog.text


@pytest.mark.parametrize(
    "kwargs",
    [
        {"limit": 0},
        {"limit": 1001},
        {"limit": 5, "offset": -1},
        {"limit": 5, "linked_source_type": "Admin"},
    ],
)
def test_bad_parameters_never_leave_the_process(key_pair, kwargs):
    with ScriptedWonder(ScriptedAnswer(200, CUSTOMERS)) as fake:
        with pytest.raises(ValueError):
            make_client(fake.base_url, key_pair).list_customers(**kwargs)
    assert fake.requests == []
