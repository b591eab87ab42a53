"""Screen readers hear the result line when htmx changes the customer list, not the table."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_only_the_result_line_is_a_live_region(agent_browser, live_sandbox):
    html = agent_browser.get("/customers/").content.decode()
    assert html.count("aria-live") == 1
    live = html.split('aria-live="polite"', 1)[1].split("</div>", 1)[0]
    assert '<span id="result-line">1-50 of 500</span>' in live
    results = html.split('<div id="customer-results"', 1)[1].split(">", 1)[0]
    assert "aria-live" not in results


def test_a_fragment_updates_the_result_line_out_of_band(agent_browser, live_sandbox):
    html = agent_browser.get(
        "/customers/", {"page": "2", "page_size": "25"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert '<span id="result-line" hx-swap-oob="true">26-50 of 500</span>' in html
    assert "aria-live" not in html
