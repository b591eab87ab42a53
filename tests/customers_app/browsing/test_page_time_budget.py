"""A page never waits longer than WONDER_PAGE_TIME_BUDGET for Wonder, all its calls together;
the sync keeps its own, longer budget. Against the sandbox's latency fault, over real HTTP.

The budget is scaled down here (1.5 s against 2 s of latency) so the tests stay quick; the
default is 8 s (checked below), under the sync's 20 s.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings as django_settings

from wonder import shared_time_budget
from wonder.factory import wonder_client

pytestmark = pytest.mark.django_db

BUDGET = 1.5
LATENCY_MS = 2000
# Time past the budget a page may take besides waiting for Wonder (rendering, the test client).
MARGIN = 1.0


@pytest.fixture
def sandbox_with_budget(live_sandbox, settings):
    """The sandbox, and a page budget of 1.5 s (the sync's stays 20 s)."""
    settings.WONDER_PAGE_TIME_BUDGET = BUDGET
    settings.WONDER_TIME_BUDGET = 20
    settings.WONDER_READ_TIMEOUT = 10
    settings.WONDER_MAX_RETRIES = 0
    settings.WONDER_BREAKER_FAILURES = 100  # each test sees the budget, not an open circuit
    yield live_sandbox
    live_sandbox.set_faults(latency_ms=0)


def _timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def test_the_default_page_budget_is_8_seconds_under_the_syncs():
    assert django_settings.WONDER_PAGE_TIME_BUDGET == 8
    assert django_settings.WONDER_PAGE_TIME_BUDGET < django_settings.WONDER_TIME_BUDGET


def test_a_slow_wonder_gives_the_list_its_message_within_the_budget(
    agent_browser, sandbox_with_budget
):
    sandbox_with_budget.set_faults(latency_ms=LATENCY_MS)
    response, took = _timed_get(agent_browser, "/customers/")
    assert response.status_code == 503
    assert b"Wonder is not answering" in response.content
    assert took < BUDGET + MARGIN, took


def test_a_slow_wonder_shows_the_cached_rows_marked_stale(
    agent_browser, sandbox_with_budget, settings
):
    assert agent_browser.get("/customers/").status_code == 200  # cached while Wonder is quick
    settings.WONDER_PAGE_CACHE_SECONDS = 0  # the copy is no longer fresh: Wonder is asked
    sandbox_with_budget.set_faults(latency_ms=LATENCY_MS)
    response, took = _timed_get(agent_browser, "/customers/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wonder is not answering" in html and "Showing data from" in html
    assert took < BUDGET + MARGIN, took


def test_the_detail_pages_two_calls_share_one_budget(agent_browser, sandbox_with_budget):
    """The customer, then their tokens, 0.9 s each: each alone fits the 1.5 s, both do not."""
    customer_uuid = sandbox_with_budget.store.customer(0)["uuid"]
    sandbox_with_budget.set_faults(latency_ms=900)
    response, took = _timed_get(agent_browser, f"/customers/{customer_uuid}/")
    html = response.content.decode()
    assert response.status_code == 200
    # The profile came back; the tokens' call ran out of the page's time and says so.
    assert "Saved payment tokens" in html and "Wonder is not answering" in html
    assert took < BUDGET + MARGIN, took


def test_the_sync_is_not_held_to_the_page_budget(sandbox_with_budget):
    """Outside a request (the scan, a worker, a command) Wonder may take its time."""
    sandbox_with_budget.set_faults(latency_ms=LATENCY_MS)
    started = time.monotonic()
    page = wonder_client().list_customers(limit=5, offset=0)
    assert len(page.customers) == 5
    assert time.monotonic() - started >= LATENCY_MS / 1000


def test_nested_budgets_keep_the_earlier_end(sandbox_with_budget):
    sandbox_with_budget.set_faults(latency_ms=LATENCY_MS)
    started = time.monotonic()
    with shared_time_budget(0.5), shared_time_budget(30):
        with pytest.raises(Exception, match="Wonder"):
            wonder_client().list_customers(limit=5, offset=0)
    assert time.monotonic() - started < 0.5 + MARGIN
