"""Customers with values chosen to break a careless dashboard, at fixed low indices.

Tests and demos rely on these indices (all below 31, so any store of 31+ customers has
every one). Index % 4 == 3 is a Store, so the Store filter shows hostile rows too.

====  ========================  ===========================================================
idx   name                      what is hostile
====  ========================  ===========================================================
5     script_name               name ``<script>alert(1)</script>``
7     img_onerror_name          name ``<img src=x onerror=alert(1)>`` (Store)
9     long_name_and_email       name and email over 300 characters
10    emoji_name                emoji, including a ZWJ family sequence, in the name
11    html_error_msg            failed card whose error_msg holds HTML and a script (Store)
13    formula_hyperlink_name    name ``=HYPERLINK("http://evil","x")``
14    formula_plus_name         name ``+cmd|' /C calc'!A0``
15    formula_at_name           name ``@SUM(1)`` (Store)
17    unmasked_card_number      default card's number is a FULL 16 digits, 4000056655665556
18    extra_unknown_fields      unknown keys in the customer and in its token
19    hostile_reference         reference_number ``INV/2024#7 ?a=1&b=<x>%20`` (Store)
21    unicode_reference         reference_number ``會員-０００７`` (full-width digits)
22    token_null                ``default_payment_token: null``, default_payment_method ""
23    token_absent              both keys absent (Store)
25    pending_token             card awaiting 3-D Secure, with verify_url and verify_uuid
26    failed_token              card failed with 51 / Insufficient funds
27    unknown_state_token       card in state ``revoked`` (Store)
29    alipay_token              successful AlipayAutoDebit (no credit_card)
30    wechat_token              successful WechatPayAutoDebit (no credit_card)
====  ========================  ===========================================================
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .tokens import build_token

__all__ = [
    "FULL_CARD_NUMBER",
    "HOSTILE_INDICES",
    "HOSTILE_PATCHES",
    "HOSTILE_REFERENCES",
]

Patch = Callable[[dict[str, Any], int, int], None]

HOSTILE_INDICES: dict[str, int] = {
    "script_name": 5,
    "img_onerror_name": 7,
    "long_name_and_email": 9,
    "emoji_name": 10,
    "html_error_msg": 11,
    "formula_hyperlink_name": 13,
    "formula_plus_name": 14,
    "formula_at_name": 15,
    "unmasked_card_number": 17,
    "extra_unknown_fields": 18,
    "hostile_reference": 19,
    "unicode_reference": 21,
    "token_null": 22,
    "token_absent": 23,
    "pending_token": 25,
    "failed_token": 26,
    "unknown_state_token": 27,
    "alipay_token": 29,
    "wechat_token": 30,
}

# Luhn-valid, with a middle (566556) distinctive enough to grep a page for.
FULL_CARD_NUMBER = "4000056655665556"

HOSTILE_REFERENCES: dict[str, int] = {
    "INV/2024#7 ?a=1&b=<x>%20": HOSTILE_INDICES["hostile_reference"],
    "會員-０００７": HOSTILE_INDICES["unicode_reference"],
}

_HOLDER_NAME = "CHAN TAI MAN"


def _set(**fields: Any) -> Patch:
    """A patch that overwrites top-level customer fields."""

    def patch(customer: dict[str, Any], seed: int, index: int) -> None:
        """Overwrite the fields."""
        customer.update(fields)

    return patch


def _default_token(
    band: str, token_type: str, *, card: dict[str, str] | None = None, **token_fields: Any
) -> Patch:
    """A patch that replaces the default token with one of a fixed type.

    ``band`` is the state band build_token takes (``unknown`` draws an undocumented state);
    ``token_fields`` overwrite fields of the token, ``card`` fields of its credit_card.
    """

    def patch(customer: dict[str, Any], seed: int, index: int) -> None:
        """Replace the default token."""
        token = build_token(
            seed=seed,
            index=index,
            slot=0,
            state=band,
            holder_name=_HOLDER_NAME,
            token_type=token_type,
        )
        token.update(token_fields)
        if card:
            token["credit_card"].update(card)
        customer["default_payment_method"] = token_type
        customer["default_payment_token"] = token

    return patch


def _no_token_key(customer: dict[str, Any], seed: int, index: int) -> None:
    """Drop both token keys, the "absent" form of a customer without a token."""
    customer.pop("default_payment_method", None)
    customer.pop("default_payment_token", None)


def _extra_fields(customer: dict[str, Any], seed: int, index: int) -> None:
    """Add fields the documented schema does not have, which a client must ignore."""
    customer["created_at"] = "2023-11-02T08:15:00Z"
    customer["loyalty_points"] = 12345678901234567890  # past 2**53: JS would round it
    customer["metadata"] = {"vip": True, "tags": ["gold", "<b>bold</b>"], "nested": {"a": [1]}}
    token = customer.get("default_payment_token")
    if token:
        token["card_fingerprint"] = "fp_9c1e0b7a2d4f"


_LONG_NAME = "Chan Tai Man " + "Wolfeschlegelsteinhausenbergerdorff-Siu-Ming " * 7
_LONG_EMAIL = "very.long.local.part." * 12 + "x@" + "sub." * 20 + "example.com.hk"

HOSTILE_PATCHES: dict[int, Patch] = {
    HOSTILE_INDICES["script_name"]: _set(name="<script>alert(1)</script>"),
    HOSTILE_INDICES["img_onerror_name"]: _set(name="<img src=x onerror=alert(1)>"),
    HOSTILE_INDICES["long_name_and_email"]: _set(name=_LONG_NAME.strip(), email=_LONG_EMAIL),
    HOSTILE_INDICES["emoji_name"]: _set(name="陳大文 🐉🧧 Tommy 👨‍👩‍👧‍👦"),
    HOSTILE_INDICES["html_error_msg"]: _default_token(
        "failed",
        "CreditCard",
        error_code="05",
        error_msg='<b>Do not honour</b><script>alert("error_msg")</script>'
        '<a href="javascript:alert(1)">call issuer</a>',
    ),
    HOSTILE_INDICES["formula_hyperlink_name"]: _set(name='=HYPERLINK("http://evil","x")'),
    HOSTILE_INDICES["formula_plus_name"]: _set(name="+cmd|' /C calc'!A0"),
    HOSTILE_INDICES["formula_at_name"]: _set(name="@SUM(1)"),
    HOSTILE_INDICES["unmasked_card_number"]: _default_token(
        "success", "CreditCard", card={"number": FULL_CARD_NUMBER, "brand": "Visa"}
    ),
    HOSTILE_INDICES["extra_unknown_fields"]: _extra_fields,
    HOSTILE_INDICES["token_null"]: _set(default_payment_method="", default_payment_token=None),
    HOSTILE_INDICES["token_absent"]: _no_token_key,
    HOSTILE_INDICES["pending_token"]: _default_token("pending", "CreditCard"),
    HOSTILE_INDICES["failed_token"]: _default_token(
        "failed", "CreditCard", error_code="51", error_msg="Insufficient funds"
    ),
    HOSTILE_INDICES["unknown_state_token"]: _default_token(
        "unknown", "CreditCard", state="revoked"
    ),
    HOSTILE_INDICES["alipay_token"]: _default_token("success", "AlipayAutoDebit"),
    HOSTILE_INDICES["wechat_token"]: _default_token("success", "WechatPayAutoDebit"),
}
HOSTILE_PATCHES.update(
    {index: _set(reference_number=reference) for reference, index in HOSTILE_REFERENCES.items()}
)
