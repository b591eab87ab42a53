"""The report's trend: figures per completed sync, as stored, for the period chosen."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from customers_app.digests.trend import trend_get
from customers_app.models import FailedBinding, ScanRun, SyncTrendPoint
from customers_app.sync.runs import sync_run

pytestmark = pytest.mark.django_db

REPORT = "/customers/failed-bindings/"


def _counts_now() -> tuple[int, int]:
    current = FailedBinding.objects.filter(resolved_at__isnull=True)
    pending = current.filter(state__iexact="pending").count()
    return current.count() - pending, pending


def _table_rows(content: str) -> list[tuple[int, int, int]]:
    """(sync, failing, pending) of each row of the trend's table, as the page shows them."""
    table = content.split('class="table table-sm w-auto trend-table"', 1)[1].split("</table>")[0]
    return [
        (int(sync), int(failing.replace(",", "")), int(pending.replace(",", "")))
        for sync, failing, pending in re.findall(
            r"<tr><td>(\d+)</td><td>[^<]*</td><td[^>]*>([\d,]+)</td><td[^>]*>([\d,]+)</td></tr>",
            table,
        )
    ]


@pytest.fixture
def bigger_sandbox(key_pair):
    """A second sandbox of the same seed with more customers: the same first 500 and more,
    so a sync against it finds more failures (and back on the first, fewer again)."""
    from wonder_sandbox.config import SandboxConfig
    from wonder_sandbox.server import start_in_thread

    running = start_in_thread(SandboxConfig(public_key_pem=key_pair.public_pem, customers=900))
    yield running
    running.stop()


def test_the_trend_shows_each_completed_syncs_failing_and_pending_counts(
    scanned, bigger_sandbox, settings, report_viewer
):
    expected = {ScanRun.objects.get().pk: _counts_now()}
    settings.WONDER_BASE_URL = bigger_sandbox.base_url
    grown = sync_run()
    expected[grown.pk] = _counts_now()
    settings.WONDER_BASE_URL = scanned.base_url
    shrunk = sync_run()
    expected[shrunk.pk] = _counts_now()
    assert sum(expected[grown.pk]) > sum(expected[shrunk.pk])  # the data did change

    trend = trend_get(days=7)
    assert [(sync.run_id, sync.failing, sync.pending) for sync in trend.syncs] == [
        (run_id, *counts) for run_id, counts in sorted(expected.items())
    ]
    # Stored compactly: one row per sync and error code, not per binding.
    assert SyncTrendPoint.objects.count() < 3 * 20 < FailedBinding.objects.count() * 3

    page = report_viewer.get(REPORT)
    assert page.status_code == 200
    content = page.content.decode()
    assert _table_rows(content) == [
        (run_id, *counts) for run_id, counts in sorted(expected.items())
    ]
    chart = content.split('aria-labelledby="trend-title"', 1)[1]
    assert "<svg" in chart
    assert chart.count("<circle") == 2 * len(expected)


def test_the_error_codes_that_grew_most_are_named(scanned, report_viewer):
    first = ScanRun.objects.get()
    # Pretend the first sync saw fewer "51" failures than there are now.
    point = SyncTrendPoint.objects.filter(run=first).exclude(error_code="").first()
    grown_code, before = point.error_code, point.failing + point.pending
    SyncTrendPoint.objects.filter(pk=point.pk).update(failing=0, pending=0)
    sync_run()

    trend = trend_get(days=30)
    assert trend.grew_most[0].error_code == grown_code
    assert trend.grew_most[0].change == before
    content = report_viewer.get(REPORT).content.decode()
    growth = content.split("growth-table", 1)[1].split("</table>")[0]
    assert f"<td>{grown_code}</td>" in growth
    assert f"+{before}" in growth


def test_the_period_leaves_out_older_syncs_and_an_empty_period_says_so(scanned, report_viewer):
    old = ScanRun.objects.get()
    ScanRun.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=10))

    week = report_viewer.get(REPORT, {"trend_days": "7"}).content.decode()
    assert "No sync completed in the last 7 days, so there is no trend to show." in week
    month = report_viewer.get(REPORT, {"trend_days": "30"}).content.decode()
    assert _table_rows(month) == [(old.pk, *_counts_now())]
    assert [sync.run_id for sync in trend_get(days=90).syncs] == [old.pk]


@pytest.mark.parametrize("value", ["8", "abc", "-1", "99999999999999999999", "<b>x</b>"])
def test_a_period_not_offered_is_corrected_and_said(scanned, report_viewer, value):
    response = report_viewer.get(REPORT, {"trend_days": value})
    assert response.status_code == 200
    content = response.content.decode()
    assert "is not offered: showing the last 30 days." in content
    assert "<b>x</b>" not in content


def test_failed_syncs_are_not_in_the_trend(scanned, live_sandbox):
    live_sandbox.set_faults(fault="down")
    failed = sync_run()
    assert failed.status == "failed"
    assert not SyncTrendPoint.objects.filter(run=failed).exists()
    assert failed.pk not in [sync.run_id for sync in trend_get(days=7).syncs]


def test_the_trend_figures_download_as_csv_for_finance_only(scanned, finance):
    second = sync_run()
    answer = finance.get("/customers/failed-bindings/trend.csv?trend_days=7")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    lines = b"".join(answer.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Sync,Completed,Failing,Pending"
    failing, pending = _counts_now()
    assert lines[-1].startswith(f"{second.pk},") and lines[-1].endswith(f",{failing},{pending}")
    assert len(lines) == 1 + ScanRun.objects.filter(status="completed").count()
    # Who may read the report but not export it gets the trend on the page only.
    viewer = get_user_model().objects.create_user("trend-viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_failed_bindings"))
    other = Client()
    other.force_login(viewer)
    assert other.get("/customers/failed-bindings/trend.csv").status_code == 403
