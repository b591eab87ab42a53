"""Journeys of finance on the failed bindings report: filter, follow up, export."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from playwright.sync_api import expect

from customers_app.bindings.tables import FailedBindingTable
from customers_app.models import FailedBinding

from .journey_helpers import assert_accessible

REPORT = "/customers/failed-bindings/"
# A masked card number as Wonder sends it: at most the first 6 and the last 4 digits.
MASKED_CARD = re.compile(r"^(\d{0,6})[^\d]+(\d{0,4})$")


def every_token_value(sandbox) -> set[str]:
    """Every payment token value the sandbox holds: none may appear in what finance sees."""
    values = set()
    for customer in sandbox.store.iter_customers(None):
        for token in sandbox.store.payment_tokens(customer["uuid"]) or ():
            if isinstance(token, dict) and token.get("token"):
                values.add(token["token"])
    return values


def busiest_error_code() -> str:
    """The error code on most still-failing rows (ties broken by code, so it is stable)."""
    codes = Counter(
        FailedBinding.objects.filter(resolved_at__isnull=True)
        .exclude(error_code="")
        .values_list("error_code", flat=True)
    )
    assert codes, "the sandbox data has no failing binding with an error code"
    return min(codes, key=lambda code: (-codes[code], code))


def test_finance_filters_by_error_code_follows_up_and_exports_csv(page_as, scanned):
    code = busiest_error_code()
    failing = FailedBinding.objects.filter(error_code=code, resolved_at__isnull=True)
    expected_references = sorted(failing.values_list("reference_number", flat=True))
    assert len(expected_references) >= 2, "pick a code with several rows: a filter must narrow"
    page = page_as("finance")

    page.goto(REPORT)
    expect(page.get_by_role("heading", name="Failed card bindings")).to_be_visible()
    assert_accessible(page)
    # Fifteen columns at 1280 px: the table scrolls in its own box, the page does not.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("combobox", name="Error code").select_option(code)
    expect(page).to_have_url(re.compile(rf"[?&]error_code={re.escape(code)}\b"))
    table = page.locator("#binding-table table")
    expect(page.locator("#binding-table .total")).to_have_text(
        f"{len(expected_references)} matching bindings."
    )
    expect(table.locator("tbody tr")).to_have_count(len(expected_references))
    assert_accessible(page)

    # Follow up the first row: status and note, saved and shown back.
    reference = expected_references[0]
    row = table.locator("tbody tr", has_text=reference)
    row.get_by_role("link", name="Follow up").click()
    expect(page.get_by_role("heading", name=f"Follow up: {reference}")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Status").select_option("contacted")
    note = "Called the customer <b>twice</b>; card replaced & retry planned."
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save follow-up").click()

    # Back on the filtered page the follow-up was opened from, to work down the list.
    expect(page).to_have_url(
        re.compile(rf"/customers/failed-bindings/\?(.*&)?error_code={re.escape(code)}\b")
    )
    expect(page.get_by_text(f"Follow-up of {reference} saved.")).to_be_visible()
    saved = FailedBinding.objects.get(reference_number=reference)
    assert (saved.followup_status, saved.followup_note) == ("contacted", note)
    page.goto(f"/customers/failed-bindings/{saved.pk}/follow-up/")
    history = page.locator(".history")
    expect(history).to_contain_text("Contacted")
    expect(history).to_contain_text(note)  # as text: the markup in the note stays escaped
    expect(page.get_by_label("Note")).to_have_value(note)

    # Filter again and export what the filter shows.
    page.goto(REPORT)
    page.get_by_role("combobox", name="Error code").select_option(code)
    expect(page).to_have_url(re.compile(rf"[?&]error_code={re.escape(code)}\b"))
    expect(page.locator("#binding-table tbody tr")).to_have_count(len(expected_references))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()  # not the trend's CSV
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()

    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    expected_header = [
        str(FailedBindingTable.base_columns[name].verbose_name)
        for name in FailedBindingTable.Meta.default_columns
        if name != "actions"
    ]
    assert header == expected_header
    column = {name: header.index(name) for name in ("Reference number", "Error code", "Card")}
    assert sorted(r[column["Reference number"]] for r in body) == expected_references
    assert {r[column["Error code"]] for r in body} == {code}
    followed = next(r for r in body if r[column["Reference number"]] == reference)
    assert followed[header.index("Follow-up")] == "Contacted"
    card_numbers = [r[column["Card"]] for r in body if r[column["Card"]] not in ("", "—")]
    assert card_numbers, "the exported rows should include card numbers for this check"
    for card_number in card_numbers:
        assert MASKED_CARD.match(card_number), f"card number not masked: {card_number!r}"
    token_values = every_token_value(scanned)
    assert token_values, "the sandbox should hold token values for this check to mean anything"
    leaked = [token for token in token_values if token in text]
    assert not leaked, f"{len(leaked)} payment token values in the export"
