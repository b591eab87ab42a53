"""New report rows keep upstream text exactly, whatever characters it holds (PostgreSQL
takes them as COPY text, where tab, line break, CR and backslash are escapes)."""

from __future__ import annotations

from dataclasses import fields

import pytest
from django.utils import timezone

from customers_app.bindings.reconcile import reconcile
from customers_app.bindings.rows import BindingRow
from customers_app.models import FailedBinding, ScanRun

pytestmark = pytest.mark.django_db

AWKWARD = ["tab\there", "line\nbreak", "cr\rhere", "back\\slash", "\\N", "\\.", "陳大文 🙂"]


def test_new_report_rows_keep_awkward_text_exactly():
    run = ScanRun.objects.create(status="running")
    rows = {
        f"u-{number}": BindingRow(
            uuid=f"u-{number}", reference_number=f"REF\t{number}", name=text, email="",
            dial_code="+852", phone="6589 8353", linked_source_type="User",
            token_type="CreditCard", state="failed", error_code="05",
            error_message=f"Do not honour\n{text}", card_number="424242******4242",
            card_brand="Visa",
        )
        for number, text in enumerate(AWKWARD)
    }  # fmt: skip
    now = timezone.now()

    assert reconcile(run, rows, now) == len(AWKWARD)

    names = [field.name for field in fields(BindingRow)]
    stored = {row[0]: BindingRow(*row) for row in FailedBinding.objects.values_list(*names)}
    assert stored == rows
    first = FailedBinding.objects.get(uuid="u-0")
    # Still failing: no last seen of its own (the latest complete sync, this one, saw it).
    assert (first.first_seen_at, first.last_seen_at, first.resolved_at) == (now, None, None)
    assert (first.last_scan_id, first.new_in_scan_id, first.followup_note) == (None, run.pk, "")
