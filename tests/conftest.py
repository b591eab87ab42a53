"""Fixtures shared by the dashboard's tests: keys, a live sandbox, settings pointing at it,
and signed-in users of each kind."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache

from tests.keys import KeyPair, new_key_pair
from ui.catalogue import catalogue_compile

# Small enough to start instantly, large enough for several pages of each source type.
SANDBOX_TEST_CUSTOMERS = 500


def pytest_sessionstart(session) -> None:
    """Compile the translation catalogues (build output, not in git) if a .po is newer, so a
    bare ``pytest`` sees the same Chinese pages as ``make test``. Before any test runs: Django
    reads a language's catalogue once, when it is first used."""
    catalogue_compile()


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
    from customers_app.bindings.scan import binding_scan_run

    settings.BINDING_SCAN_MAX_AGE_SECONDS = 0
    run = binding_scan_run()
    assert run.status == "completed", run.error
    return live_sandbox


def _user_with_view_customers(username: str):
    # No password: hashing one costs a third of a second, and force_login needs none.
    user = get_user_model().objects.create_user(username)
    user.user_permissions.add(Permission.objects.get(codename="view_customers"))
    return user


@pytest.fixture
def support_agent(db):
    return _user_with_view_customers("support-agent")


@pytest.fixture
def agent_browser(client, support_agent):
    """A test client logged in as a support agent who may view customers."""
    client.force_login(support_agent)
    return client


@pytest.fixture
def other_agent_browser(db):
    """A second agent with their own session, for per-user preferences."""
    from django.test import Client

    browser = Client()
    browser.force_login(_user_with_view_customers("other-agent"))
    return browser


@pytest.fixture
def point_at(settings, key_pair):
    """``point_at(base_url)``: send the dashboard's Wonder calls to a ScriptedWonder."""

    def point(base_url: str) -> None:
        settings.WONDER_BASE_URL = base_url
        settings.WONDER_PRIVATE_KEY = key_pair.private_pem.decode()
        settings.WONDER_MAX_RETRIES = 0
        cache.clear()

    yield point
    cache.clear()


@pytest.fixture
def finance(client, db):
    """A test client logged in as a finance user: report, follow-ups, exports and scans."""
    user = get_user_model().objects.create_user("finance")
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=(
                "view_customers",
                "view_failed_bindings",
                "change_followup",
                "export_failed_bindings",
                "run_binding_scan",
            )
        )
    )
    client.force_login(user)
    return client


@pytest.fixture
def report_viewer(client, settings, db):
    """A test client of a user who may only view the failed bindings report, with no
    background scan started by a page view and an empty cache before and after."""
    settings.BINDING_SCAN_MAX_AGE_SECONDS = 0
    cache.clear()
    user = get_user_model().objects.create_user("report-viewer")
    user.user_permissions.add(Permission.objects.get(codename="view_failed_bindings"))
    client.force_login(user)
    yield client
    cache.clear()
