"""The generated customers: deterministic, consistent, realistic, hostile where promised."""

from __future__ import annotations

import re
import time
import tracemalloc
from collections import Counter

import pytest

from wonder_sandbox.data import HOSTILE_INDICES, CustomerStore, linked_source_type_of

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
MASKED_CARD = re.compile(r"[0-9]{6}\*{5,9}[0-9]{4}")
SAMPLE = 20_000


@pytest.fixture(scope="module")
def million() -> CustomerStore:
    return CustomerStore(1_000_000, seed=1)


@pytest.fixture(scope="module")
def sample() -> list[dict]:
    return list(CustomerStore(SAMPLE, seed=1).iter_customers())


def test_same_seed_same_data_other_seed_other_data():
    first, again, other = CustomerStore(300, 7), CustomerStore(300, 7), CustomerStore(300, 8)
    assert list(first.iter_customers()) == list(again.iter_customers())
    assert first.payment_tokens(first.customer(42)["uuid"]) == again.payment_tokens(
        again.customer(42)["uuid"]
    )
    assert first.customer(0)["uuid"] != other.customer(0)["uuid"]
    assert [c["name"] for c in first.iter_customers()] != [
        c["name"] for c in other.iter_customers()
    ]


@pytest.mark.parametrize("total", [0, 1, 3, 4, 5, 7, 2000, 1_000_001])
def test_counts_per_source_type_add_up(total):
    store = CustomerStore(total, seed=1)
    assert store.count("User") + store.count("Store") == store.count() == total
    if total <= 2000:
        assert sum(1 for _ in store.iter_customers("Store")) == store.count("Store")
        assert sum(1 for _ in store.iter_customers("User")) == store.count("User")


@pytest.mark.parametrize("source_type", [None, "User", "Store"])
def test_pages_are_slices_of_the_full_scan(source_type):
    store = CustomerStore(500, seed=3)
    everything = list(store.iter_customers(source_type))
    for offset, limit in [(0, 20), (17, 50), (len(everything) - 5, 20), (10_000, 20)]:
        assert store.page(source_type, offset, limit) == everything[offset : offset + limit]


def test_source_type_filter_returns_only_that_type():
    store = CustomerStore(400, seed=1)
    assert {c["reference_number"][:5] for c in store.page("Store", 0, 50)} <= {"STORE", "INV/2"}
    users = store.page("User", 0, 300)
    stores = store.page("Store", 0, 100)
    assert not {c["uuid"] for c in users} & {c["uuid"] for c in stores}
    assert [linked_source_type_of(i) for i in (0, 1, 2, 3, 7)] == ["User"] * 3 + ["Store"] * 2


def test_token_states_follow_the_promised_shares(sample):
    states = Counter()
    for customer in sample:
        token = customer.get("default_payment_token")
        if token is None:
            states["absent" if "default_payment_token" not in customer else "null"] += 1
        else:
            documented = token["state"] in ("success", "pending", "failed")
            states[token["state"] if documented else "unknown"] += 1
    share = {state: number / len(sample) for state, number in states.items()}
    assert 0.80 < share["success"] < 0.88
    assert 0.035 < share["pending"] < 0.065
    assert 0.055 < share["failed"] < 0.085
    assert 0.005 < share["unknown"] < 0.02
    assert 0.005 < share["null"] < 0.03 and 0.005 < share["absent"] < 0.03


def test_tokens_look_like_wonders(sample):
    tokens = [c["default_payment_token"] for c in sample if c.get("default_payment_token")]
    types = Counter(token["token_type"] for token in tokens)
    assert types["CreditCard"] > types["AlipayAutoDebit"] > 0 and types["WechatPayAutoDebit"] > 0
    assert set(types) == {"CreditCard", "AlipayAutoDebit", "WechatPayAutoDebit"}
    full_number = HOSTILE_INDICES["unmasked_card_number"]
    for index, customer in enumerate(sample):
        token = customer.get("default_payment_token")
        if token is None:
            continue
        assert re.fullmatch(r"tok_[0-9a-f]{32}", token["token"])
        card = token.get("credit_card")
        assert (card is not None) == (token["token_type"] == "CreditCard")
        if card and index != full_number:
            assert card["brand"] in {"Visa", "Mastercard", "AMEX", "UnionPay", "JCB"}
            assert re.fullmatch(r"0[1-9]|1[0-2]", card["exp_month"])
            assert re.fullmatch(r"20[2-3][0-9]", card["exp_year"])
            assert card["holder_name"] and card["billing_currency"] in {"HKD", "USD", "CNY", "SGD"}
        if token["state"] == "pending":
            assert (
                UUID4.fullmatch(token["verify_uuid"])
                and token["verify_uuid"] in token["verify_url"]
            )
        if token["state"] == "failed":
            assert token["error_code"] and token["error_msg"]
    masked = [t["credit_card"]["number"] for t in tokens if "credit_card" in t]
    assert sum(bool(MASKED_CARD.fullmatch(number)) for number in masked) == len(masked) - 1
    currencies = Counter(t["credit_card"]["billing_currency"] for t in tokens if "credit_card" in t)
    assert currencies.most_common(1)[0][0] == "HKD"


def test_contact_details_are_plausibly_hong_kong(sample):
    dial_codes = Counter(customer["dial_code"] for customer in sample)
    assert dial_codes["+852"] / len(sample) > 0.8 and dial_codes["+86"] and dial_codes["+65"]
    lengths = {"+852": 8, "+86": 11, "+65": 8, "+853": 8, "+44": 10}
    for customer in sample:
        assert customer["phone"].isdigit()
        assert len(customer["phone"]) == lengths[customer["dial_code"]]
    names = [customer["name"] for customer in sample]
    assert any(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name) for name in names)
    assert "Chan Tai Man" in names or any(name.startswith("Chan ") for name in names)
    emails = [customer["email"] for customer in sample if customer["email"]]
    assert len(emails) > 0.95 * len(sample) and all("@" in email for email in emails)


def test_uuids_are_unique_uuid4s(sample):
    uuids = [customer["uuid"] for customer in sample]
    assert all(UUID4.fullmatch(uuid) for uuid in uuids)
    assert len(set(uuids)) == len(uuids)


@pytest.mark.parametrize("index", [0, 31, 123_456, 500_000, 999_999])
def test_uuid_and_reference_invert_at_any_index(million, index):
    customer = million.customer(index)
    assert million.index_of_uuid(customer["uuid"]) == index
    assert million.index_of_uuid(customer["uuid"].upper()) == index
    assert million.by_reference(customer["reference_number"]) == customer
    assert million.by_uuid(customer["uuid"]) == customer


def test_lookalike_uuids_and_references_are_not_found(million):
    uuid = million.customer(777_777)["uuid"]
    flipped = uuid[:-1] + ("0" if uuid[-1] != "0" else "1")
    assert million.by_uuid(flipped) is None
    assert million.by_uuid(CustomerStore(1_000_000, seed=2).customer(5)["uuid"]) is None
    beyond = CustomerStore(2_000_000, seed=1).customer(1_500_000)
    assert million.by_uuid(beyond["uuid"]) is None
    assert million.by_reference(beyond["reference_number"]) is None
    assert million.by_reference("CUST-00000003") is None  # 3 is a Store
    assert million.by_reference("STORE-3") is None
    assert million.payment_tokens(flipped) is None


def test_a_page_of_1000_from_a_million_is_fast(million):
    million.page(None, 0, 1000)  # warm up
    timings = []
    for offset in (0, 500_000, 999_000):
        started = time.perf_counter()
        page = million.page(None, offset, 1000)
        timings.append(time.perf_counter() - started)
        assert len(page) == 1000
    assert min(timings) < 0.05, f"1000 customers took {min(timings) * 1000:.1f} ms"
    assert len(million.page("Store", 249_900, 1000)) == 100


def test_memory_stays_flat_while_scanning():
    store = CustomerStore(1_000_000, seed=1)
    tracemalloc.start()
    try:
        for position, _ in enumerate(store.iter_customers("User")):
            if position == 5000:
                break
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, f"scanning 5000 customers peaked at {peak} bytes"


def test_payment_tokens_are_the_default_plus_up_to_three_others(sample):
    store = CustomerStore(SAMPLE, seed=1)
    extra_counts = Counter()
    for index in range(0, 2000, 7):
        customer = store.customer(index)
        tokens = store.payment_tokens(customer["uuid"])
        default = customer.get("default_payment_token")
        others = tokens[1:] if default else tokens
        if default:
            assert tokens[0] == default
        assert all(token["default"] is False for token in others)
        extra_counts[len(others)] += 1
    assert set(extra_counts) == {0, 1, 2, 3}


def test_hostile_customers_are_where_the_index_table_says():
    store = CustomerStore(200, seed=1)
    assert max(HOSTILE_INDICES.values()) < 200

    def customer(name):
        return store.customer(HOSTILE_INDICES[name])

    assert customer("script_name")["name"] == "<script>alert(1)</script>"
    assert customer("img_onerror_name")["name"] == "<img src=x onerror=alert(1)>"
    assert len(customer("long_name_and_email")["name"]) > 300
    assert len(customer("long_name_and_email")["email"]) > 300
    assert "🐉" in customer("emoji_name")["name"]
    assert "<script>" in customer("html_error_msg")["default_payment_token"]["error_msg"]
    assert customer("formula_hyperlink_name")["name"] == '=HYPERLINK("http://evil","x")'
    assert customer("formula_plus_name")["name"].startswith("+cmd")
    assert customer("formula_at_name")["name"] == "@SUM(1)"
    assert customer("unmasked_card_number")["default_payment_token"]["credit_card"]["number"] == (
        "4000056655665556"
    )
    extra = customer("extra_unknown_fields")
    assert {"created_at", "metadata", "loyalty_points"} <= set(extra)
    assert customer("hostile_reference")["reference_number"] == "INV/2024#7 ?a=1&b=<x>%20"
    assert store.by_reference("會員-０００７") == customer("unicode_reference")
    null_form = customer("token_null")
    assert "default_payment_token" in null_form and null_form["default_payment_token"] is None
    assert "default_payment_token" not in customer("token_absent")
    assert customer("pending_token")["default_payment_token"]["verify_url"].startswith("https://")
    assert customer("failed_token")["default_payment_token"]["error_code"] == "51"
    assert customer("unknown_state_token")["default_payment_token"]["state"] == "revoked"
    assert customer("alipay_token")["default_payment_method"] == "AlipayAutoDebit"
    assert "credit_card" not in customer("wechat_token")["default_payment_token"]
    assert linked_source_type_of(HOSTILE_INDICES["img_onerror_name"]) == "Store"


def test_hostile_customers_only_exist_inside_the_store():
    small = CustomerStore(10, seed=1)
    assert small.by_reference("INV/2024#7 ?a=1&b=<x>%20") is None
    with pytest.raises(IndexError):
        small.customer(10)
