"""Payment tokens: the saved card or wallet agreement Wonder can charge a customer with.

A token is generated from (seed, customer index, slot): slot 0 is the customer's default
token (the one embedded in the customer record), slots 1-3 the other saved tokens that only
the payment_tokens endpoint lists.
"""

from __future__ import annotations

from typing import Any

from .entropy import Draws, digest_hex
from .identifiers import uuid4_like
from .vocabulary import BILLING_CURRENCIES, CARD_BRANDS, FAILURES_BY_TOKEN_TYPE, UNKNOWN_STATES

__all__ = [
    "CREDIT_CARD",
    "DEFAULT_TOKEN_STATE_ROLLS",
    "VERIFY_URL_BASE",
    "build_token",
    "extra_tokens",
    "mask_card_number",
    "token_state_for_roll",
]

CREDIT_CARD = "CreditCard"
VERIFY_URL_BASE = "https://gateway-stg.wonder.today/svc/payment/verify/"

# Shares (per-mille) of each token type.
_TOKEN_TYPES = (("CreditCard", 800), ("AlipayAutoDebit", 120), ("WechatPayAutoDebit", 80))

# A customer's roll in range(1000) decides whether it has a default token and in which
# state; the bands give ~3% no token (half null, half key absent), 84% success, 5% pending,
# 7% failed and 1% a state outside the documented three.
DEFAULT_TOKEN_STATE_ROLLS = (
    (15, "no_token_null"),
    (30, "no_token_absent"),
    (870, "success"),
    (920, "pending"),
    (990, "failed"),
    (1000, "unknown"),
)

# Non-default tokens are mostly older cards that still work, some that never bound.
_EXTRA_TOKEN_STATES = (("success", 800), ("failed", 150), ("pending", 50))
_EXTRA_TOKEN_COUNTS = ((0, 500), (1, 300), (2, 150), (3, 50))


def token_state_for_roll(roll: int) -> str:
    """Map a roll in range(1000) to a band name of DEFAULT_TOKEN_STATE_ROLLS."""
    for upper, band in DEFAULT_TOKEN_STATE_ROLLS:
        if roll < upper:
            return band
    raise ValueError(f"roll {roll} is outside range(1000)")


def mask_card_number(prefix: str, last_four: str, length: int) -> str:
    """Mask the way Wonder does: first six digits, stars, last four (``424242******4242``)."""
    return prefix + "*" * (length - len(prefix) - len(last_four)) + last_four


def _credit_card(draws: Draws, *, holder_name: str, expired: bool) -> dict[str, str]:
    """The masked card details of a CreditCard token; an expired one for error 54."""
    brand, _, prefixes, length = draws.weighted(CARD_BRANDS)
    exp_year = 2021 + draws.below(4) if expired else 2025 + draws.below(7)
    return {
        "number": mask_card_number(draws.pick(prefixes), draws.digits(4), length),
        "exp_month": f"{1 + draws.below(12):02d}",
        "exp_year": str(exp_year),
        "holder_name": holder_name,
        "brand": brand,
        "billing_currency": draws.weighted(BILLING_CURRENCIES)[0],
    }


def build_token(
    *,
    seed: int,
    index: int,
    slot: int,
    state: str,
    holder_name: str,
    token_type: str | None = None,
) -> dict[str, Any]:
    """One payment token of customer ``index``.

    ``state`` is ``success``, ``pending``, ``failed`` or ``unknown`` (which picks one of the
    undocumented states); ``token_type`` None draws one.
    """
    purpose = b"token-%d" % slot
    draws = Draws(seed, index, purpose)
    token_type = token_type or draws.weighted(_TOKEN_TYPES)[0]
    error_code = error_msg = ""
    if state == "failed":
        error_code, error_msg = draws.pick(FAILURES_BY_TOKEN_TYPE[token_type])
    elif state == "unknown":
        state = draws.pick(UNKNOWN_STATES)
    token: dict[str, Any] = {
        "token_type": token_type,
        "token": "tok_" + digest_hex(seed, index, purpose + b"-value", 32),
        "state": state,
        "default": slot == 0,
        "error_code": error_code,
        "error_msg": error_msg,
        "verify_url": None,
    }
    if state == "pending":
        verify_uuid = uuid4_like(seed, index, purpose + b"-verify")
        token["verify_url"] = VERIFY_URL_BASE + verify_uuid
        token["verify_uuid"] = verify_uuid
    if token_type == CREDIT_CARD:
        token["credit_card"] = _credit_card(
            draws, holder_name=holder_name, expired=error_code == "54"
        )
    return token


def extra_tokens(*, seed: int, index: int, holder_name: str) -> list[dict[str, Any]]:
    """The 0-3 non-default tokens of customer ``index``, in slot order."""
    draws = Draws(seed, index, b"extra-tokens")
    count = draws.weighted(_EXTRA_TOKEN_COUNTS)[0]
    return [
        build_token(
            seed=seed,
            index=index,
            slot=slot,
            state=draws.weighted(_EXTRA_TOKEN_STATES)[0],
            holder_name=holder_name,
        )
        for slot in range(1, count + 1)
    ]
