"""Fault injection, request counting and the /__sandbox__/ control endpoints."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from wonder_sandbox.config import ConfigError

from .signer import http_request

CUSTOMERS = "/svc/payment/api/v1/openapi/customers"


def _control(sandbox, name, payload=None):
    body = None if payload is None else json.dumps(payload).encode()
    method = "GET" if payload is None and name == "stats" else "POST"
    return http_request(f"{sandbox.base_url}/__sandbox__/{name}", method=method, body=body)


def test_down_answers_503_to_everything_but_control(wonder_client, running_sandbox):
    running_sandbox.set_faults(fault="down")
    assert wonder_client.get(CUSTOMERS).status == 503
    unsigned = http_request(running_sandbox.base_url + CUSTOMERS)
    assert unsigned.status == 503 and unsigned.json()["code"] == "E000503"
    assert _control(running_sandbox, "stats").status == 200


def test_timeout_sleeps_then_answers(wonder_client, running_sandbox):
    running_sandbox.set_faults(fault="timeout", timeout_seconds=0.4)
    started = time.perf_counter()
    assert wonder_client.get(CUSTOMERS).status == 200
    assert time.perf_counter() - started >= 0.4
    with pytest.raises(OSError):  # urllib's timeout: what the dashboard's client will see
        wonder_client.get(CUSTOMERS, timeout=0.1)


def test_malformed_is_a_200_whose_body_is_not_json(wonder_client, running_sandbox):
    running_sandbox.set_faults(fault="malformed")
    answer = wonder_client.get(CUSTOMERS)
    assert answer.status == 200
    with pytest.raises(ValueError):
        json.loads(answer.body)


def test_malformed_leaves_errors_alone(wonder_client, running_sandbox):
    running_sandbox.set_faults(fault="malformed")
    assert wonder_client.get(f"{CUSTOMERS}?limit=x").json()["code"] == "E100001"


def test_bad_shape_is_valid_json_without_the_data_the_client_wants(wonder_client, running_sandbox):
    running_sandbox.set_faults(fault="bad_shape")
    body = wonder_client.get(CUSTOMERS).json()
    assert body["code"] == 200 and "customers" not in body["data"]
    uuid = running_sandbox.store.customer(0)["uuid"]
    assert "customer" not in wonder_client.get(f"{CUSTOMERS}/{uuid}").json()["data"]


def test_no_total_drops_only_the_header(wonder_client, running_sandbox):
    running_sandbox.set_faults(fault="no_total")
    answer = wonder_client.get(CUSTOMERS)
    assert answer.status == 200 and "X-Total-Entries" not in answer.headers
    assert len(answer.json()["data"]["customers"]) == 20


def test_latency_is_added_to_every_request(wonder_client, running_sandbox):
    running_sandbox.set_faults(latency_ms=150)
    started = time.perf_counter()
    wonder_client.get(CUSTOMERS)
    assert time.perf_counter() - started >= 0.15


def test_error_rate_answers_that_share_with_500(wonder_client, running_sandbox):
    running_sandbox.set_faults(error_rate=1.0)
    answer = wonder_client.get(CUSTOMERS)
    assert answer.status == 500 and answer.json()["code"] == "E000500"
    running_sandbox.set_faults(error_rate=0.5)
    statuses = [wonder_client.get(f"{CUSTOMERS}?limit=1").status for _ in range(100)]
    assert set(statuses) == {200, 500}
    assert 20 <= statuses.count(500) <= 80


def test_invalid_faults_are_refused(running_sandbox):
    for bad in ({"fault": "explode"}, {"error_rate": 1.5}, {"latency_ms": -1}):
        with pytest.raises(ConfigError):
            running_sandbox.set_faults(**bad)
    assert running_sandbox.app.faults.current.fault == "none"


def test_concurrent_requests_are_served_in_parallel(wonder_client, running_sandbox):
    running_sandbox.set_faults(latency_ms=200)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(
            pool.map(lambda _: wonder_client.get(f"{CUSTOMERS}?limit=100").status, range(32))
        )
    elapsed = time.perf_counter() - started
    assert statuses == [200] * 32
    # Serially this would take 32 x 0.2 s = 6.4 s.
    assert elapsed < 2.0
    assert running_sandbox.request_count() == 32


def test_counts_per_path_prefix_and_reset(wonder_client, running_sandbox):
    uuid = running_sandbox.store.customer(3)["uuid"]
    wonder_client.get(CUSTOMERS)
    wonder_client.get(f"{CUSTOMERS}?offset=20")
    wonder_client.get(f"{CUSTOMERS}/{uuid}/payment_tokens")
    _control(running_sandbox, "stats")  # control requests are not counted
    assert running_sandbox.request_count() == 3
    assert running_sandbox.request_count(f"{CUSTOMERS}/{uuid}") == 1
    assert running_sandbox.request_count("/svc/payment/api/v1/echo") == 0
    running_sandbox.reset_counts()
    assert running_sandbox.request_count() == 0


def test_stats_endpoint_lists_counts_per_path(wonder_client, running_sandbox):
    wonder_client.get(CUSTOMERS)
    wonder_client.get(f"{CUSTOMERS}?limit=5")
    http_request(running_sandbox.base_url + "/svc/payment/api/v1/echo", method="POST", body=b"{}")
    stats = _control(running_sandbox, "stats").json()
    assert stats == {
        "requests": {CUSTOMERS: 2, "/svc/payment/api/v1/echo": 1},
        "total": 3,
    }


def test_faults_endpoint_changes_faults_at_runtime(wonder_client, running_sandbox):
    answer = _control(running_sandbox, "faults", {"fault": "down", "latency_ms": 5})
    assert answer.status == 200
    assert answer.json() == {
        "latency_ms": 5,
        "error_rate": 0.0,
        "fault": "down",
        "timeout_seconds": 30.0,
    }
    assert wonder_client.get(CUSTOMERS).status == 503
    current = http_request(f"{running_sandbox.base_url}/__sandbox__/faults").json()
    assert current["fault"] == "down"


@pytest.mark.parametrize(
    "payload",
    [
        {"fault": "explode"},
        {"error_rate": 2},
        {"latency_ms": "100"},
        {"latency_ms": True},
        {"colour": 1},
        [1],
    ],
)
def test_faults_endpoint_rejects_bad_values(running_sandbox, payload):
    answer = _control(running_sandbox, "faults", payload)
    assert answer.status == 400
    assert answer.json()["code"] == "E100002"
    assert running_sandbox.app.faults.current.fault == "none"


def test_reset_endpoint_restores_start_up_faults_and_zeroes_counts(wonder_client, running_sandbox):
    wonder_client.get(CUSTOMERS)
    _control(running_sandbox, "faults", {"fault": "down", "error_rate": 0.3})
    answer = _control(running_sandbox, "reset", {})
    assert answer.status == 200
    assert answer.json()["faults"]["fault"] == "none"
    assert answer.json()["total"] == 0
    assert running_sandbox.request_count() == 0
    assert wonder_client.get(CUSTOMERS).status == 200


def test_unknown_control_paths_answer_404(running_sandbox):
    assert http_request(f"{running_sandbox.base_url}/__sandbox__/nope").status == 404
    assert http_request(f"{running_sandbox.base_url}/__sandbox__/reset").status == 405
