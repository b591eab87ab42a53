"""Pages that fit a support agent's screen, in both languages: at 1366x768 the customer list's
default columns fit without sideways scrolling, each row's token state and bind error are in
view, and long upstream values are cut with an ellipsis, whole on hover and on the detail page.
The report fits at 1440 px. The audit log keeps a long Target inside its own box.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts.audit import audit_event_record
from wonder_sandbox.hostile import HOSTILE_INDICES

from .conftest import E2E_PASSWORD
from .journey_helpers import assert_accessible

LANGUAGES = ["en-gb", "zh-hant"]

# Where the page and the table's box stand sideways, and where the named columns' cells end.
FIT = """(table, headers) => {
  const box = table.closest('.table-responsive');
  const names = [...table.querySelectorAll('thead th')].map((th) => th.innerText.trim());
  const rights = {};
  for (const header of headers) {
    const column = names.indexOf(header);
    if (column < 0) throw new Error(`no column ${header} in ${names}`);
    rights[header] = Math.max(...[...table.querySelectorAll('tbody tr')].map(
      (row) => row.children[column].getBoundingClientRect().right));
  }
  return {
    viewport: window.innerWidth,
    pageScrollWidth: document.documentElement.scrollWidth,
    boxClientWidth: box.clientWidth,
    boxScrollWidth: box.scrollWidth,
    rights,
  };
}"""


def _language(page, dashboard_url, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": dashboard_url}])


def _assert_fits(state: dict) -> None:
    assert state["pageScrollWidth"] <= state["viewport"], state
    assert state["boxScrollWidth"] <= state["boxClientWidth"] + 1, state
    for header, right in state["rights"].items():
        assert right <= state["viewport"], f"{header} ends at {right}px: {state}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_customer_list_fits_1366_with_state_and_bind_error_in_view(
    page_as, dashboard_url, live_sandbox, language
):
    page = page_as("agent")
    _language(page, dashboard_url, language)
    page.set_viewport_size({"width": 1366, "height": 768})
    # The first page holds the sandbox's hostile rows: a 300-character name and email.
    page.goto("/customers/")
    table = page.locator("table.customer-table")
    expect(table.locator("tbody tr").first).to_be_visible()
    headers = ["Token state", "Bind error"] if language == "en-gb" else ["令牌狀態", "綁定錯誤"]
    _assert_fits(table.evaluate(FIT, headers))

    # The 300-character name and email: one line, cut with an ellipsis, whole in the title.
    long_customer = live_sandbox.store.customer(HOSTILE_INDICES["long_name_and_email"])
    for value in (long_customer["name"], long_customer["email"]):
        clipped = table.locator(f'.clip[title="{value}"]')
        expect(clipped).to_have_count(1)
        cut = clipped.evaluate(
            """(el) => ({cut: el.scrollWidth > el.clientWidth,
                         ellipsis: getComputedStyle(el).textOverflow,
                         lines: el.getClientRects().length})"""
        )
        assert cut == {"cut": True, "ellipsis": "ellipsis", "lines": 1}, cut
    assert_accessible(page)

    # The whole value on the customer's own page.
    page.goto(f"/customers/{long_customer['uuid']}/")
    expect(page.locator("h1")).to_have_text(long_customer["name"])
    expect(page.locator(".detail-list dd").first).to_have_text(long_customer["email"])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_fits_1440(page_as, dashboard_url, scanned, language):
    page = page_as("finance")
    _language(page, dashboard_url, language)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/customers/failed-bindings/")
    table = page.locator("#binding-table table")
    expect(table.locator("tbody tr").first).to_be_visible()
    _assert_fits(table.evaluate(FIT, []))


@pytest.mark.parametrize("width", [1366, 390])
def test_audit_log_keeps_a_long_target_in_its_box(page_as, dashboard_url, db, rf, width):
    admin = get_user_model().objects.create_superuser("boss", password=E2E_PASSWORD)
    request = rf.get("/")
    request.user = admin
    long_query = "&".join(f"filter_{n}=value-{n}-with-some-length" for n in range(12))
    audit_event_record(request=request, action="audit_export", target=long_query[:255])
    page = page_as("admin", user=admin)
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 768})
    page.goto("/audit/")
    expect(page.locator(".audit-table tbody tr").first).to_be_visible()
    state = page.evaluate(
        """() => ({page: document.documentElement.scrollWidth, viewport: window.innerWidth,
                   header: document.querySelector('.topbar').getBoundingClientRect().width})"""
    )
    assert state["page"] <= state["viewport"], state
    assert state["header"] <= state["viewport"], state
