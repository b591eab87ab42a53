"""What the report's scan status says while a scan runs after one that failed: QA found
"Scan started" beside "the latest scan failed and changed nothing", a Refresh button that
still invited clicks, and "0 customers read" while Wonder had not answered yet."""

from __future__ import annotations

import pytest
from django.utils import timezone

from customers_app.models import ScanRun, ScanStatus

pytestmark = pytest.mark.django_db

REPORT = "/customers/failed-bindings/"


@pytest.fixture(autouse=True)
def no_automatic_scans(settings):
    # An old (or missing) report would start a real scan in the background on each view.
    settings.SYNC_MAX_AGE_SECONDS = 0


def _failed_scan() -> ScanRun:
    return ScanRun.objects.create(
        status=ScanStatus.FAILED,
        finished_at=timezone.now(),
        error="Wonder could not be read completely: Wonder is not answering.",
    )


def test_a_failed_scan_with_none_running_is_the_news_and_refresh_is_offered(finance):
    _failed_scan()
    html = finance.get(REPORT).content.decode()
    assert "failed and changed nothing: Wonder could not be read completely" in html
    assert (
        '<button type="submit" class="btn btn-outline-primary btn-sm">Refresh now</button>' in html
    )


def test_while_a_new_scan_runs_the_old_failure_steps_back_and_the_button_says_so(finance):
    _failed_scan()
    ScanRun.objects.create(status=ScanStatus.RUNNING, trigger="button")
    html = finance.get(REPORT).content.decode()
    assert "failed and changed nothing" not in html
    assert "The previous sync (" in html and "failed: Wonder could not be read" in html
    assert "Sync running…</button>" in html and "disabled" in html
    assert ">Refresh now<" not in html


def test_a_running_scan_wonder_has_not_answered_yet_says_it_is_waiting(finance):
    ScanRun.objects.create(status=ScanStatus.RUNNING, trigger="button")
    html = finance.get(REPORT).content.decode()
    assert "waiting for Wonder's first pages." in html
    assert "0 customers read" not in html


def test_a_running_scan_that_has_read_pages_counts_them(finance):
    ScanRun.objects.create(
        status=ScanStatus.RUNNING, customers_seen=12000, customers_expected=1000000
    )
    html = finance.get("/customers/failed-bindings/scan/progress/").content.decode()
    assert "12,000 of 1,000,000 customers read." in html


def test_joining_a_running_scan_says_so(finance):
    ScanRun.objects.create(status=ScanStatus.RUNNING, trigger="button")
    response = finance.post("/customers/failed-bindings/scan/", follow=True)
    assert "A sync is already running; this page follows its progress." in response.content.decode()


def test_before_any_scan_completes_there_are_no_counts_charts_or_exports(finance):
    ScanRun.objects.create(status=ScanStatus.RUNNING, trigger="automatic")
    html = finance.get(REPORT).content.decode()
    assert "No sync has completed yet" in html
    assert "appear here when the first sync completes" in html
    # "0 bindings failing" would read as "nothing is failing".
    assert "bindings failing or pending" not in html
    assert "Export these rows" not in html and "Nothing failing" not in html
