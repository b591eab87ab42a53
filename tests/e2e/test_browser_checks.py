"""The journeys' own guards can fail: each check catches what it is there to catch.

Pages are served by Playwright's router from strings, so no dashboard is involved.
"""

from __future__ import annotations

import pytest

from .browser_checks import BrowserProblems, accessibility_violations, describe_violations

STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'"


@pytest.fixture
def fake_site(browser):
    """A context whose every request to https://checks.test/ answers with a given page."""
    context = browser.new_context()
    pages: dict[str, tuple[str, dict]] = {}

    def serve(route):
        body, headers = pages[route.request.url]
        route.fulfill(status=200, body=body, headers={"content-type": "text/html", **headers})

    context.route("https://checks.test/**", serve)
    yield context, pages
    context.close()


def test_a_csp_violation_is_reported(fake_site):
    context, pages = fake_site
    pages["https://checks.test/"] = (
        "<!doctype html><title>t</title><script>document.title = 'ran';</script>",
        {"content-security-policy": STRICT_CSP},
    )
    problems = BrowserProblems()
    page = problems.watch(context.new_page())

    page.goto("https://checks.test/")
    problems.settle()

    assert page.title() == "t", "the inline script ran despite the CSP"
    assert any("Content Security Policy" in m or "CSP violation" in m for m in problems.messages)
    assert problems.unexpected()


def test_a_page_error_is_reported_and_allow_only_hides_what_it_matches(fake_site):
    context, pages = fake_site
    pages["https://checks.test/"] = (
        "<!doctype html><title>t</title><script>console.error('expected 503');"
        "undefinedFunction();</script>",
        {},
    )
    problems = BrowserProblems()
    page = problems.watch(context.new_page())
    problems.allow(r"expected 503")

    page.goto("https://checks.test/")
    problems.settle()

    assert [m for m in problems.unexpected() if "undefinedFunction" in m]
    assert not [m for m in problems.unexpected() if "expected 503" in m]


def test_axe_finds_serious_violations_even_under_a_strict_csp(fake_site):
    context, pages = fake_site
    pages["https://checks.test/"] = (
        '<!doctype html><html lang="en"><title>t</title><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main>',
        {"content-security-policy": STRICT_CSP},
    )
    page = context.new_page()
    page.goto("https://checks.test/")

    violations = accessibility_violations(page)

    found = {violation["id"] for violation in violations}
    assert {"image-alt", "label"} <= found
    assert "img" in describe_violations(violations)
