"""Fixtures shared by the dashboard's tests: keys, a live sandbox, settings pointing at it,
and signed-in users of each kind."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.utils import translation

from tests.keys import KeyPair, new_key_pair
from tests.workers import worker_env, workers  # noqa: F401  (fixtures: real db_worker processes)
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


@pytest.fixture(autouse=True)
def _language_of_the_test_only():
    # A page requested in Chinese leaves Chinese active on the thread after the response
    # (LocaleMiddleware activates, nothing deactivates): a command run by the next test
    # then printed Chinese where it expected English, depending on test order.
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """A SQLite test database in a file, not in memory: the sync's tests run real
    ``db_worker`` processes, which must open the same database."""
    import os
    from pathlib import Path

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test_dir = Path(settings.VAR_DIR) / "test-db"
        test_dir.mkdir(parents=True, exist_ok=True)
        database.setdefault("TEST", {})["NAME"] = str(test_dir / f"test-{os.getpid()}.sqlite3")


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
    """The customer index and failed-bindings report filled by a real sync of the sandbox
    (in this process); no background syncs."""
    from customers_app.sync.runs import sync_run

    settings.SYNC_MAX_AGE_SECONDS = 0
    run = sync_run()
    assert run.status == "completed", run.error
    return live_sandbox


def customer_index_fill() -> None:
    """Make the customer index what the sandbox holds now: one complete, real sync (in this
    process). Every search test, "changed upstream, found after the next sync" included,
    goes through here."""
    from customers_app.sync.runs import sync_run

    run = sync_run()
    assert run.status == "completed", run.error


@pytest.fixture
def customer_index(live_sandbox, db):
    """The customer index filled from the live sandbox by one complete sync (see above)."""
    customer_index_fill()
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
    settings.SYNC_MAX_AGE_SECONDS = 0
    cache.clear()
    user = get_user_model().objects.create_user("report-viewer")
    user.user_permissions.add(Permission.objects.get(codename="view_failed_bindings"))
    client.force_login(user)
    yield client
    cache.clear()


@pytest.fixture
def log_output():
    """What the configured root handler writes (settings.LOGGING), captured."""
    import io
    import logging

    from accounts.log_filters import SecretRedactionFilter

    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, SecretRedactionFilter) for f in handler.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """A real OpenID Connect provider (npm ``oidc-provider``) for the session, sending
    people back to the Django test client's host."""
    from tests.oidc_provider.provider import oidc_provider_running

    callback = "http://testserver/accounts/oidc/sso/login/callback/"
    with oidc_provider_running(
        [callback],
        tmp_path_factory.mktemp("oidc"),
        post_logout_redirect_uris=["http://testserver/accounts/login/"],
    ) as provider:
        yield provider


def sso_settings_apply(settings, provider, *, break_glass: tuple[str, ...] = ()) -> None:
    """Turn single sign-on on against ``provider``, as the SSO_* environment would."""
    settings.SSO_ENABLED = True
    settings.SSO_ISSUER_URL = provider.issuer
    settings.SSO_DISPLAY_NAME = "Example SSO"
    settings.SSO_GROUPS_CLAIM = "groups"
    settings.SSO_GROUP_ROLES = {
        "dash-support": "support",
        "dash-finance": "finance",
        "dash-admins": "admin",
    }
    settings.SSO_PASSWORD_LOGIN_USERS = list(break_glass)
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"]}
    directives["form-action"] = [*directives["form-action"], provider.issuer]
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "SCOPE": ["openid", "profile", "email", "groups"],
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Example SSO",
                    "client_id": provider.client_id,
                    "secret": provider.client_secret,
                    "settings": {"server_url": provider.issuer},
                }
            ],
        }
    }
