"""The report's charts add up to the count of failing bindings the report states."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from customers_app.models import FailedBinding, ScanRun, ScanStatus

pytestmark = pytest.mark.django_db

REPORT = "/customers/failed-bindings/"


def _failing_rows(counts: dict[tuple[str, str], int]) -> int:
    """``counts[(error_code, token_type)]`` failing rows, found by one completed scan."""
    run = ScanRun.objects.create(status=ScanStatus.COMPLETED, finished_at=timezone.now())
    now = timezone.now()
    rows = [
        FailedBinding(
            uuid=f"uuid-{code}-{token_type}-{index}",
            reference_number=f"REF-{code}-{token_type}-{index}",
            linked_source_type="User",
            token_type=token_type,
            state="failed",
            error_code=code,
            fingerprint="x",
            first_seen_at=now,
            last_seen_at=now,
            last_scan=run,
            new_in_scan=run,
        )
        for (code, token_type), count in counts.items()
        for index in range(count)
    ]
    FailedBinding.objects.bulk_create(rows)
    return len(rows)


def _bars(html: str, title: str) -> dict[str, int]:
    """Label and count of each bar of the chart titled ``title``, as the page shows them."""
    chart = html.split(f"<figcaption>{title}</figcaption>", 1)[1].split("</figure>", 1)[0]
    return {label: int(count) for label, count in re.findall(r"<title>(.*?): (\d+)</title>", chart)}


def test_codes_past_the_twelve_largest_are_one_other_bar(report_viewer):
    # 15 codes: 12 bars of their own, and "Other (3 codes)" holding the 3 smallest.
    counts = {(f"E{number:02d}", "CreditCard"): 30 - number for number in range(15)}
    total = _failing_rows(counts)
    html = report_viewer.get(REPORT).content.decode()
    assert f"<strong>{total}</strong> bindings failing" in html
    bars = _bars(html, "Failing by error code")
    assert len(bars) == 13
    assert bars["Other (3 codes)"] == 18 + 17 + 16
    assert bars["E00"] == 30 and "E12" not in bars
    assert sum(bars.values()) == total


def test_one_code_past_the_limit_is_shown_itself(report_viewer):
    counts = {(f"E{number:02d}", "CreditCard"): 20 - number for number in range(13)}
    total = _failing_rows(counts)
    bars = _bars(report_viewer.get(REPORT).content.decode(), "Failing by error code")
    assert len(bars) == 13 and "E12" in bars
    assert not any(label.startswith("Other") for label in bars)
    assert sum(bars.values()) == total


def test_token_types_past_the_limit_are_one_other_bar(report_viewer):
    counts = {("05", f"Wallet{number:02d}"): 20 - number for number in range(14)}
    total = _failing_rows(counts)
    bars = _bars(report_viewer.get(REPORT).content.decode(), "Failing by token type")
    assert bars["Other (2 types)"] == 8 + 7
    assert sum(bars.values()) == total
