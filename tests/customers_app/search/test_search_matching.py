"""Each kind of term finds the sandbox customer it should, from the index a sync filled.

Expected customers are picked from the sandbox's own data (its store is the ground truth),
hostile rows included: HTML in a name, a 300-character name, emoji, Chinese.
"""

from __future__ import annotations

import pytest
from django.utils.html import escape

from customers_app.models import IndexedCustomer
from wonder_sandbox.hostile import HOSTILE_INDICES

from .helpers import all_customers, page_text, search, shown_uuids

pytestmark = pytest.mark.django_db


def _hostile(sandbox, name: str) -> dict:
    return sandbox.store.customer(HOSTILE_INDICES[name])


def _uuids_where(sandbox, keep) -> set[str]:
    return {customer["uuid"] for customer in all_customers(sandbox) if keep(customer)}


def _token(customer: dict) -> dict:
    return customer.get("default_payment_token") or {}


@pytest.mark.parametrize(
    "typed",
    ["+852 5850 7767", "85258507767", "5850 7767", "58507767", "(852) 5850-7767",
     "+852-5850-7767", "00852 5850 7767", "５８５０ ７７６７"],
)  # fmt: skip
def test_a_phone_number_in_any_form_finds_its_customer_first(agent_browser, customer_index, typed):
    wanted = customer_index.store.customer(2)
    assert (wanted["dial_code"], wanted["phone"]) == ("+852", "58507767")
    shown = shown_uuids(search(agent_browser, typed))
    assert shown[0] == wanted["uuid"]


def test_a_part_of_a_phone_number_finds_every_customer_whose_number_holds_it(
    agent_browser, customer_index
):
    part = "5850 77"
    wanted = _uuids_where(
        customer_index, lambda c: "585077" in (c["dial_code"] + c["phone"]).replace("+", "")
    )
    assert set(shown_uuids(search(agent_browser, part))) == wanted


def test_four_digits_match_card_last_4_and_phone_endings(agent_browser, customer_index):
    customer = customer_index.store.customer(0)
    last4 = _token(customer)["credit_card"]["number"][-4:]
    wanted = _uuids_where(
        customer_index,
        lambda c: (
            ((_token(c).get("credit_card") or {}).get("number", "")[-4:] == last4)
            or last4 in (c["dial_code"] + c["phone"]).replace("+", "")
        ),
    )
    shown = shown_uuids(search(agent_browser, last4))
    assert customer["uuid"] in shown
    assert set(shown) == wanted


def test_an_email_or_part_of_one_matches_case_insensitively(agent_browser, customer_index):
    customer = customer_index.store.customer(1)
    assert customer["email"] == "chowsm@icloud.com"
    assert shown_uuids(search(agent_browser, "ChowSM@iCloud.com"))[0] == customer["uuid"]
    part = "chowsm@"
    wanted = _uuids_where(customer_index, lambda c: part in c["email"].lower())
    assert set(shown_uuids(search(agent_browser, part))) == wanted
    wanted = _uuids_where(customer_index, lambda c: "icloud.com" in c["email"].lower())
    assert set(shown_uuids(search(agent_browser, "email:ICLOUD.com"))) == wanted


def test_an_email_with_dots_before_the_at_is_found_whole_and_by_that_part(
    agent_browser, customer_index
):
    # PostgreSQL looks up the runs between the dots apart; the whole text still decides.
    customer = next(
        c for c in all_customers(customer_index) if "." in (c["email"] or "").partition("@")[0]
    )
    for typed in (customer["email"].upper(), customer["email"].partition("@")[0] + "@"):
        wanted = _uuids_where(
            customer_index, lambda c, typed=typed: typed.lower() in (c["email"] or "").lower()
        )
        assert customer["uuid"] in wanted
        assert set(shown_uuids(search(agent_browser, typed))) == wanted, typed


def test_free_text_with_spaces_and_dots_finds_an_email_holding_it_whole(
    agent_browser, customer_index
):
    customer = customer_index.store.customer(45)
    IndexedCustomer.objects.filter(uuid=customer["uuid"]).update(email="Zed Q.Xylo@example.hk")
    assert shown_uuids(search(agent_browser, "zed q.xylo")) == [customer["uuid"]]
    assert shown_uuids(search(agent_browser, "zed xylo")) == []  # its parts apart are not it


def test_a_uuid_or_a_whole_reference_number_goes_straight_to_the_customer(
    agent_browser, customer_index
):
    customer = customer_index.store.customer(123)
    for typed in (customer["uuid"], customer["uuid"].upper(), customer["reference_number"]):
        response = search(agent_browser, typed)
        assert response.status_code == 302, typed
        assert response["Location"] == f"/customers/{customer['uuid']}/"


def test_a_reference_prefix_lists_every_reference_starting_with_it(agent_browser, customer_index):
    prefix = "cust-0000001"
    wanted = _uuids_where(
        customer_index, lambda c: c["reference_number"].lower().startswith(prefix)
    )
    assert len(wanted) > 1
    assert set(shown_uuids(search(agent_browser, prefix))) == wanted
    assert set(shown_uuids(search(agent_browser, "ref:CUST-0000001"))) == wanted


def test_a_hostile_reference_number_is_found_whole(agent_browser, customer_index):
    customer = _hostile(customer_index, "hostile_reference")
    response = search(agent_browser, f'ref:"{customer["reference_number"]}"')
    assert response["Location"] == f"/customers/{customer['uuid']}/"
    response = search(agent_browser, 'ref:"INV/2024#7 ?a=1"')
    assert shown_uuids(response) == [customer["uuid"]]
    unicode_reference = _hostile(customer_index, "unicode_reference")
    response = search(agent_browser, unicode_reference["reference_number"])
    assert response["Location"] == f"/customers/{unicode_reference['uuid']}/"


@pytest.mark.parametrize("typed", ["tai man", "TAI MAN", "Man Tai", "大文", "陳大文", "🐉"])
def test_a_part_of_a_name_in_english_or_chinese_finds_every_customer_holding_it(
    agent_browser, customer_index, typed
):
    words = typed.lower().split()
    wanted = _uuids_where(customer_index, lambda c: all(w in c["name"].lower() for w in words))
    assert wanted
    assert set(shown_uuids(search(agent_browser, typed))) == wanted


def test_hostile_names_are_found_and_shown_escaped(agent_browser, customer_index):
    script = _hostile(customer_index, "script_name")
    response = search(agent_browser, "<script>")
    assert script["uuid"] in shown_uuids(response)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert escape("<script>alert(1)</script>") in html

    long_name = _hostile(customer_index, "long_name_and_email")
    assert len(long_name["name"]) > 300
    assert shown_uuids(search(agent_browser, "Wolfeschlegelsteinhausenbergerdorff")) == [
        long_name["uuid"]
    ]
    emoji = _hostile(customer_index, "emoji_name")
    assert shown_uuids(search(agent_browser, "🧧 tommy")) == [emoji["uuid"]]
    assert "陳大文 🐉🧧 Tommy" in page_text(search(agent_browser, "🧧"))


def test_exact_matches_come_first_then_names_in_order(agent_browser, customer_index):
    exact, contains = customer_index.store.customer(37), customer_index.store.customer(241)
    assert (exact["name"], contains["name"]) == ("Ho Chun Kit", "Chow Chun Kit")
    shown = shown_uuids(search(agent_browser, "Ho Chun Kit"))
    # "Chow" sorts before "Ho", yet the customer whose whole name was typed comes first.
    assert shown[:2] == [exact["uuid"], contains["uuid"]]


@pytest.mark.parametrize(
    ("typed", "keep"),
    [
        ("state:failed error:51", lambda t: (t.get("state"), t.get("error_code")) == ("failed", "51")),  # noqa: E501
        ("state:PENDING", lambda t: t.get("state") == "pending"),
        ("type:alipayautodebit", lambda t: t.get("token_type") == "AlipayAutoDebit"),
        ("error:e200110", lambda t: t.get("error_code") == "E200110"),
    ],
)  # fmt: skip
def test_token_field_terms_filter_on_the_default_token(agent_browser, customer_index, typed, keep):
    wanted = _uuids_where(customer_index, lambda c: keep(_token(c)))
    assert wanted
    assert set(shown_uuids(search(agent_browser, typed))) == wanted


def test_field_terms_combine_with_and_and_with_the_source_filter(agent_browser, customer_index):
    stores_named_electronics = _uuids_where(
        customer_index,
        lambda c: "electronics" in c["name"].lower() and c["reference_number"].startswith("STORE"),
    )
    assert stores_named_electronics
    assert set(shown_uuids(search(agent_browser, "source:store name:electronics"))) == (
        stores_named_electronics
    )
    response = search(agent_browser, "name:electronics", linked_source_type="Store")
    assert set(shown_uuids(response)) == stores_named_electronics
    assert not set(shown_uuids(search(agent_browser, "source:User name:electronics"))) & (
        stores_named_electronics
    )
    customer = customer_index.store.customer(0)
    last4 = _token(customer)["credit_card"]["number"][-4:]
    response = search(agent_browser, f"last4:{last4} phone:{customer['phone']}")
    assert shown_uuids(response) == [customer["uuid"]]


def test_results_show_the_list_columns_and_as_of_the_last_sync(agent_browser, customer_index):
    customer = customer_index.store.customer(26)  # failed card, 51 / Insufficient funds
    text = page_text(search(agent_browser, customer["name"]))
    assert "as of the last complete sync" in text
    assert customer["reference_number"] in text
    assert "51: Insufficient funds" in text
    assert f"•••• {_token(customer)['credit_card']['number'][-4:]}" in text
