"""Card numbers typed into a follow-up note never reach a page, an export or the database."""

from __future__ import annotations

import importlib
import io

import openpyxl
import pytest
from django.apps import apps

from customers_app.models import FailedBinding, FollowUpChange

from .pages import EXPORT, REPORT, csv_rows, followup_url

pytestmark = pytest.mark.django_db

CARD = "4000056655665556"
MASKED = "400005******5556"


def _show_the_note_column(finance) -> None:
    finance.post(
        "/customers/columns/",
        {
            "table_key": "failed_bindings",
            "columns": ["reference_number", "followup_note"],
            "next": REPORT,
        },
    )


@pytest.mark.parametrize(
    "typed",
    [
        CARD,
        "4000 0566 5566 5556",
        "4000-0566-5566-5556",
        "card 4000 0566 5566 5556.",
        # As QA pasted them: dots, double spaces (HTML shows one), slashes, underscores, en
        # dashes with spaces, a number broken over lines.
        "4000.0566.5566.5556",
        "4000  0566  5566  5556",
        "4000/0566/5566/5556",
        "4000_0566_5566_5556",
        "4000 – 0566 – 5566 – 5556",
        "4000\r\n0566\r\n5566\r\n5556",
    ],
)
def test_a_card_number_in_a_note_is_masked_when_saved(finance, binding, typed):
    url = followup_url(binding)
    response = finance.post(url, {"status": "contacted", "note": typed}, follow=True)
    assert "A card number in the note was masked" in response.content.decode()
    binding.refresh_from_db()
    assert MASKED in binding.followup_note
    assert "0566" not in binding.followup_note and "5566" not in binding.followup_note
    assert FollowUpChange.objects.get(binding=binding).note == binding.followup_note

    _show_the_note_column(finance)
    pages = [
        finance.get(url).content.decode(),
        finance.get(REPORT, {"followup_status": "contacted"}).content.decode(),
        b"".join(finance.get(EXPORT, {"export": "csv"}).streaming_content).decode(),
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(finance.get(EXPORT, {"export": "xlsx"}).content))
    pages.append(" ".join(str(cell.value) for row in sheet.active.iter_rows() for cell in row))
    for text in pages:
        assert MASKED in text
        assert CARD not in text and typed not in text and "0566 5566" not in text


def test_a_note_without_a_card_number_is_kept_as_typed(finance, binding):
    url = followup_url(binding)
    note = "Called +852 6589 8353 on 2026-11-24, ref 123456789012; card 411111******1111"
    response = finance.post(url, {"status": "contacted", "note": note}, follow=True)
    assert "was masked" not in response.content.decode()
    binding.refresh_from_db()
    assert binding.followup_note == note


def test_the_export_writes_the_masked_note(finance, binding):
    url = followup_url(binding)
    finance.post(url, {"status": "contacted", "note": f"Customer read out {CARD}"})
    _show_the_note_column(finance)
    rows = csv_rows(finance.get(EXPORT, {"export": "csv"}))
    assert rows[0] == ["Reference number", "Follow-up note"]
    assert [binding.reference_number, f"Customer read out {MASKED}"] in rows


def test_the_migration_masks_notes_stored_before(scanned):
    binding = FailedBinding.objects.first()
    FailedBinding.objects.filter(pk=binding.pk).update(followup_note=f"old note {CARD}")
    FollowUpChange.objects.create(binding=binding, status="open", note="4000-0566-5566-5556")
    FollowUpChange.objects.create(binding=binding, status="open", note="no card, ref 42")
    migration = importlib.import_module(
        "customers_app.migrations.0006_mask_card_numbers_in_followup_notes"
    )
    migration.mask_stored_notes(apps, None)
    binding.refresh_from_db()
    assert binding.followup_note == f"old note {MASKED}"
    notes = set(FollowUpChange.objects.values_list("note", flat=True))
    assert notes == {MASKED, "no card, ref 42"}
