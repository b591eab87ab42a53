"""The list's and detail page's card and uuid snippets: written directly, they equal what
Django's ``format_html`` writes from the same templates, hostile values included."""

from __future__ import annotations

import pytest
from django.utils.html import format_html

from customers_app import display
from customers_app.wonder.records import CreditCard

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "O'Brien & Sons",
    "陳大文 🎉",
]


def reference_card_summary(card):
    """card_summary as it was written with Django's format_html."""
    if card is None:
        return display.EMPTY
    parts = []
    if card.brand:
        parts.append(format_html("{}", card.brand))
    if card.last4:
        parts.append(format_html('<span class="text-nowrap">•••• {}</span>', card.last4))
    if card.expiry:
        parts.append(format_html('<span class="text-nowrap">exp {}</span>', card.expiry))
    if not parts:
        return display.EMPTY
    return format_html(" · ".join(["{}"] * len(parts)), *parts)


def reference_uuid_with_copy(uuid):
    return format_html(
        '<span class="text-nowrap"><code title="{}">{}</code> '
        '<button type="button" class="btn btn-link btn-sm p-0 copy-button" data-copy="{}" '
        'aria-label="Copy the full uuid {}">Copy</button></span>',
        uuid,
        display.short_uuid(uuid),
        uuid,
        uuid,
    )


CARDS = [
    None,
    CreditCard(number=""),
    CreditCard(number="424242******4242", brand="Visa", exp_month="8", exp_year="2030"),
    CreditCard(number="************4242"),
    CreditCard(number="****", brand="Mastercard", exp_year="2031"),
    *(CreditCard(number="424242******4242", brand=text, exp_month=text) for text in HOSTILE),
]


@pytest.mark.parametrize("card", CARDS)
def test_card_summary_equals_the_format_html_version(card):
    written, reference = display.card_summary(card), reference_card_summary(card)
    assert written == reference
    # Marked safe exactly when Django's is, so templates neither escape twice nor not at all.
    assert hasattr(written, "__html__") == hasattr(reference, "__html__")
    assert "<script>" not in display.card_summary(card)


@pytest.mark.parametrize(
    "uuid", ["9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "short", "", *HOSTILE, "x" * 40 + "<b>"]
)
def test_uuid_with_copy_equals_the_format_html_version(uuid):
    written = display.uuid_with_copy(uuid)
    assert written == reference_uuid_with_copy(uuid)
    assert hasattr(written, "__html__")
    assert "<script>" not in display.uuid_with_copy(uuid)
