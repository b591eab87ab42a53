"""Turn Wonder's JSON into records, defensively.

Upstream data is untrusted: optional fields may be missing or null, numbers may arrive as
strings and the reverse, unknown fields and token states appear. All of that is fine. What
is not fine is a customer without the fields that identify it (``uuid``,
``reference_number``): that is a broken contract and raises ``WonderBadResponse``.
"""

from __future__ import annotations

from typing import Any

from .columns import CustomerColumns, customer_columns, customer_columns_from_records
from .contract import ContractCustomer, ContractRow
from .errors import WonderBadResponse
from .records import CreditCard, Customer, PaymentToken, is_binding_problem, mask_card_number

__all__ = [
    "parse_binding_problem_list",
    "parse_customer_columns",
    "parse_customer",
    "parse_customer_list",
    "parse_payment_token",
    "parse_payment_tokens",
    "parse_single_customer",
]


# A JSON object: a dict, or a row decoded in the documented shape (contract.py).
_OBJECT = (dict, ContractRow)


def _text(value: Any) -> str:
    """A display string from a JSON scalar; containers and null become empty."""
    if value.__class__ is str:  # nearly always: the one check most values need
        return value.strip()
    if value is None or isinstance(value, (dict, list, ContractRow)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return value is True or value == 1


def _credit_card(payload: Any) -> CreditCard | None:
    if not isinstance(payload, _OBJECT):
        return None
    return CreditCard(
        number=mask_card_number(_text(payload.get("number"))),
        brand=_text(payload.get("brand")),
        exp_month=_text(payload.get("exp_month")),
        exp_year=_text(payload.get("exp_year")),
        holder_name=_text(payload.get("holder_name")),
        billing_currency=_text(payload.get("billing_currency")),
    )


def parse_payment_token(payload: Any) -> PaymentToken | None:
    """A token record, or None when Wonder sent no token object. ``token`` is never read."""
    if not isinstance(payload, _OBJECT):
        return None
    return PaymentToken(
        token_type=_text(payload.get("token_type")),
        state=_text(payload.get("state")),
        is_default=_flag(payload.get("default")),
        error_code=_text(payload.get("error_code")),
        error_msg=_text(payload.get("error_msg")),
        verify_url=_text(payload.get("verify_url")),
        verify_uuid=_text(payload.get("verify_uuid")),
        credit_card=_credit_card(payload.get("credit_card")),
    )


def _identity(payload: Any) -> tuple[str, str]:
    """``(uuid, reference_number)``; ``WonderBadResponse`` when the row cannot be identified."""
    if not isinstance(payload, _OBJECT):
        raise WonderBadResponse("Wonder sent a customer that is not an object.")
    uuid = _text(payload.get("uuid"))
    reference_number = _text(payload.get("reference_number"))
    if not uuid or not reference_number:
        missing = "uuid" if not uuid else "reference_number"
        raise WonderBadResponse(f"Wonder sent a customer without its required {missing}.")
    return uuid, reference_number


def parse_customer(payload: Any) -> Customer:
    """A customer record; raises ``WonderBadResponse`` when it cannot be identified."""
    uuid, reference_number = _identity(payload)
    return Customer(
        uuid=uuid,
        reference_number=reference_number,
        # Required by the contract but harmless when missing: show the number without it.
        dial_code=_text(payload.get("dial_code")),
        name=_text(payload.get("name")),
        email=_text(payload.get("email")),
        phone=_text(payload.get("phone")),
        default_payment_method=_text(payload.get("default_payment_method")),
        default_payment_token=parse_payment_token(payload.get("default_payment_token")),
    )


def _data(envelope: Any) -> dict:
    data = envelope.get("data") if isinstance(envelope, dict) else None
    if not isinstance(data, dict):
        raise WonderBadResponse("Wonder's answer has no data object.")
    return data


def _customer_rows(envelope: Any) -> list:
    customers = _data(envelope).get("customers")
    if not isinstance(customers, list):
        raise WonderBadResponse("Wonder's answer has no list of customers.")
    return customers


def parse_customer_list(envelope: Any) -> tuple[Customer, ...]:
    customers = _customer_rows(envelope)
    if customers and type(customers[0]) is ContractCustomer:
        # The decoder matched the documented types: every row is one (see contract.py).
        return tuple(map(_contract_customer, customers))
    return tuple(parse_customer(item) for item in customers)


def parse_customer_columns(envelope: Any) -> CustomerColumns:
    """A page as columns (``columns.py``): straight from documented rows, or through the
    tolerant parser's records for any other page, with the same result either way."""
    customers = _customer_rows(envelope)
    if customers and type(customers[0]) is ContractCustomer:
        return customer_columns(customers)
    return customer_columns_from_records([parse_customer(item) for item in customers])


def _contract_card(card: Any) -> CreditCard:
    return CreditCard(
        number=mask_card_number((card.number or "").strip()),
        brand=(card.brand or "").strip(),
        exp_month=(card.exp_month or "").strip(),
        exp_year=(card.exp_year or "").strip(),
        holder_name=(card.holder_name or "").strip(),
        billing_currency=(card.billing_currency or "").strip(),
    )


def _contract_customer(row: ContractCustomer) -> Customer:
    """``parse_customer`` for a row of the documented types, without its type checks: each
    field is already a string or None (``_text`` of those is ``(value or "").strip()``), and
    the decoder refused a row without its uuid or reference number. The sync builds one of
    these for every customer Wonder has, so the checks were most of its parsing time."""
    token = row.default_payment_token
    if token is not None:
        card = token.credit_card
        token = PaymentToken(
            token_type=(token.token_type or "").strip(),
            state=(token.state or "").strip(),
            is_default=token.default is True,
            error_code=(token.error_code or "").strip(),
            error_msg=(token.error_msg or "").strip(),
            verify_url=(token.verify_url or "").strip(),
            verify_uuid=(token.verify_uuid or "").strip(),
            credit_card=_contract_card(card) if card is not None else None,
        )
    return Customer(
        uuid=row.uuid.strip(),
        reference_number=row.reference_number.strip(),
        dial_code=(row.dial_code or "").strip(),
        name=(row.name or "").strip(),
        email=(row.email or "").strip(),
        phone=(row.phone or "").strip(),
        default_payment_method=(row.default_payment_method or "").strip(),
        default_payment_token=token,
    )


def _has_binding_problem(payload: dict) -> bool:
    """Whether a raw customer's default token is failed, pending or carries an error code.

    Reads the raw dict only as far as the token's state and error code, so a healthy
    customer (most of them) costs a few lookups instead of a record.
    """
    token = payload.get("default_payment_token")
    if not isinstance(token, _OBJECT):
        return False
    return is_binding_problem(
        state=_text(token.get("state")), error_code=_text(token.get("error_code"))
    )


def parse_binding_problem_list(envelope: Any) -> tuple[tuple[Customer, ...], int]:
    """``(customers whose default token has a binding problem, rows Wonder returned)``.

    The failed bindings scan reads every customer but keeps about one in eight; building
    records only for those keeps its CPU for the rows it reports. The filter runs here,
    inside the parsing boundary, so the raw rows (which hold token values) never leave it.
    Every row must still identify its customer, as in ``parse_customer_list``.

    ``envelope`` comes from ``contract.decode_customer_page``: its rows are either
    ``ContractCustomer`` (the page matched the documented types, identities already
    checked by the decoder) or dicts (anything else), judged here as any page is.
    """
    customers = _customer_rows(envelope)
    if customers and type(customers[0]) is ContractCustomer:
        return _contract_binding_problems(customers), len(customers)
    kept = []
    for item in customers:
        # Same contract as a full parse: a row that cannot be identified is a broken page.
        _identity(item)
        if _has_binding_problem(item):
            kept.append(parse_customer(item))
    return tuple(kept), len(customers)


def _contract_binding_problems(customers: list[ContractCustomer]) -> tuple[Customer, ...]:
    """The rows with a binding problem, as records; the same rule and the same records as
    the dict path, on rows whose types the decoder has already checked."""
    kept = []
    for row in customers:
        token = row.default_payment_token
        if token is not None and is_binding_problem(
            state=token.state or "", error_code=token.error_code or ""
        ):
            kept.append(_contract_customer(row))
    return tuple(kept)


def parse_payment_tokens(envelope: Any) -> tuple[PaymentToken, ...]:
    tokens = _data(envelope).get("payment_tokens")
    if not isinstance(tokens, list):
        raise WonderBadResponse("Wonder's answer has no list of payment tokens.")
    return tuple(token for item in tokens if (token := parse_payment_token(item)) is not None)


def parse_single_customer(envelope: Any) -> Customer:
    """The customer in a ``data.customer`` envelope."""
    return parse_customer(_data(envelope).get("customer"))
