"""Fixtures for the customer pages: users with and without the permission to see them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission


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
    from django.core.cache import cache

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
    from django.core.cache import cache

    settings.BINDING_SCAN_MAX_AGE_SECONDS = 0
    cache.clear()
    user = get_user_model().objects.create_user("report-viewer")
    user.user_permissions.add(Permission.objects.get(codename="view_failed_bindings"))
    client.force_login(user)
    yield client
    cache.clear()
