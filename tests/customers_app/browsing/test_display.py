"""The list's and detail page's card and uuid snippets: written directly, they equal what
Django's ``format_html`` writes from the same templates, hostile values included."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from django.utils.html import format_html

from customers_app.browsing import display
from wonder.records import CreditCard

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
        parts.append(format_html('<span translate="no">{}</span>', card.brand))
    if card.last4:
        parts.append(format_html('<span class="text-nowrap">•••• {}</span>', card.last4))
    if card.expiry and card.is_expired(timezone.localdate()):
        parts.append(
            format_html(
                '<span class="text-nowrap text-danger card-expired">exp {} (expired)</span>',
                card.expiry,
            )
        )
    elif card.expiry:
        parts.append(format_html('<span class="text-nowrap">exp {}</span>', card.expiry))
    if not parts:
        return display.EMPTY
    return format_html(" · ".join(["{}"] * len(parts)), *parts)


def reference_uuid_with_copy(uuid):
    return format_html(
        '<span class="text-nowrap"><code title="{}">{}</code> '
        '<button type="button" class="btn btn-link btn-sm p-0 copy-button" data-copy="{}" '
        'aria-label="Copy the full uuid {}" data-copied-label="Copied the full uuid {}" '
        'data-failed-label="Copy failed: the full uuid {}">Copy</button></span>',
        uuid,
        display.short_uuid(uuid),
        uuid,
        uuid,
        uuid,
        uuid,
    )


CARDS = [
    None,
    CreditCard(number=""),
    CreditCard(number="424242******4242", brand="Visa", exp_month="8", exp_year="2030"),
    CreditCard(number="************4242"),
    CreditCard(number="****", brand="Mastercard", exp_year="2031"),
    CreditCard(number="424242******4242", brand="Visa", exp_month="3", exp_year="2022"),
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


@pytest.mark.parametrize(
    ("exp_month", "exp_year", "expired"),
    [
        ("10", "2026", True),  # the month before
        ("11", "2026", False),  # valid through the end of its expiry month
        ("12", "2026", False),
        ("12", "2025", True),
        ("1", "27", False),  # two-digit years read as 20YY
        ("10", "26", True),
        ("", "2020", False),  # unknown month: not claimed expired
        ("13", "2020", False),
        ("ab", "2020", False),
    ],
)
def test_a_card_is_expired_once_its_expiry_month_is_over(exp_month, exp_year, expired):
    card = CreditCard(number="424242******4242", exp_month=exp_month, exp_year=exp_year)
    assert card.is_expired(date(2026, 11, 24)) is expired


def test_an_expired_card_says_so_and_a_current_one_does_not():
    assert "(expired)" in display.card_summary(
        CreditCard(number="1", exp_month="1", exp_year="2020")
    )
    assert "(expired)" not in display.card_summary(
        CreditCard(number="1", exp_month="1", exp_year="2999")
    )
