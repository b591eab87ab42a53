"""/customers/ against the sandbox over HTTP: filters, paging, page size, escaping, masking."""

import re

import pytest
from django.utils.html import escape

from tests.fakes import ScriptedAnswer, ScriptedWonder
from wonder_sandbox.hostile import FULL_CARD_NUMBER

pytestmark = pytest.mark.django_db

LIST_PATH = "/svc/payment/api/v1/openapi/customers"


def _rows(html: str) -> int:
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr")


def _customer_list_envelope(count: int) -> dict:
    customers = [
        {"uuid": f"uuid-{i}", "reference_number": f"REF-{i}", "dial_code": "+852", "name": f"N{i}"}
        for i in range(count)
    ]
    return {"code": 200, "message": "ok", "data": {"customers": customers}}


def test_store_filter_shows_only_store_customers(agent_browser, live_sandbox):
    html = agent_browser.get("/customers/", {"linked_source_type": "Store"}).content.decode()
    stores = live_sandbox.store.page("Store", 0, 50)
    users = live_sandbox.store.page("User", 0, 5)
    assert all(escape(store["reference_number"]) in html for store in stores)
    assert not any(escape(user["reference_number"]) in html for user in users)
    assert 'value="Store" selected' in html
    assert "Sandbox data" in html


def test_filter_page_and_size_reach_wonder_as_query_parameters(agent_browser, point_at):
    with ScriptedWonder(ScriptedAnswer(200, _customer_list_envelope(26))) as wonder:
        point_at(wonder.base_url)
        agent_browser.get(
            "/customers/", {"linked_source_type": "Store", "page": "3", "page_size": "25"}
        )
    # One row more than shown, to know whether a next page exists without a total.
    assert [r.path for r in wonder.requests] == [
        f"{LIST_PATH}?limit=26&offset=50&linked_source_type=Store"
    ]


def test_page_two_shows_the_next_rows(agent_browser, live_sandbox):
    html = agent_browser.get("/customers/", {"page": "2", "page_size": "25"}).content.decode()
    second = live_sandbox.store.page(None, 25, 25)
    first = live_sandbox.store.page(None, 0, 25)
    assert second[0]["reference_number"] in html and second[-1]["reference_number"] in html
    assert first[0]["reference_number"] not in html
    assert "26-50 of 500" in html


@pytest.mark.parametrize("asked, shown", [("100", 100), ("9999", 50), ("abc", 50), ("-5", 50)])
def test_page_size_is_one_offered_or_corrected(agent_browser, live_sandbox, asked, shown):
    response = agent_browser.get("/customers/", {"page_size": asked})
    html = response.content.decode()
    assert response.status_code == 200
    assert _rows(html) == shown
    assert f'<option value="{shown}" selected>' in html
    if asked != str(shown):
        assert "is not valid; showing 50 rows instead" in html


@pytest.mark.parametrize(
    "query",
    [
        {"page": "0"},
        {"page": "1e9"},
        {"page": "99999999999999999999"},
        {"linked_source_type": "<script>x</script>"},
        {"linked_source_type": ["User", "Store"]},
        {"linked_source_type": "Nope", "page_size": "9999", "page": "-3"},
    ],
)
def test_hostile_query_parameters_are_corrected_never_a_500(agent_browser, live_sandbox, query):
    response = agent_browser.get("/customers/", query)
    assert response.status_code == 200
    # Corrected before Wonder is asked: one call, for the page that is shown.
    assert live_sandbox.request_count() == 1
    assert "<script>x</script>" not in response.content.decode()


def test_with_a_total_the_pager_shows_counts_and_page_numbers(agent_browser, live_sandbox):
    html = agent_browser.get("/customers/", {"page": "4"}).content.decode()
    assert "151-200 of 500" in html
    assert 'aria-current="page"><span class="page-link">4</span>' in html
    assert 'href="?page_size=50&amp;page=10"' in html  # the last page
    assert 'rel="next" href="?page_size=50&amp;page=5"' in html


def test_without_a_total_paging_is_lazy(agent_browser, live_sandbox):
    live_sandbox.set_faults(fault="no_total")
    html = agent_browser.get("/customers/", {"page": "2"}).content.decode()
    assert "Rows 51-100" in html and " of " not in html.split("Rows 51-100")[1][:20]
    assert 'rel="next"' in html and 'rel="prev"' in html
    last = agent_browser.get("/customers/", {"page": "10"}).content.decode()
    assert "Rows 451-500" in last
    assert 'rel="next"' not in last


@pytest.mark.parametrize("fault", ["none", "no_total"])
def test_a_page_past_the_end_is_an_empty_state_with_a_way_back(agent_browser, live_sandbox, fault):
    live_sandbox.set_faults(fault=fault)
    response = agent_browser.get("/customers/", {"page": "40"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Page 40 is past the end of the list" in html
    back = "?page_size=50&amp;page=10" if fault == "none" else "?page_size=50"
    assert f'href="{back}"' in html


def test_hostile_records_are_escaped_and_cards_masked(agent_browser, live_sandbox):
    html = agent_browser.get("/customers/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;b&gt;Do not honour&lt;/b&gt;" in html  # error_msg with HTML, as text
    assert 'href="javascript:' not in html
    assert FULL_CARD_NUMBER not in html and FULL_CARD_NUMBER[6:12] not in html
    assert "•••• 5556" in html
    assert "tok_" not in html  # token values never reach a page


def test_token_states_are_badges_and_unknown_states_show_their_value(agent_browser, live_sandbox):
    html = agent_browser.get("/customers/").content.decode()
    assert '<span class="badge text-bg-danger">failed</span>' in html
    assert '<span class="badge text-bg-warning">pending</span>' in html
    assert '<span class="badge text-bg-success">success</span>' in html
    unknown_badge = r'badge text-bg-secondary"[^>]*><span translate="no">revoked</span> \(unknown\)'
    assert re.search(unknown_badge, html)
    assert "51: Insufficient funds" in html


def test_uuid_is_shortened_with_the_full_value_on_hover_and_copy(agent_browser, live_sandbox):
    uuid = live_sandbox.store.page(None, 0, 1)[0]["uuid"]
    html = agent_browser.get("/customers/").content.decode()
    assert f'<code title="{uuid}">{uuid[:8]}…</code>' in html
    assert f'data-copy="{uuid}"' in html
    assert f'href="/customers/{uuid}/"' in html


def test_htmx_requests_get_only_the_results_fragment(agent_browser, live_sandbox):
    response = agent_browser.get("/customers/", {"page": "2"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<table" in html
    assert "HX-Request" in response["Vary"]
    restore = agent_browser.get(
        "/customers/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


def test_the_full_page_works_without_javascript(agent_browser, live_sandbox):
    html = agent_browser.get("/customers/").content.decode()
    assert 'method="get" action="/customers/"' in html  # the filter form submits plainly
    assert 'rel="next" href="?page_size=50&amp;page=2"' in html
    assert "<script>" not in html and "onclick" not in html  # no inline JS for the CSP
