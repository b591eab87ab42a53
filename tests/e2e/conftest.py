"""Fixtures for browser journeys: Debian's Chromium driven by Playwright against a live
dashboard (pytest-django's ``live_server``, in this process) that reads the test sandbox.

Every journey gets a fresh browser context, a screenshot in ``test-artifacts/screenshots/``
whatever the outcome, and fails on any console error, uncaught page error or CSP violation
it did not ``allow``. Chromium is never downloaded: where it is not installed the journeys
skip and say how to install it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from .browser_checks import BrowserProblems

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
E2E_PASSWORD = "an-e2e-only-password-1"
# Which dashboard permissions each role of the journeys holds (codenames on DashboardAccess).
ROLE_PERMISSIONS = {
    "agent": ("view_customers",),
    "finance": (
        "view_customers",
        "view_failed_bindings",
        "change_followup",
        "export_failed_bindings",
    ),
    "admin": (
        "view_customers",
        "view_failed_bindings",
        "change_followup",
        "export_failed_bindings",
        "run_binding_scan",
    ),
}
# Flags for a headless Chromium in a container, with nothing phoning home mid-test.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    """Every test in this folder is an end-to-end test: ``-m "not e2e"`` leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


def chromium_executable() -> str | None:
    """Debian's Chromium, wherever the system put it; None when it is not installed."""
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the session; Playwright gives each launch a fresh profile."""
    executable = chromium_executable()
    if executable is None:
        pytest.skip(
            "Chromium is not installed, so the browser journeys cannot run: "
            "install it with `apt-get install -y chromium` (.ci/run does this)."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while it lives, so Django
    # would refuse every ORM call here (test database set-up included) as "async unsafe".
    # They are safe: no coroutine ever touches the database.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def dashboard_url(live_server, live_sandbox) -> str:
    """The live dashboard's base URL, reading the clean test sandbox."""
    return live_server.url


@pytest.fixture
def browser_problems() -> BrowserProblems:
    """Collects console errors, page errors and CSP violations; checked after the test."""
    return BrowserProblems()


@pytest.fixture
def page(browser, dashboard_url, browser_problems, request) -> Iterator:
    """A page in a fresh context (no cookies), watched, screenshotted when the test ends."""
    context = browser.new_context(base_url=dashboard_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    new_page = browser_problems.watch(context.new_page())
    yield new_page
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    file_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name) + ".png"
    try:
        new_page.screenshot(path=str(SCREENSHOT_DIR / file_name), full_page=True)
    finally:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a journey that passed its own steps but left browser problems behind."""
    result = yield
    problems: BrowserProblems | None = item.funcargs.get("browser_problems")
    if problems is not None:
        problems.settle()
        unexpected = problems.unexpected()
        if unexpected:
            pytest.fail("The browser reported problems:\n  " + "\n  ".join(unexpected))
    return result


@pytest.fixture
def make_user(browser, db) -> Callable:
    """Create a user holding one role's permissions, with the password ``E2E_PASSWORD``."""

    def make(role: str, username: str | None = None):
        user = get_user_model().objects.create_user(
            username or f"{role}-user", password=E2E_PASSWORD
        )
        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="customers_app", codename__in=ROLE_PERMISSIONS[role]
            )
        )
        return user

    return make


@pytest.fixture
def page_as(page, make_user, dashboard_url) -> Callable:
    """``page_as("finance")``: the page, already logged in as a new user of that role
    (or as ``user=``, a user the test made).

    The login form has its own journey; the others start logged in, by giving the browser a
    session cookie made server-side, so they stay fast. A user whose role needs a second
    factor is given one first, as if they had set it up and typed its code.
    """
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.signin.policy import mfa_required_for, user_has_second_factor

    def log_in(role: str, *, user=None):
        user = user or make_user(role)
        if mfa_required_for(user) and not user_has_second_factor(user):
            TOTP.activate(user, generate_totp_secret())
        client = Client()
        client.force_login(user)
        session_cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": session_cookie,
                    "url": dashboard_url,
                }
            ]
        )
        return page

    return log_in
