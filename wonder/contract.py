"""Decoding Wonder's answers: any JSON, and a fast path for customer pages as documented.

The failed bindings scan reads every customer Wonder has, about 520 KB of JSON per page of
1,000, and keeps one in eight. Decoding each page into dicts (``json.loads``, ~3.3 ms) and
then looking at every row in Python (~3 ms) was most of the scan's CPU.

``decode_customer_page`` decodes a page straight into the types of Wonder's documented
customer (``openapi-customers.yaml``: every field a string, ``default`` a boolean) with
msgspec, in one C pass. Only the fields the dashboard reads are declared: everything else,
the payment ``token`` value included, is skipped by the decoder and never becomes a Python
object. A page that does not match the documented types exactly (a number where a string
belongs, a token that is not an object, a row without its uuid) raises inside msgspec; it is
then decoded by ``decode_json`` and handled by the tolerant dict path of ``parsing.py``,
which decides what such a page means. Both paths give the same records: tests compare them
on every sandbox page, hostile rows included.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import msgspec

__all__ = ["ContractCustomer", "ContractRow", "decode_customer_page", "decode_json"]

# Documented strings; null is tolerated (it reads as empty, as in parsing._text).
_Text = str | None
# An identifier must have a character that is not whitespace: the dict path strips it and
# refuses an empty result. ``re``'s \S and str.strip agree on what whitespace is.
_Identifier = Annotated[str, msgspec.Meta(pattern=r"\S")]
# Envelope fields: Wonder sends its code as a number or a string.
_Scalar = str | int | float | bool | None


class ContractRow(msgspec.Struct, gc=False):
    """A decoded object of the documented shape, read by ``parsing.py`` like a JSON dict.

    gc=False: fields hold only strings, booleans and other rows, so no reference cycle can
    form, and a page's thousand rows are not work for the garbage collector.
    """

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name, default)


class _ContractCard(ContractRow):
    number: _Text = None
    brand: _Text = None
    exp_month: _Text = None
    exp_year: _Text = None
    holder_name: _Text = None
    billing_currency: _Text = None


class _ContractToken(ContractRow):
    # No ``token`` field: the decoder skips the token value without decoding it.
    token_type: _Text = None
    state: _Text = None
    default: bool | None = None
    error_code: _Text = None
    error_msg: _Text = None
    verify_url: _Text = None
    verify_uuid: _Text = None
    credit_card: _ContractCard | None = None


class ContractCustomer(ContractRow):
    """One customer row exactly as documented, with the fields the dashboard reads."""

    uuid: _Identifier
    reference_number: _Identifier
    name: _Text = None
    email: _Text = None
    dial_code: _Text = None
    phone: _Text = None
    default_payment_method: _Text = None
    default_payment_token: _ContractToken | None = None


class _ContractData(msgspec.Struct, gc=False):
    customers: list[ContractCustomer]


class _ContractEnvelope(msgspec.Struct, gc=False):
    # UNSET keeps "absent" apart from null: the envelope check reads them differently.
    code: _Scalar | msgspec.UnsetType = msgspec.UNSET
    message: _Scalar | msgspec.UnsetType = msgspec.UNSET
    error_code: _Scalar | msgspec.UnsetType = msgspec.UNSET
    error_message: _Scalar | msgspec.UnsetType = msgspec.UNSET
    data: _ContractData | None | msgspec.UnsetType = msgspec.UNSET


_PAGE_DECODER = msgspec.json.Decoder(_ContractEnvelope)
_ANY_DECODER = msgspec.json.Decoder()


def decode_json(body: bytes) -> Any:
    """``json.loads(body)``, about twice as fast where msgspec can do it.

    msgspec refuses some input that json accepts (lone surrogates, NaN, numbers beyond a
    double or 64-bit integer, a UTF-8 byte order mark, UTF-16): that input goes to json, so
    what decodes, and to what, is json's. Raises ValueError (or UnicodeDecodeError) as
    ``json.loads`` does.
    """
    try:
        return _ANY_DECODER.decode(body)
    except msgspec.MsgspecError:
        return json.loads(body)


def decode_customer_page(body: bytes) -> Any:
    """A customers page as an envelope dict whose ``data.customers`` holds
    ``ContractCustomer`` rows when the page is exactly as documented, or, when it is not,
    whatever ``decode_json`` makes of it (dicts, to be judged by the tolerant parser).
    """
    try:
        envelope = _PAGE_DECODER.decode(body)
    except msgspec.MsgspecError:
        return decode_json(body)
    decoded: dict[str, Any] = {
        name: value
        for name in ("code", "message", "error_code", "error_message")
        if (value := getattr(envelope, name)) is not msgspec.UNSET
    }
    if envelope.data is not msgspec.UNSET:
        data = envelope.data
        decoded["data"] = None if data is None else {"customers": data.customers}
    return decoded
