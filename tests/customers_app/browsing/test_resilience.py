"""Resilience in one process: single-flight across threads, the shared upstream error,
stale copies while the circuit is open, and the page agents see when it is."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import override_settings

from customers_app.browsing import services
from wonder import WonderCircuitOpen, WonderUnavailable
from wonder.factory import wonder_breaker

LIST_PATH = "/svc/payment/api/v1/openapi/customers"
AGENTS = 20


def all_at_once(call, times: int = AGENTS) -> list:
    """Run ``call`` from ``times`` threads together; each outcome, result or exception."""

    def outcome(_):
        try:
            return call()
        except Exception as error:  # noqa: BLE001 - the test inspects what each agent got
            return error

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(outcome, range(times)))


def test_twenty_agents_on_a_cold_page_make_one_upstream_request(live_sandbox):
    live_sandbox.set_faults(latency_ms=300)
    results = all_at_once(lambda: services.customer_list(page=3, page_size=25))
    assert live_sandbox.request_count(LIST_PATH) == 1
    expected = [c["uuid"] for c in live_sandbox.store.page(None, 50, 25)]
    assert all([c.uuid for c in result.customers] == expected for result in results)


def test_the_one_upstream_failure_is_shared_with_every_waiting_agent(live_sandbox):
    live_sandbox.set_faults(latency_ms=300, error_rate=1.0)
    started = time.perf_counter()
    results = all_at_once(lambda: services.customer_list(page=2, page_size=25))
    elapsed = time.perf_counter() - started
    assert all(isinstance(result, WonderUnavailable) for result in results)
    # One call with its one retry (live_sandbox sets WONDER_MAX_RETRIES=1), not 20 of them.
    assert live_sandbox.request_count(LIST_PATH) == 2
    assert elapsed < 3


def test_an_expired_page_is_refreshed_once_then_fresh_again(live_sandbox, settings):
    services.customer_list(page=1, page_size=25)
    settings.WONDER_PAGE_CACHE_SECONDS = 0
    live_sandbox.set_faults(latency_ms=200)
    all_at_once(lambda: services.customer_list(page=1, page_size=25), times=10)
    assert live_sandbox.request_count(LIST_PATH) == 2


def test_while_the_circuit_is_open_cached_pages_are_served_stale(live_sandbox, settings):
    settings.WONDER_BREAKER_FAILURES = 2
    settings.WONDER_PAGE_CACHE_SECONDS = 0
    fresh = services.customer_list(page=1, page_size=25)
    live_sandbox.set_faults(fault="down")
    for other_page in (5, 6):
        with pytest.raises(WonderUnavailable):
            services.customer_list(page=other_page, page_size=25)
    requests_when_opened = live_sandbox.request_count(LIST_PATH)
    stale = services.customer_list(page=1, page_size=25)
    assert isinstance(stale.stale_because, WonderCircuitOpen)
    assert stale.customers == fresh.customers
    assert live_sandbox.request_count(LIST_PATH) == requests_when_opened


def test_agents_see_not_answering_at_once_while_the_circuit_is_open(
    agent_browser, live_sandbox, settings
):
    settings.WONDER_BREAKER_FAILURES = 2
    live_sandbox.set_faults(fault="down")
    for page in ("1", "2"):
        assert agent_browser.get("/customers/", {"page": page}).status_code == 503
    requests_when_opened = live_sandbox.request_count(LIST_PATH)
    started = time.perf_counter()
    response = agent_browser.get("/customers/", {"page": "3"})
    assert time.perf_counter() - started < 0.5
    assert response.status_code == 503
    assert "Wonder is not answering" in response.content.decode()
    assert "stopped asking it for a short while" in response.content.decode()
    assert live_sandbox.request_count(LIST_PATH) == requests_when_opened
    # No request reached Wonder: the id to quote is this page's own, the one its logs carry.
    assert (
        f"Request id to quote: <code>{response['X-Request-ID']}</code>" in response.content.decode()
    )


def test_a_stale_page_served_while_the_circuit_is_open_gives_an_id_to_quote(
    agent_browser, live_sandbox, settings
):
    settings.WONDER_BREAKER_FAILURES = 2
    settings.WONDER_PAGE_CACHE_SECONDS = 0
    agent_browser.get("/customers/", {"page": "1"})
    live_sandbox.set_faults(fault="down")
    for page in ("5", "6"):
        assert agent_browser.get("/customers/", {"page": page}).status_code == 503
    response = agent_browser.get("/customers/", {"page": "1"})
    assert response.status_code == 200
    assert "Showing data from" in response.content.decode()
    assert (
        f"Request id to quote: <code>{response['X-Request-ID']}</code>" in response.content.decode()
    )


def test_a_stale_page_says_how_old_it_is(agent_browser, live_sandbox, settings):
    agent_browser.get("/customers/", {"page": "1"})
    settings.WONDER_PAGE_CACHE_SECONDS = 0
    live_sandbox.set_faults(fault="down")
    response = agent_browser.get("/customers/", {"page": "1"})
    assert response.status_code == 200
    assert "Showing data from" in response.content.decode()


def test_pages_still_work_when_redis_is_down(live_sandbox):
    # Slower (no cache, no single-flight, no shared breaker), but agents keep working.
    unreachable_redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(CACHES=unreachable_redis):
        started = time.perf_counter()
        first = services.customer_list(page=1, page_size=25)
        second = services.customer_list(page=1, page_size=25)
        elapsed = time.perf_counter() - started
    assert first.customers == second.customers
    assert live_sandbox.request_count(LIST_PATH) == 2
    assert elapsed < 2


def test_waiting_agents_give_up_as_soon_as_the_circuit_opens(live_sandbox, settings):
    settings.WONDER_BREAKER_FAILURES = 2
    live_sandbox.set_faults(latency_ms=2000)  # the one agent asking Wonder waits 2 s

    def open_the_circuit():
        time.sleep(0.3)  # once the others are waiting for that agent's answer
        for _ in range(settings.WONDER_BREAKER_FAILURES):
            with pytest.raises(WonderUnavailable):
                wonder_breaker().call(_fail)

    def agent():
        started = time.perf_counter()
        try:
            services.customer_list(page=4, page_size=25)
        except WonderUnavailable as error:
            return type(error), time.perf_counter() - started
        return None, time.perf_counter() - started

    with ThreadPoolExecutor(max_workers=AGENTS + 1) as pool:
        opener = pool.submit(open_the_circuit)
        outcomes = list(pool.map(lambda _: agent(), range(AGENTS)))
        opener.result()

    waiters = [outcome for outcome in outcomes if outcome[1] < 1.5]
    assert len(waiters) == AGENTS - 1  # all but the one asking Wonder
    assert all(kind is WonderCircuitOpen for kind, _elapsed in waiters)
    assert live_sandbox.request_count(LIST_PATH) == 1


def _fail():
    raise WonderUnavailable("Wonder did not answer in time.")
