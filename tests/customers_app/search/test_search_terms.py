"""How typed text becomes terms: the shape decides, field terms are checked."""

from __future__ import annotations

import pytest

from customers_app.search.terms import MAX_QUERY_LENGTH, TermKind, query_parse

UPPER_UUID = "535A0551-F29C-437F-9A1A-6A0E2F125C4A"


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("chan.taiman@gmail.com", TermKind.EMAIL, "chan.taiman@gmail.com"),
        ("@netvigator", TermKind.EMAIL, "@netvigator"),
        (UPPER_UUID, TermKind.UUID, UPPER_UUID),
        ("+852 6589 8353", TermKind.PHONE, "85265898353"),
        ("(852) 6589-8353", TermKind.PHONE, "85265898353"),
        ("６５８９ ８３５３", TermKind.PHONE, "65898353"),
        ("4242", TermKind.DIGITS4, "4242"),
        ("42 42", TermKind.PHONE, "4242"),
        ("123", TermKind.TEXT, "123"),
        ("Chan Tai Man", TermKind.TEXT, "Chan Tai Man"),
        ("陳大文", TermKind.TEXT, "陳大文"),
        ("CUST-00000123", TermKind.TEXT, "CUST-00000123"),
    ],
)  # fmt: skip
def test_free_text_is_read_by_its_shape(typed, kind, value):
    parsed = query_parse(typed)
    assert parsed.errors == ()
    assert [(term.kind, term.value) for term in parsed.terms] == [(kind, value)]


def test_field_terms_and_free_text_combine():
    parsed = query_parse('Chan state:FAILED error:e05 name:"Tai Man" type:creditcard source:store')
    assert [(term.kind, term.value) for term in parsed.terms] == [
        (TermKind.TEXT, "Chan"),
        (TermKind.STATE, "failed"),
        (TermKind.ERROR_CODE, "E05"),
        (TermKind.NAME, "Tai Man"),
        (TermKind.TOKEN_TYPE, "CreditCard"),
        (TermKind.SOURCE, "Store"),
    ]
    assert parsed.kinds == ["error", "name", "source", "state", "text", "type"]


def test_every_problem_is_reported_not_only_the_first():
    parsed = query_parse("colour:red state:lost last4:1")
    assert len(parsed.errors) == 3 and not parsed.is_valid


def test_the_length_cap_counts_after_trimming_spaces():
    assert query_parse(" " * 50 + "a" * MAX_QUERY_LENGTH + " " * 50).is_valid
    assert not query_parse("a" * (MAX_QUERY_LENGTH + 1)).is_valid
