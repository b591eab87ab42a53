"""Searching the failed bindings report: a phone number finds its row however it is written."""

from __future__ import annotations

import pytest

from customers_app.models import FailedBinding

pytestmark = pytest.mark.django_db

REPORT = "/customers/failed-bindings/"


def _found(finance, query: str) -> list[str]:
    """Reference numbers of every row the search finds (all pages)."""
    response = finance.get(REPORT, {"q": query, "binding_status": "all"})
    assert response.status_code == 200
    return [row.reference_number for row in response.context["table"].data.data]


def _hong_kong_row() -> FailedBinding:
    return FailedBinding.objects.filter(dial_code="+852").exclude(phone="").first()


def test_a_phone_number_is_found_as_shown_with_or_without_its_dial_code(finance, scanned):
    row = _hong_kong_row()
    dial = row.dial_code.lstrip("+")
    for query in (
        row.phone_display,  # "+852 65898353", the Phone column's own text
        f"{dial}{row.phone}",  # "85265898353"
        f"+{dial}{row.phone}",  # "+85265898353"
        f"+{dial} {row.phone[:4]} {row.phone[4:]}",  # "+852 6589 8353"
        f"{dial}-{row.phone}",
        row.phone,
    ):
        assert row.reference_number in _found(finance, query), query


def test_a_dial_code_alone_finds_every_number_with_it(finance, scanned):
    expected = {
        row.reference_number
        for row in FailedBinding.objects.all()
        if "852" in row.dial_code.lstrip("+") + row.phone
    }
    assert len(expected) > 10
    assert set(_found(finance, "852")) == expected
    assert set(_found(finance, "+852")) == expected


def test_a_phone_number_stored_with_spaces_is_found(finance, scanned):
    row = _hong_kong_row()
    FailedBinding.objects.filter(pk=row.pk).update(phone="6589 8353")
    assert row.reference_number in _found(finance, "+852 65898353")
    assert row.reference_number in _found(finance, "85265898353")


def test_name_email_and_reference_search_still_find_only_their_rows(finance, scanned):
    row = FailedBinding.objects.exclude(email="").exclude(name="").first()
    assert row.reference_number in _found(finance, row.name)
    assert row.reference_number in _found(finance, row.email.upper())
    assert _found(finance, row.reference_number) == [row.reference_number]
    # Digits inside an email are not a phone search: no row with a matching phone joins in.
    FailedBinding.objects.filter(pk=row.pk).update(email="chan852@example.com")
    assert _found(finance, "chan852@example.com") == [row.reference_number]
