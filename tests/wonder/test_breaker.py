"""The circuit breaker: opens after N consecutive upstream failures, fails fast while open,
lets exactly one trial through after the cool-down, and ignores answers that prove Wonder
is up (4xx, not found)."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache

from tests.fakes import ScriptedAnswer, ScriptedWonder
from wonder import (
    WonderCircuitOpen,
    WonderClient,
    WonderConfig,
    WonderRequestRejected,
    WonderUnavailable,
)
from wonder.breaker import BreakerConfig, CircuitBreaker, CircuitState

LIST_OK = ScriptedAnswer(200, {"code": 200, "data": {"customers": []}})
FAULT = ScriptedAnswer(503, "busy")
REJECTED = ScriptedAnswer(400, {"code": "40001", "message": "bad"})


class FakeClock:
    """Wall-clock stand-in so a 30-second cool-down passes in no time."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def breaker(clock):
    cache.clear()
    yield CircuitBreaker(
        cache,
        BreakerConfig(failure_threshold=3, cooldown_seconds=30, trial_timeout_seconds=5),
        clock=clock,
    )
    cache.clear()


def client_for(fake: ScriptedWonder, breaker: CircuitBreaker, key_pair) -> WonderClient:
    config = WonderConfig(
        base_url=fake.base_url,
        app_id="test-app",
        private_key_pem=key_pair.private_pem,
        max_retries=0,
        read_timeout=2,
    )
    return WonderClient(config, breaker=breaker)


def fail_times(client: WonderClient, times: int) -> None:
    for _ in range(times):
        with pytest.raises(WonderUnavailable):
            client.list_customers(limit=10)


def test_opens_after_n_consecutive_failures_and_then_fails_fast(breaker, key_pair):
    with ScriptedWonder(FAULT) as fake:
        client = client_for(fake, breaker, key_pair)
        fail_times(client, 3)
        assert breaker.state() is CircuitState.OPEN
        started = time.perf_counter()
        with pytest.raises(WonderCircuitOpen) as raised:
            client.list_customers(limit=10)
        assert time.perf_counter() - started < 0.05
        assert len(fake.requests) == 3  # the fourth call never reached Wonder
    assert 0 < raised.value.retry_in_seconds <= 30


def test_a_success_resets_the_consecutive_count(breaker, key_pair):
    with ScriptedWonder(FAULT, FAULT, LIST_OK, FAULT, FAULT, LIST_OK) as fake:
        client = client_for(fake, breaker, key_pair)
        fail_times(client, 2)
        client.list_customers(limit=10)
        fail_times(client, 2)
        assert breaker.state() is CircuitState.CLOSED
        client.list_customers(limit=10)


def test_rejected_requests_do_not_trip_it(breaker, key_pair):
    with ScriptedWonder(REJECTED) as fake:
        client = client_for(fake, breaker, key_pair)
        for _ in range(6):
            with pytest.raises(WonderRequestRejected):
                client.list_customers(limit=10)
        assert breaker.state() is CircuitState.CLOSED
        assert len(fake.requests) == 6


def test_after_the_cool_down_one_successful_trial_closes_it(breaker, clock, key_pair):
    with ScriptedWonder(FAULT, FAULT, FAULT, LIST_OK) as fake:
        client = client_for(fake, breaker, key_pair)
        fail_times(client, 3)
        clock.now += 29
        with pytest.raises(WonderCircuitOpen):
            client.list_customers(limit=10)
        clock.now += 2
        assert breaker.state() is CircuitState.HALF_OPEN
        assert client.list_customers(limit=10).customers == ()
        assert breaker.state() is CircuitState.CLOSED
        client.list_customers(limit=10)
        assert len(fake.requests) == 5


def test_a_failed_trial_opens_it_for_another_cool_down(breaker, clock, key_pair):
    with ScriptedWonder(FAULT) as fake:
        client = client_for(fake, breaker, key_pair)
        fail_times(client, 3)
        clock.now += 31
        fail_times(client, 1)  # the trial
        assert breaker.state() is CircuitState.OPEN
        with pytest.raises(WonderCircuitOpen):
            client.list_customers(limit=10)
        assert len(fake.requests) == 4


def test_only_one_trial_at_a_time_while_half_open(breaker, clock, key_pair):
    slow_success = ScriptedAnswer(200, {"code": 200, "data": {"customers": []}}, delay=0.5)
    with ScriptedWonder(FAULT, FAULT, FAULT, slow_success) as fake:
        client = client_for(fake, breaker, key_pair)
        fail_times(client, 3)
        clock.now += 31
        trial = threading.Thread(target=client.list_customers, kwargs={"limit": 10})
        trial.start()
        deadline = time.monotonic() + 2
        while len(fake.requests) < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        with pytest.raises(WonderCircuitOpen):
            client.list_customers(limit=10)
        trial.join()
        assert len(fake.requests) == 4
        assert breaker.state() is CircuitState.CLOSED


def test_a_broken_store_lets_calls_through(clock, key_pair):
    class BrokenStore:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("store down")

            return fail

    breaker = CircuitBreaker(BrokenStore(), BreakerConfig(failure_threshold=1), clock=clock)
    with ScriptedWonder(FAULT, FAULT, LIST_OK) as fake:
        client = client_for(fake, breaker, key_pair)
        fail_times(client, 2)
        assert client.list_customers(limit=10).customers == ()
    assert breaker.state() is CircuitState.UNKNOWN
