"""Staging writes a page's rows exactly as built, whatever characters upstream text holds
(PostgreSQL takes them as COPY text, where tab, newline, CR and backslash are escapes)."""

from __future__ import annotations

import pytest

from customers_app.models import ScanRun, StagedCustomer
from customers_app.sync.rows import STAGED_FIELDS, staged_columns, staged_rows
from customers_app.sync.staging import staged_columns_write
from wonder import CreditCard, Customer, PaymentToken
from wonder.columns import customer_columns_from_records

pytestmark = pytest.mark.django_db

AWKWARD_TEXT = [
    "tab\there",
    "line\nbreak",
    "carriage\rreturn",
    "back\\slash",
    "\\N",
    "\\.",
    "陳大文 🙂",
    "",
]


def _customer(number: int, name: str, token: PaymentToken | None) -> Customer:
    return Customer(
        uuid=f"c0ffee00-0000-4000-8000-{number:012d}",
        reference_number=f"REF\t{number}\\",
        name=name,
        email="a@example.com",
        dial_code="+852",
        phone="6589 8353",
        default_payment_method="CreditCard",
        default_payment_token=token,
    )


def test_a_page_of_awkward_text_is_staged_exactly_as_built():
    failing = PaymentToken(
        token_type="CreditCard", state="failed", is_default=False, error_code="05",
        error_msg="Do not\thonour\nline 2\\",
        credit_card=CreditCard(number="424242******4242", brand="Visa"),
    )  # fmt: skip
    fine = PaymentToken(token_type="CreditCard", state="success", is_default=True)
    customers = [
        _customer(number, name, [failing, fine, None][number % 3])
        for number, name in enumerate(AWKWARD_TEXT)
    ]
    columns = staged_columns(customer_columns_from_records(customers), "Store")
    run = ScanRun.objects.create(trigger="command", status="running")

    assert staged_columns_write(run_id=run.pk, columns=columns) == len(customers)

    stored = list(StagedCustomer.objects.order_by("id").values_list(*STAGED_FIELDS))
    assert stored == staged_rows(customer_columns_from_records(customers), "Store")
    assert [row[STAGED_FIELDS.index("name")] for row in stored] == AWKWARD_TEXT
    problems = [row[STAGED_FIELDS.index("binding_problem")] for row in stored]
    assert problems == [number % 3 == 0 for number in range(len(customers))]
    defaults = [row[STAGED_FIELDS.index("token_is_default")] for row in stored]
    assert defaults == [[False, True, None][number % 3] for number in range(len(customers))]
