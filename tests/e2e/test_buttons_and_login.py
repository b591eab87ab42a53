"""Buttons look the same on every page, and a failed login says so once.

QA saw the report's and the login page's buttons (Refresh now, Apply, Log in, Save follow-up)
as the browser's plain grey ones beside the customer list's Bootstrap buttons, and a wrong
password answered with two messages saying the same thing.
"""

from __future__ import annotations

from playwright.sync_api import Locator, expect

from customers_app.models import FailedBinding

from .journey_helpers import assert_accessible

REPORT = "/customers/failed-bindings/"


def look(button: Locator) -> dict[str, str]:
    """What a user sees of a button: its fill, border and text colours."""
    return button.evaluate(
        """(element) => {
          const style = getComputedStyle(element);
          return {background: style.backgroundColor, border: style.borderTopColor,
                  color: style.color};
        }"""
    )


def test_buttons_match_the_customer_lists(page_as, scanned):
    page = page_as("admin")  # the one role that sees every button here, Refresh now included
    page.goto("/customers/")
    primary = look(page.get_by_role("button", name="Apply"))  # the list's main action
    secondary = look(page.get_by_role("button", name="Go to customer"))
    assert primary != secondary

    page.goto(REPORT)
    assert look(page.get_by_role("button", name="Apply")) == primary
    assert look(page.get_by_role("button", name="Refresh now")) == secondary

    page.goto(f"{REPORT}{FailedBinding.objects.first().pk}/follow-up/")
    assert look(page.get_by_role("button", name="Save follow-up")) == primary
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto("/accounts/login/")
    assert look(page.get_by_role("button", name="Log in")) == primary


def test_a_wrong_password_shows_one_message(page, make_user):
    make_user("agent", username="kit")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("kit")
    page.get_by_label("Password").fill("not-the-password-at-all")
    page.get_by_role("button", name="Log in").click()

    alert = page.get_by_role("alert")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("Please enter a correct username and password")
    main = page.get_by_role("main")
    expect(main).not_to_contain_text("did not match")
    assert main.inner_text().count("correct username and password") == 1
    # What was typed as the username stays, so only the password needs typing again.
    expect(page.get_by_label("Username")).to_have_value("kit")
    assert_accessible(page)
