"""The column chooser: each user's choice is remembered and applied; bad posts change nothing."""

import re

import pytest

pytestmark = pytest.mark.django_db

HEADERS = ("Name", "Email", "Reference number", "Token state", "Default method")


def _headers(html: str) -> set[str]:
    """The column headers the table shows (of those this test looks at)."""
    head = html.split("<thead", 1)[1].split("</thead>", 1)[0]
    shown = {text.strip() for text in re.findall(r"<th[^>]*>(.*?)</th>", head, flags=re.S)}
    return shown & set(HEADERS)


def _choose(browser, columns, next_url="/customers/?page_size=25", table_key="customers"):
    return browser.post(
        "/customers/columns/", {"table_key": table_key, "columns": columns, "next": next_url}
    )


def test_default_columns_until_a_user_chooses(agent_browser, live_sandbox):
    html = agent_browser.get("/customers/").content.decode()
    assert _headers(html) == {"Name", "Email", "Reference number", "Token state"}


def test_a_choice_is_remembered_per_user(agent_browser, other_agent_browser, live_sandbox):
    response = _choose(agent_browser, ["email", "default_payment_method", "not-a-column"])
    assert response.status_code == 302 and response["Location"] == "/customers/?page_size=25"
    assert _headers(agent_browser.get("/customers/").content.decode()) == {
        "Email",
        "Default method",
    }
    # Another agent's table is untouched.
    assert "Reference number" in _headers(other_agent_browser.get("/customers/").content.decode())


def test_choosing_nothing_goes_back_to_the_defaults(agent_browser, live_sandbox):
    _choose(agent_browser, ["email"])
    _choose(agent_browser, [])
    assert "Name" in _headers(agent_browser.get("/customers/").content.decode())


def test_the_chooser_shows_the_current_choice(agent_browser, live_sandbox):
    _choose(agent_browser, ["email"])
    html = agent_browser.get("/customers/").content.decode()
    boxes = re.findall(r'<input type="checkbox"[^>]*name="columns"[^>]*>', html)
    ticked = {re.search(r'value="([^"]+)"', box).group(1) for box in boxes if " checked" in box}
    assert len(boxes) > 1 and ticked == {"email"}


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", ""])
def test_a_foreign_next_url_is_not_followed(agent_browser, next_url):
    response = _choose(agent_browser, ["email"], next_url=next_url)
    assert response.status_code == 302 and response["Location"] == "/customers/"


def test_an_unknown_table_is_a_404(agent_browser):
    assert _choose(agent_browser, ["email"], table_key="<nope>").status_code == 404


def test_a_user_who_may_not_see_the_table_may_not_configure_it(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("no-permission"))
    assert _choose(client, ["email"]).status_code == 403


def test_choosing_columns_needs_a_post(agent_browser):
    assert agent_browser.get("/customers/columns/").status_code == 405


def test_every_column_renders(agent_browser, live_sandbox):
    from customers_app.browsing.tables import CustomerTable
    from customers_app.column_choice import column_options

    options = column_options(CustomerTable)
    _choose(agent_browser, [name for name, _ in options])
    response = agent_browser.get("/customers/")
    head = response.content.decode().split("<thead", 1)[1].split("</thead>", 1)[0]
    assert response.status_code == 200
    assert [h.strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", head, flags=re.S)] == [
        header for _, header in options
    ]
