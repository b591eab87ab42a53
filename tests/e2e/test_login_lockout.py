"""A wrong password five times: the browser shows the lockout page, and it is recorded."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import AuditEvent

from .conftest import E2E_PASSWORD
from .journey_helpers import assert_accessible


def submit_login(page, username: str, password: str):
    """Fill and send the login form; the response to the POST."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name="Log in").click()
    return answer.value


def test_five_wrong_passwords_show_the_lockout_page(page, make_user, browser_problems):
    # The lockout page answers 429 on purpose; Chromium logs exactly that status as an error.
    browser_problems.allow(r"the server responded with a status of 429")
    make_user("agent", username="lee")
    page.goto("/accounts/login/")
    assert_accessible(page)

    statuses = [
        submit_login(page, "lee", f"wrong-password-{attempt}").status
        for attempt in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    expect(page.get_by_role("heading", name="Too many failed log-in attempts")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("lee")
    assert_accessible(page)
    assert AuditEvent.objects.filter(action="lockout", target="lee").exists()
    if settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler":
        # With REDIS_URL set, axes counts in the shared cache instead and writes no rows.
        assert AccessAttempt.objects.filter(username="lee").get().failures_since_start >= 5

    # Locked means locked: even the right password is refused until the cool-off ends.
    page.goto("/accounts/login/")
    assert submit_login(page, "lee", E2E_PASSWORD).status == 429
    expect(page.get_by_role("heading", name="Too many failed log-in attempts")).to_be_visible()
