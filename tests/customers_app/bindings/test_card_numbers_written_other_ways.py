"""Card numbers written every other way (audit finding 3) are masked in follow-up notes (page,
CSV, XLSX, history) and redacted from the audit record of a search; uuids stay readable."""

from __future__ import annotations

import importlib
import io
import re

import openpyxl
import pytest
from django.apps import apps

from accounts.models import AuditEvent
from accounts.redaction import redact_secrets
from customers_app.models import BindingExport, FailedBinding, FollowUpChange

pytestmark = pytest.mark.django_db

REPORT = "/customers/failed-bindings/"
EXPORT = "/customers/failed-bindings/export/"
ZWSP = "\u200b"
# How the audit saw them written: letters touching, odd separators, invisible characters.
SPELLINGS = [
    "card4000056655665556",
    "4000056655665556x",
    "ref-4000056655665556",
    "cc_4000056655665556",
    "4000,0566,5566,5556",
    "(4000)0566(5566)5556",
    f"4000{ZWSP}0566{ZWSP}5566{ZWSP}5556",
    f"4000 {ZWSP}0566\u2060 5566\ufeff5556",
    "４０００ ０５６６ ５５６６ ５５５６",  # full-width digits, as some keyboards type them
    "4000056655665556 2026-11-30",  # a card beside another number
]
# Middle digits of the card in any of those spellings, whatever separates them.
MIDDLE_DIGITS = re.compile(r"0\W*5\W*6\W*6\W*5\W*5\W*6\W*6", re.UNICODE)
# What finance sees instead: the first 6 digits, then stars (then the last 4 of the run).
MASKED = re.compile(r"400005\*{6,}\d{4}")


def _visible(text: str) -> str:
    """Text as compared: full-width digits folded, invisible characters dropped."""
    folded = "".join(str(int(c)) if c.isdigit() else c for c in text)
    return re.sub("[\u200b\u2060\ufeff]", "", folded)


def _show_the_note_column(finance) -> None:
    finance.post(
        "/customers/columns/",
        {
            "table_key": "failed_bindings",
            "columns": ["reference_number", "followup_note"],
            "next": REPORT,
        },
    )


@pytest.mark.parametrize("typed", SPELLINGS)
def test_a_card_number_in_a_note_is_masked_however_it_is_written(finance, scanned, typed):
    binding = FailedBinding.objects.first()
    url = f"/customers/failed-bindings/{binding.pk}/follow-up/"
    response = finance.post(url, {"status": "contacted", "note": typed}, follow=True)
    assert "A card number in the note was masked" in response.content.decode()
    binding.refresh_from_db()
    assert MASKED.search(_visible(binding.followup_note))
    assert FollowUpChange.objects.get(binding=binding).note == binding.followup_note

    _show_the_note_column(finance)
    pages = {
        "follow-up page": finance.get(url).content.decode(),
        "report": finance.get(REPORT, {"followup_status": "contacted"}).content.decode(),
        "csv": b"".join(finance.get(EXPORT, {"export": "csv"}).streaming_content).decode(),
    }
    sheet = openpyxl.load_workbook(io.BytesIO(finance.get(EXPORT, {"export": "xlsx"}).content))
    pages["xlsx"] = " ".join(str(cell.value) for row in sheet.active.iter_rows() for cell in row)
    for where, text in pages.items():
        assert MASKED.search(_visible(text)), where
        assert MIDDLE_DIGITS.search(_visible(text)) is None, where


@pytest.mark.parametrize("typed", SPELLINGS)
def test_a_searched_card_number_is_not_kept_in_the_audit_or_export_record(finance, scanned, typed):
    assert finance.get(REPORT, {"q": typed}).status_code == 200
    assert finance.get(EXPORT, {"export": "csv", "q": typed}).status_code == 200
    records = [str(event.detail) + event.target for event in AuditEvent.objects.all()]
    records += [str(export.filters) for export in BindingExport.objects.all()]
    assert any("[REDACTED]" in record for record in records)
    for record in records:
        assert MIDDLE_DIGITS.search(_visible(record)) is None, record


@pytest.mark.parametrize(
    "kept",
    [
        "request 8c3e2d1a-5529-7872-0303-43ab12cd34ef failed",
        "customer 55297872-0303-4311-9123-456789012345",
        "Called +852 6589 8353 on 2026-11-24 10:30, ref 123456789012",
        "card 411111******1111 and 378282*****0005",
    ],
)
def test_uuids_phone_numbers_and_masked_cards_stay_readable(kept):
    assert redact_secrets(kept) == kept


def test_the_migrations_mask_what_was_stored_before(scanned, django_user_model):
    binding = FailedBinding.objects.first()
    FailedBinding.objects.filter(pk=binding.pk).update(followup_note="old card4000056655665556")
    FollowUpChange.objects.create(binding=binding, status="open", note="(4000)0566(5566)5556")
    FollowUpChange.objects.create(binding=binding, status="open", note="no card, ref 42")
    user = django_user_model.objects.create_user("auditor")
    BindingExport.objects.create(
        exported_by=user, file_format="csv", filters={"q": "cc_4000056655665556"}, row_count=1
    )
    request_id = "8c3e2d1a-5529-7872-0303-43ab12cd34ef"
    AuditEvent.objects.create(
        username="finance",
        action="failed_bindings.view",
        target="/customers/card4000056655665556/",
        request_id=request_id,
        detail={"filters": {"q": f"4000{ZWSP}0566{ZWSP}5566{ZWSP}5556"}, "rows": 3},
    )
    notes = importlib.import_module(
        "customers_app.migrations.0010_mask_card_numbers_written_other_ways"
    )
    audit = importlib.import_module(
        "accounts.migrations.0003_redact_card_numbers_written_other_ways"
    )
    notes.mask_stored_card_numbers(apps, None)
    audit.redact_stored_events(apps, None)

    binding.refresh_from_db()
    assert binding.followup_note == "old card400005******5556"
    stored_notes = set(FollowUpChange.objects.values_list("note", flat=True))
    assert stored_notes == {"(400005******5556", "no card, ref 42"}
    assert BindingExport.objects.get().filters == {"q": "cc_[REDACTED]"}
    event = AuditEvent.objects.get(action="failed_bindings.view", request_id=request_id)
    assert event.target == "/customers/card[REDACTED]/"
    assert event.detail == {"filters": {"q": "[REDACTED]"}, "rows": 3}
