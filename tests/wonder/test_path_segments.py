"""An identifier of "." or ".." stays one path segment (audit finding 5): sent to the sandbox
over HTTP, it reaches the customer it names (none), never the list or another path."""

from __future__ import annotations

import re

import pytest

from tests.wonder.test_client import make_client
from wonder import WonderError, WonderNotFound

CUSTOMERS = "/svc/payment/api/v1/openapi/customers"


@pytest.mark.parametrize("identifier", [".", "..", "%2e%2e", "./..", "../.."])
@pytest.mark.parametrize("call", ["get_customer", "list_payment_tokens", "by_reference"])
def test_a_dot_identifier_reaches_no_other_path(sandbox, key_pair, identifier, call):
    client = make_client(sandbox.base_url, key_pair, max_retries=0)
    with pytest.raises(WonderError) as raised:
        if call == "get_customer":
            client.get_customer(uuid=identifier)
        elif call == "list_payment_tokens":
            client.list_payment_tokens(uuid=identifier)
        else:
            client.get_customer_by_reference(reference_number=identifier)
    # Wonder has no such customer, so it says so; it did not answer with another resource.
    assert isinstance(raised.value, WonderNotFound), raised.value
    # The path that reached Wonder names one customer by one segment, as the call meant.
    expected = {
        "get_customer": rf"{CUSTOMERS}/[^/]+",
        "list_payment_tokens": rf"{CUSTOMERS}/[^/]+/payment_tokens",
        "by_reference": rf"{CUSTOMERS}/ref/[^/]+",
    }[call]
    reached = list(sandbox.app.counter.snapshot())
    assert len(reached) == 1 and re.fullmatch(expected, reached[0]), reached
