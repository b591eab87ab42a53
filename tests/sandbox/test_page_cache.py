"""The optional page cache: cached pages answer byte for byte what a fresh page would, the
warm control endpoint fills it, faults still apply, and it stays off unless asked for."""

from __future__ import annotations

import dataclasses
import gzip
import json
from collections.abc import Iterator

import pytest

from wonder_sandbox.app import GZIP_MIN_BYTES
from wonder_sandbox.page_cache import PageCache
from wonder_sandbox.server import RunningSandbox, start_in_thread

from .conftest import TEST_APP_ID
from .signer import WonderTestClient, http_request

CUSTOMERS = "/svc/payment/api/v1/openapi/customers"


@pytest.fixture(scope="module")
def cached_sandbox(sandbox_config) -> Iterator[RunningSandbox]:
    running = start_in_thread(dataclasses.replace(sandbox_config, page_cache=5))
    yield running
    running.stop()


@pytest.fixture
def cached_client(cached_sandbox, sandbox_private_key) -> WonderTestClient:
    cached_sandbox.reset_faults()
    return WonderTestClient(cached_sandbox.base_url, sandbox_private_key, TEST_APP_ID)


def _cache_control(sandbox, payload=None):
    body = None if payload is None else json.dumps(payload).encode()
    method = "GET" if payload is None else "POST"
    return http_request(f"{sandbox.base_url}/__sandbox__/page_cache", method=method, body=body)


def test_a_cached_page_is_the_same_answer_as_a_fresh_one(
    cached_client, cached_sandbox, wonder_client
):
    uri = f"{CUSTOMERS}?limit=50&offset=100&linked_source_type=Store"
    first = cached_client.get(uri)
    second = cached_client.get(uri)
    fresh = wonder_client.get(uri)  # the uncached shared sandbox, same data
    assert first.body == second.body == fresh.body
    assert first.headers["X-Total-Entries"] == second.headers["X-Total-Entries"]
    assert second.json()["data"]["customers"] == cached_sandbox.store.page("Store", 100, 50)
    stats = _cache_control(cached_sandbox).json()
    assert stats["hits"] >= 1 and stats["pages"] >= 1


def test_warming_fills_the_cache_up_to_its_capacity(cached_sandbox):
    answer = _cache_control(cached_sandbox, {"limit": 1000})
    assert answer.status == 200
    # 2,000 customers at 1,000 a page: two User pages and one Store page, within capacity 5.
    assert answer.json()["pages"] <= 5
    assert _cache_control(cached_sandbox, {"limit": 1}).json()["pages"] == 5


def test_faults_still_damage_cached_pages(cached_client, cached_sandbox):
    uri = f"{CUSTOMERS}?limit=20"
    cached_client.get(uri)
    cached_sandbox.set_faults(fault="bad_shape")
    assert "customers" not in cached_client.get(uri).json()["data"]
    cached_sandbox.set_faults(fault="no_total")
    assert "X-Total-Entries" not in cached_client.get(uri).headers
    cached_sandbox.set_faults(fault="malformed")
    with pytest.raises(ValueError):
        json.loads(cached_client.get(uri).body)


@pytest.mark.parametrize("body", [{"limit": "1000"}, {"limit": True}, {"limit": 0}, [1], {}])
def test_a_bad_warm_request_is_refused_with_a_reason(cached_sandbox, body):
    answer = _cache_control(cached_sandbox, body)
    assert answer.status == 400
    assert answer.json()["code"] in ("E100001", "E100002")


def test_the_cache_is_off_unless_configured(running_sandbox):
    answer = _cache_control(running_sandbox)
    assert answer.status == 400 and "off" in answer.json()["message"]


def test_the_least_recently_used_page_is_forgotten():
    cache = PageCache(2)
    cache.put(("User", 0, 10), b"a" * 100)
    cache.put(("User", 10, 10), b"b" * 100)
    assert cache.get(("User", 0, 10)) == b"a" * 100
    cache.put(("Store", 0, 10), b"c")
    assert ("User", 10, 10) not in cache
    assert cache.get(("User", 0, 10)) == b"a" * 100
    assert cache.stats()["pages"] == 2


def test_a_client_that_accepts_gzip_gets_the_same_page_compressed(cached_client, cached_sandbox):
    uri = f"{CUSTOMERS}?limit=200&offset=0&linked_source_type=User"
    plain = cached_client.get(uri)
    for _ in range(2):  # the first fills the cache, the second is answered from it
        gzipped = cached_client.get(uri, header_overrides={"Accept-Encoding": "gzip"})
        assert gzipped.headers["Content-Encoding"] == "gzip"
        assert int(gzipped.headers["Content-Length"]) == len(gzipped.body) < len(plain.body) / 3
        assert gzip.decompress(gzipped.body) == plain.body
        assert gzipped.headers["X-Total-Entries"] == plain.headers["X-Total-Entries"]
    assert "Content-Encoding" not in plain.headers


@pytest.mark.parametrize("accept_encoding", ["identity", "gzip;q=0", "br, deflate", ""])
def test_no_gzip_unless_the_client_accepts_it(cached_client, accept_encoding):
    answer = cached_client.get(
        f"{CUSTOMERS}?limit=200", header_overrides={"Accept-Encoding": accept_encoding}
    )
    assert "Content-Encoding" not in answer.headers
    assert len(answer.json()["data"]["customers"]) == 200


def test_a_small_answer_is_not_compressed(cached_client):
    answer = cached_client.get(f"{CUSTOMERS}?limit=1", header_overrides={"Accept-Encoding": "gzip"})
    assert len(answer.body) < GZIP_MIN_BYTES
    assert "Content-Encoding" not in answer.headers


def test_a_damaged_cached_page_is_not_sent_intact_in_gzip(cached_client, cached_sandbox):
    uri = f"{CUSTOMERS}?limit=300"
    cached_client.get(uri)  # cached now
    cached_sandbox.set_faults(fault="malformed")
    answer = cached_client.get(uri, header_overrides={"Accept-Encoding": "gzip"})
    with pytest.raises(ValueError):
        json.loads(gzip.decompress(answer.body))
