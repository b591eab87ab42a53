"""A report row still failing keeps no last seen of its own: the latest complete sync saw it.
The report, its sort, its export and the follow-up page all say that sync's time."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from customers_app.models import FailedBinding, ScanRun, ScanStatus

REPORT = "/customers/failed-bindings/"
EXPORT = "/customers/failed-bindings/export/"
EARLIER = datetime(2026, 1, 1, 1, 0, tzinfo=UTC)
LATEST = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)


def _completed_scan(finished_at: datetime) -> ScanRun:
    run = ScanRun.objects.create(status=ScanStatus.COMPLETED, customers_seen=2)
    ScanRun.objects.filter(pk=run.pk).update(started_at=finished_at, finished_at=finished_at)
    return run


def _binding(reference: str, *, run: ScanRun, **fields) -> FailedBinding:
    return FailedBinding.objects.create(
        uuid=f"uuid-{reference}",
        reference_number=reference,
        linked_source_type="User",
        state="failed",
        fingerprint=reference,
        first_seen_at=EARLIER,
        new_in_scan=run,
        **fields,
    )


@pytest.fixture
def bindings(finance, settings):
    settings.TIME_ZONE = "Asia/Hong_Kong"
    settings.SYNC_MAX_AGE_SECONDS = 0
    earlier = _completed_scan(EARLIER)
    _completed_scan(LATEST)
    # Still failing: seen by the latest sync (03:00 UTC, 11:00 in Hong Kong).
    still = _binding("REF-STILL", run=earlier)
    # No longer failing since the latest sync; last seen failing by the earlier one.
    gone = _binding(
        "REF-GONE", run=earlier, last_seen_at=EARLIER, last_scan=earlier, resolved_at=LATEST
    )
    finance.post(
        "/customers/columns/",
        {"table_key": "failed_bindings", "columns": ["reference_number", "last_seen_at"]},
    )
    return still, gone


def _rows(html: str) -> list[tuple[str, str]]:
    """(reference, last seen) of each row, in page order."""
    return re.findall(r">(REF-\w+)<.*?<td[^>]*>(\d{4}-\d\d-\d\d \d\d:\d\d)</td>", html, re.S)


def test_a_still_failing_row_shows_the_latest_syncs_time_and_sorts_as_the_latest(finance, bindings):
    newest_first = finance.get(REPORT, {"binding_status": "all", "sort": "-last_seen_at"})
    oldest_first = finance.get(REPORT, {"binding_status": "all", "sort": "last_seen_at"})

    expected = [("REF-STILL", "2026-01-01 11:00"), ("REF-GONE", "2026-01-01 09:00")]
    assert _rows(newest_first.content.decode()) == expected
    assert _rows(oldest_first.content.decode()) == expected[::-1]
    # The default order: still failing first (the latest), then by last seen.
    assert _rows(finance.get(REPORT, {"binding_status": "all"}).content.decode()) == expected


def test_the_export_and_the_follow_up_page_say_the_same_time(finance, bindings):
    still, _gone = bindings
    exported = b"".join(
        finance.get(EXPORT, {"export": "csv", "binding_status": "all"}).streaming_content
    ).decode()
    assert re.search(r"REF-STILL.*2026-01-01 11:00", exported)
    assert re.search(r"REF-GONE.*2026-01-01 09:00", exported)

    page = finance.get(f"{REPORT}{still.pk}/follow-up/").content.decode()
    assert "last 2026-01-01 11:00" in page
