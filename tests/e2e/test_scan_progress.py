"""An admin starts a scan from the report and watches it: the progress bar moves by itself,
the button says a scan is running, and the page shows the new report when it ends."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from customers_app.models import ScanRun, ScanStatus
from tests.conftest import SANDBOX_TEST_CUSTOMERS

REPORT = "/customers/failed-bindings/"


def test_refresh_now_shows_a_progress_bar_that_moves_then_the_new_report(
    page_as, live_sandbox, settings, workers
):
    settings.SYNC_MAX_AGE_SECONDS = 0  # only the button starts a sync
    # Slow enough to watch: 11 pages of 50, one at a time, 400 ms each (about 5 s).
    settings.SYNC_PAGE_SIZE = 50
    settings.SYNC_CONCURRENCY = 1
    settings.SYNC_PARTITIONS = 1
    live_sandbox.set_faults(latency_ms=400)
    workers()  # the button only queues the sync: a db_worker process runs it
    page = page_as("admin")
    page.goto(REPORT)
    expect(page.get_by_text("No sync has completed yet")).to_be_visible()

    page.get_by_role("button", name="Refresh now").click()

    expect(
        page.get_by_text(re.compile(r"Sync queued at \d\d:\d\d:\d\d for the workers\."))
    ).to_be_visible()
    progress = page.locator("#scan-progress")
    expect(progress.locator("progress")).to_be_visible()
    expect(page.get_by_role("button", name="Sync running…")).to_be_disabled()
    # The count grows while the page sits still (the partial polls every 2 s)...
    expect(progress).to_contain_text(
        re.compile(rf"[1-9][\d,]* of {SANDBOX_TEST_CUSTOMERS:,} customers read"),
        timeout=8_000,
    )
    first_count = progress.inner_text()
    expect(progress).not_to_have_text(first_count, timeout=8_000)
    # ...and when the scan ends the page shows the report it made.
    expect(
        page.get_by_text(re.compile(rf"{SANDBOX_TEST_CUSTOMERS:,} customers read\."))
    ).to_be_visible(timeout=20_000)
    expect(page.get_by_role("button", name="Refresh now")).to_be_enabled()
    assert ScanRun.objects.get().status == ScanStatus.COMPLETED
