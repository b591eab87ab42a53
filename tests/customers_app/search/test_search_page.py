"""The search page's behaviour around the matches: bad terms, hostile text, paging, the
index's state, the audit trail, htmx, and that it never asks Wonder."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AuditEvent
from customers_app.models import ScanRun, ScanStatus
from tests.conftest import customer_index_fill
from wonder_sandbox.hostile import HOSTILE_PATCHES

from .helpers import all_customers, page_text, search, shown_uuids

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("colour:red", "Unknown field “colour:”"),
        ("http://evil.example", "Unknown field “http:”"),
        ("email:", "“email:” needs a value"),
        ('name:""', "“name:” needs a value"),
        ("state:revoked", "state: takes one of success, pending, failed"),
        ("type:Visa", "“type:Visa” is not a known value"),
        ("source:Shop", "source: takes one of User, Store"),
        ("last4:12", "“last4:12” is not the last 4 digits of a card"),
        ("last4:abcd", "“last4:abcd” is not the last 4 digits of a card"),
        ("phone:call-me", "“phone:call-me” is not a phone number"),
        ("phone:12", "give at least 4 digits"),
        ("error:0-5", "“error:0-5” is not an error code"),
        ("chan state:<b>x</b>", "“state:<b>x</b>” is not a known value"),
    ],
)  # fmt: skip
def test_every_bad_field_term_is_said_on_the_page(agent_browser, customer_index, typed, said):
    response = search(agent_browser, typed)
    assert response.status_code == 200
    assert said in page_text(response)
    assert "This search was not run" in page_text(response)
    assert shown_uuids(response) == []
    assert "<b>x</b>" not in response.content.decode()


HOSTILE_QUERIES = [
    "' OR 1=1 --",
    "'; DROP TABLE customers_app_indexedcustomer; --",
    '" OR ""="',
    "\\",
    "%",
    "_",
    "*",
    "%%%",
    "a_b",
    "😀",
    "👨‍👩‍👧‍👦",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "name:%",
    "ref:_",
    'name:"unclosed',
    ":",
    "::::",
    "a" * 200,
    "9" * 200,
]


@pytest.mark.parametrize("typed", HOSTILE_QUERIES)
def test_hostile_queries_get_a_clear_answer(agent_browser, customer_index, typed):
    response = search(agent_browser, typed)
    assert response.status_code == 200, typed
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    # Whatever it was, the page says what it found: matches, none, or what is wrong.
    text = page_text(response)
    assert "matching customer" in text or "No customer matches" in text or "not run" in text


@pytest.mark.parametrize("typed", ["%", "_", "*", "%%", "a%", "Chan_Tai"])
def test_wildcards_are_literal_characters(agent_browser, customer_index, typed):
    # No sandbox name, email or reference holds these, so a literal match finds nothing,
    # where a wildcard would have matched every customer.
    response = search(agent_browser, typed)
    assert shown_uuids(response) == []
    assert "No customer matches this search" in page_text(response)


def test_an_underscore_finds_only_what_holds_one(agent_browser, customer_index):
    # Some sandbox emails hold a literal "_" (kwok_hk@...): exactly those are found, where
    # "_" as a wildcard would also match every email with any character before "hk".
    wanted = {
        customer["uuid"]
        for customer in all_customers(customer_index)
        if "_hk" in customer["name"].lower() + customer["email"].lower()
    }
    assert 0 < len(wanted) < 100
    assert set(shown_uuids(search(agent_browser, "_hk"))) == wanted


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("x" * 10_000, "A search is at most 200 characters; this one has 10000"),
        ("Chan\x00Tai", "contains control characters"),
        ("Chan\x07", "contains control characters"),
    ],
)
def test_overlong_and_control_character_searches_are_refused_clearly(
    agent_browser, customer_index, typed, said
):
    response = search(agent_browser, typed)
    assert response.status_code == 200
    assert said in page_text(response)
    assert shown_uuids(response) == []


def test_before_the_first_complete_sync_search_says_the_index_is_being_built(
    agent_browser, live_sandbox
):
    ScanRun.objects.create(status=ScanStatus.RUNNING, customers_seen=1200, customers_expected=4800)
    customer = live_sandbox.store.customer(3)
    response = search(agent_browser, customer["reference_number"])
    text = page_text(response)
    assert "The customer index is still being built" in text
    assert "The sync has read 1,200 of 4,800 customers." in text
    assert '<progress max="100" value="25"' in response.content.decode()
    assert "No customer matches" not in text
    # The live lookup is offered, for what was typed, and finds the customer in Wonder.
    lookup = f"/customers/find/?q={customer['reference_number']}"
    assert lookup in response.content.decode()
    assert agent_browser.get(lookup)["Location"] == f"/customers/{customer['uuid']}/"


def test_without_a_sync_running_the_page_still_says_the_index_is_not_ready(
    agent_browser, live_sandbox
):
    text = page_text(search(agent_browser, "Chan"))
    assert "The customer index is still being built" in text
    assert "No sync is running right now" in text
    assert "No customer matches" not in text


def test_a_failed_sync_alone_does_not_make_the_index_ready(agent_browser, live_sandbox):
    ScanRun.objects.create(status=ScanStatus.FAILED, finished_at=timezone.now())
    assert "still being built" in page_text(search(agent_browser, "Chan"))


def test_searching_never_calls_wonder(agent_browser, customer_index):
    customer_index.reset_counts()
    customer = customer_index.store.customer(7)
    for typed in ("Chan", "+852 6589 8353", customer["uuid"], "state:failed", "nobody-at-all"):
        assert search(agent_browser, typed).status_code in (200, 302)
    search(agent_browser, "Chan", page=2, page_size=25, linked_source_type="Store")
    assert customer_index.request_count() == 0


def test_each_search_is_audited_without_its_text(agent_browser, customer_index):
    customer = customer_index.store.customer(2)
    search(agent_browser, "+852 5850 7767")
    search(agent_browser, "colour:red")
    search(agent_browser, f"{customer['name']} state:success")
    events = list(AuditEvent.objects.filter(action="customer.search").order_by("pk"))
    assert [(event.outcome, event.detail) for event in events] == [
        ("success", {"kinds": ["phone"], "results": 1}),
        ("invalid", {"kinds": []}),
        ("success", {"kinds": ["state", "text"], "results": events[2].detail["results"]}),
    ]
    assert all(event.username == "support-agent" and event.occurred_at for event in events)
    stored = " ".join(f"{event.target} {event.detail}" for event in events)
    assert "5850" not in stored and "colour" not in stored and customer["name"] not in stored


def test_results_page_and_count_like_the_report(agent_browser, customer_index):
    users = customer_index.store.count("User")
    first = search(agent_browser, "source:User", page_size=25)
    assert f"1-25 of {users} matching customers" in page_text(first)
    assert len(shown_uuids(first)) == 25
    second = search(agent_browser, "source:User", page_size=25, page=2)
    assert f"26-50 of {users} matching customers" in page_text(second)
    assert not set(shown_uuids(first)) & set(shown_uuids(second))
    # Every pager link keeps the search.
    assert 'href="?q=source%3AUser&amp;page_size=25&amp;page=3"' in second.content.decode()
    past = search(agent_browser, "source:User", page_size=100, page=999)
    assert "Page '999' is past the last page; showing page" in page_text(past)
    assert shown_uuids(past)


def test_the_count_stops_at_the_limit_and_says_there_are_more(
    agent_browser, customer_index, settings
):
    settings.CUSTOMER_SEARCH_COUNT_LIMIT = 60
    response = search(agent_browser, "source:User", page_size=50, page=2)
    assert "51-60 of more than 60 matching customers" in page_text(response)
    assert len(shown_uuids(response)) == 10


def test_paging_is_stable_across_equal_names(agent_browser, customer_index):
    seen: list[str] = []
    for page in range(1, 5):
        seen += shown_uuids(search(agent_browser, "source:User", page_size=100, page=page))
    assert len(seen) == len(set(seen)) == customer_index.store.count("User")


def test_htmx_gets_the_results_alone_and_an_exact_hit_navigates(agent_browser, customer_index):
    response = agent_browser.get(
        "/customers/", {"q": "source:Store"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html and "matching customers" in html
    customer = customer_index.store.customer(3)
    response = agent_browser.get(
        "/customers/", {"q": customer["uuid"]}, headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == f"/customers/{customer['uuid']}/"


def test_the_list_without_a_search_stays_the_live_wonder_page(agent_browser, customer_index):
    customer_index.reset_counts()
    response = agent_browser.get("/customers/", {"q": "   "})
    assert response.status_code == 200
    assert customer_index.request_count() == 1
    assert "matching customer" not in page_text(response)


def test_a_customer_changed_upstream_is_found_by_its_new_email_after_the_next_sync(
    agent_browser, customer_index, monkeypatch
):
    index = 42
    customer = customer_index.store.customer(index)
    old_email, new_email = customer["email"], "chan.new-address@example.hk"
    assert old_email and shown_uuids(search(agent_browser, old_email))[0] == customer["uuid"]

    def moved_email(record: dict, seed: int, position: int) -> None:
        record["email"] = new_email

    # Wonder now sends the new address (the sandbox serves it over HTTP from here on).
    monkeypatch.setitem(HOSTILE_PATCHES, index, moved_email)
    assert shown_uuids(search(agent_browser, new_email)) == []  # not before the sync

    customer_index_fill()

    assert shown_uuids(search(agent_browser, new_email)) == [customer["uuid"]]
    assert customer["uuid"] not in shown_uuids(search(agent_browser, old_email))


def test_someone_without_the_customer_permission_cannot_search(client, customer_index):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("no-role"))
    assert client.get("/customers/", {"q": "Chan"}).status_code == 403


def test_the_search_box_keeps_what_was_typed_escaped(agent_browser, customer_index):
    html = search(agent_browser, '"><img src=x onerror=alert(1)>').content.decode()
    assert escape('"><img src=x onerror=alert(1)>') in html
    assert "<img src=x onerror=alert(1)>" not in html
