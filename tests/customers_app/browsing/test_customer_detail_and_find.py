"""/customers/<uuid>/ and the jump box against the sandbox: tokens, masking, 404s, lookups."""

import logging

import pytest
from django.utils.html import escape

from tests.fakes import ScriptedAnswer, ScriptedWonder
from wonder_sandbox.hostile import FULL_CARD_NUMBER, HOSTILE_INDICES, HOSTILE_REFERENCES

pytestmark = pytest.mark.django_db


def _customer(sandbox, name: str) -> dict:
    return sandbox.store.customer(HOSTILE_INDICES[name])


def test_detail_shows_profile_default_token_and_saved_tokens(agent_browser, live_sandbox):
    customer = live_sandbox.store.customer(0)
    tokens = live_sandbox.store.payment_tokens(customer["uuid"])
    html = agent_browser.get(f"/customers/{customer['uuid']}/").content.decode()
    assert escape(customer["name"]) in html and customer["reference_number"] in html
    assert "Saved payment tokens" in html
    assert html.count("<tr") - 1 == len(tokens)  # one row per token, plus the header
    assert "tok_" not in html


def test_a_failed_binding_is_shown_prominently(agent_browser, live_sandbox):
    uuid = _customer(live_sandbox, "failed_token")["uuid"]
    html = agent_browser.get(f"/customers/{uuid}/").content.decode()
    alert = html.split('class="alert alert-danger bind-error-alert"', 1)[1].split("</div>", 1)[0]
    assert '<code>51</code>: <span translate="no">Insufficient funds</span>' in alert


def test_hostile_error_message_is_escaped_on_the_detail_page(agent_browser, live_sandbox):
    uuid = _customer(live_sandbox, "html_error_msg")["uuid"]
    html = agent_browser.get(f"/customers/{uuid}/").content.decode()
    assert "<script>alert(" not in html and 'href="javascript:' not in html
    assert "&lt;b&gt;Do not honour&lt;/b&gt;" in html


def test_a_full_card_number_from_wonder_is_masked(agent_browser, live_sandbox):
    uuid = _customer(live_sandbox, "unmasked_card_number")["uuid"]
    html = agent_browser.get(f"/customers/{uuid}/").content.decode()
    assert FULL_CARD_NUMBER not in html and FULL_CARD_NUMBER[6:12] not in html
    assert "•••• 5556" in html


def test_an_expired_card_is_marked_expired(agent_browser, live_sandbox):
    # Error 54 ("Expired card"): the sandbox gives those cards an expiry in 2021-2024.
    customer = next(
        customer
        for customer in live_sandbox.store.iter_customers("User")
        if (customer.get("default_payment_token") or {}).get("error_code") == "54"
    )
    card = customer["default_payment_token"]["credit_card"]
    html = agent_browser.get(f"/customers/{customer['uuid']}/").content.decode()
    assert f"exp {card['exp_month']}/{card['exp_year']} (expired)" in html


def _first_pending(sandbox, token_type: str) -> dict:
    return next(
        customer
        for customer in sandbox.store.iter_customers(None)
        if (token := customer.get("default_payment_token") or {}).get("state") == "pending"
        and token.get("token_type") == token_type
    )


def test_a_pending_card_awaits_3_d_secure_and_shows_its_verification_page(
    agent_browser, live_sandbox
):
    customer = _first_pending(live_sandbox, "CreditCard")
    html = agent_browser.get(f"/customers/{customer['uuid']}/").content.decode()
    assert "awaiting 3-D Secure" in html
    verify_url = customer["default_payment_token"]["verify_url"]
    # Shown as text to copy, never as a link.
    assert f'<code class="verify-url">{verify_url}</code>' in html
    assert f'href="{verify_url}"' not in html


def test_a_pending_wallet_token_awaits_the_customer_not_3_d_secure(agent_browser, live_sandbox):
    # The test sandbox's 500 customers have a pending WeChat Pay default token, no Alipay one.
    customer = _first_pending(live_sandbox, "WechatPayAutoDebit")
    html = agent_browser.get(f"/customers/{customer['uuid']}/").content.decode()
    assert "awaiting the customer's approval in WeChat Pay" in html
    assert "awaiting 3-D Secure" not in html


@pytest.mark.parametrize("uuid", ["00000000-0000-4000-8000-000000000000", "nope", "%3Cx%3E"])
def test_an_unknown_uuid_is_a_404_page(agent_browser, live_sandbox, uuid):
    response = agent_browser.get(f"/customers/{uuid}/")
    assert response.status_code == 404
    assert b"No such customer" in response.content
    assert b"<x>" not in response.content


def test_the_profile_stays_when_the_tokens_call_fails(agent_browser, point_at):
    customer = {"uuid": "u-1", "reference_number": "REF-1", "dial_code": "+852", "name": "Amy"}
    answers = (
        ScriptedAnswer(200, {"code": 200, "data": {"customer": customer}}),
        ScriptedAnswer(503, b"busy"),
    )
    with ScriptedWonder(*answers) as wonder:
        point_at(wonder.base_url)
        response = agent_browser.get("/customers/u-1/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Amy" in html and "Wonder is not answering" in html


def test_viewing_a_customer_is_audited(agent_browser, live_sandbox, caplog):
    uuid = live_sandbox.store.customer(1)["uuid"]
    with caplog.at_level(logging.INFO, logger="accounts.audit"):
        agent_browser.get(f"/customers/{uuid}/")
    assert f"action=customer.view outcome=success user=support-agent target={uuid}" in caplog.text


def test_jump_by_uuid_lands_on_the_detail_page(agent_browser, live_sandbox):
    uuid = live_sandbox.store.customer(3)["uuid"]
    response = agent_browser.get("/customers/find/", {"q": f"  {uuid}  "})
    assert response.status_code == 302 and response["Location"] == f"/customers/{uuid}/"


@pytest.mark.parametrize("reference", [*HOSTILE_REFERENCES, "CUST-00000002"])
def test_jump_by_reference_number_lands_on_the_detail_page(agent_browser, live_sandbox, reference):
    uuid = live_sandbox.store.by_reference(reference)["uuid"]
    response = agent_browser.get("/customers/find/", {"q": reference})
    assert response.status_code == 302 and response["Location"] == f"/customers/{uuid}/"


def test_jump_to_nobody_says_so_clearly(agent_browser, live_sandbox):
    response = agent_browser.get("/customers/find/", {"q": "<b>CUST-missing</b>"})
    html = response.content.decode()
    assert response.status_code == 404
    assert "No customer in Wonder has the uuid or reference number" in html
    assert "&lt;b&gt;CUST-missing&lt;/b&gt;" in html and "<b>CUST-missing" not in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Paste a Wonder uuid or a reference number."),
        ("   ", "Paste a Wonder uuid or a reference number."),
        ("x" * 201, "longer than any uuid or reference number"),
        ("CUST\x00-1", "Null characters are not allowed"),
        ("CUST\x07-1", "control characters"),
    ],
)
def test_jump_with_bad_input_explains_without_asking_wonder(
    agent_browser, live_sandbox, query, message
):
    response = agent_browser.get("/customers/find/", {"q": query})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert live_sandbox.request_count() == 0


def test_jump_when_wonder_is_down_shows_the_problem(agent_browser, live_sandbox):
    live_sandbox.set_faults(fault="down")
    response = agent_browser.get("/customers/find/", {"q": "CUST-00000002"})
    assert response.status_code == 503
    assert b"Wonder is not answering" in response.content


@pytest.mark.parametrize("url", ["/customers/", "/customers/find/?q=x", "/customers/abc/"])
def test_every_customer_page_needs_the_permission(client, live_sandbox, url):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("no-permission"))
    assert client.get(url).status_code == 403
    assert live_sandbox.request_count() == 0
