"""The report's per-scan caches and its date columns: what finance sees stays current."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from customers_app.models import FailedBinding, ScanRun, ScanStatus

pytestmark = pytest.mark.django_db

REPORT = "/customers/failed-bindings/"


def _completed_scan(*, minutes_ago: int) -> ScanRun:
    run = ScanRun.objects.create(status=ScanStatus.COMPLETED, customers_seen=10)
    finished = timezone.now() - timedelta(minutes=minutes_ago)
    ScanRun.objects.filter(pk=run.pk).update(
        started_at=finished - timedelta(minutes=1), finished_at=finished
    )
    return ScanRun.objects.get(pk=run.pk)


def _failing(index: int, *, run: ScanRun, error_code: str, **fields) -> FailedBinding:
    now = timezone.now()
    values = {
        "uuid": f"uuid-{index}",
        "reference_number": f"REF{index}",
        "linked_source_type": "User",
        "token_type": "CreditCard",
        "state": "failed",
        "error_code": error_code,
        "fingerprint": str(index),
        "first_seen_at": now,
        "last_seen_at": now,
        "last_scan": run,
        "new_in_scan": run,
        **fields,
    }
    return FailedBinding.objects.create(**values)


def test_summary_and_filter_choices_follow_a_newly_completed_scan(report_viewer):
    first = _completed_scan(minutes_ago=10)
    _failing(1, run=first, error_code="51")
    _failing(2, run=first, error_code="51")
    page = report_viewer.get(REPORT).content.decode()
    assert "<strong>2</strong> bindings failing" in page
    assert '<option value="77">' not in page

    # The next scan finds one more failure with a code never seen before.
    second = _completed_scan(minutes_ago=0)
    FailedBinding.objects.update(last_scan=second)
    _failing(3, run=second, error_code="77")
    page = report_viewer.get(REPORT).content.decode()
    assert "<strong>3</strong> bindings failing" in page
    assert "<strong>1</strong> new since the previous sync" in page
    assert '<option value="77">77</option>' in page
    assert report_viewer.get(REPORT, {"error_code": "77"}).content.decode().count(">REF3<") == 1


def test_hostile_error_code_is_escaped_in_the_cached_filter_choices(report_viewer):
    run = _completed_scan(minutes_ago=0)
    _failing(1, run=run, error_code='<img src=x onerror="alert(1)">')
    for _ in range(2):  # computed, then from the cache
        page = report_viewer.get(REPORT).content.decode()
        assert "<img src=x" not in page
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_dates_show_in_local_time_and_an_empty_date_as_the_default(report_viewer, settings):
    settings.TIME_ZONE = "Asia/Hong_Kong"
    run = _completed_scan(minutes_ago=0)
    seen = datetime(2026, 1, 1, 20, 30, tzinfo=UTC)
    _failing(1, run=run, error_code="51", first_seen_at=seen, last_seen_at=seen)
    page = report_viewer.get(REPORT, {"binding_status": "all"}).content.decode()
    # 20:30 UTC is 04:30 the next morning in Hong Kong.
    assert '<td class="text-nowrap">2026-01-02 04:30</td>' in page
    assert "2026-01-01 20:30" not in page
