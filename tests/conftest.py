"""Fixtures shared by the dashboard's tests: keys, a live sandbox, settings pointing at it."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.keys import KeyPair, new_key_pair

# Small enough to start instantly, large enough for several pages of each source type.
SANDBOX_TEST_CUSTOMERS = 500


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Production serves hashed names from a manifest that `collectstatic` writes; tests render
    # pages without running it (tests/dashboard/test_static_files.py covers the manifest).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def key_pair() -> KeyPair:
    return new_key_pair()


@pytest.fixture(scope="session")
def sandbox_server(key_pair):
    """The embedded Wonder sandbox, served over real HTTP in a thread for the whole session."""
    from wonder_sandbox.config import SandboxConfig
    from wonder_sandbox.server import start_in_thread

    running = start_in_thread(
        SandboxConfig(public_key_pem=key_pair.public_pem, customers=SANDBOX_TEST_CUSTOMERS)
    )
    yield running
    running.stop()


@pytest.fixture
def sandbox(sandbox_server):
    """The session's sandbox with no faults and zeroed counters, left clean for the next test."""
    sandbox_server.set_faults(latency_ms=0, error_rate=0.0, fault="none")
    sandbox_server.reset_counts()
    yield sandbox_server
    sandbox_server.set_faults(latency_ms=0, error_rate=0.0, fault="none")


@pytest.fixture
def live_sandbox(sandbox, settings, key_pair):
    """Point the dashboard at the sandbox, with a clean cache."""
    settings.WONDER_BASE_URL = sandbox.base_url
    settings.WONDER_PRIVATE_KEY = key_pair.private_pem.decode()
    settings.WONDER_MAX_RETRIES = 1
    settings.WONDER_RETRY_BACKOFF = 0.01
    cache.clear()
    yield sandbox
    cache.clear()


@pytest.fixture
def scanned(live_sandbox, settings, db):
    """The failed-bindings report filled by a real scan of the sandbox; no background scans."""
    from customers_app import services

    settings.BINDING_SCAN_MAX_AGE_SECONDS = 0
    run = services.binding_scan_run()
    assert run.status == "completed", run.error
    return live_sandbox
