"""Where people see the sync: the run history in the admin, and the customer list saying
when the customer index was last complete."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from customers_app.models import ScanRun, ScanStatus
from customers_app.sync.runs import sync_run
from tests.accounts.conftest import totp_secret_set

pytestmark = pytest.mark.django_db


def test_the_admin_lists_each_sync_with_trigger_who_counts_and_reason(client, live_sandbox):
    admin = get_user_model().objects.create_superuser("root-admin", password=None)
    totp_secret_set(admin)  # a superuser counts as an admin: no pages without a second factor
    done = sync_run()
    ScanRun.objects.create(
        status=ScanStatus.FAILED,
        trigger="button",
        requested_by=admin,
        finished_at=timezone.now(),
        error="Wonder could not be read completely: Wonder is not answering.",
    )
    client.force_login(admin)

    listing = client.get("/admin/customers_app/scanrun/").content.decode()

    assert "Wonder could not be read completely" in listing
    assert "root-admin" in listing and "button" in listing
    assert f"{done.customers_seen:,}" in listing or str(done.customers_seen) in listing
    detail = client.get(f"/admin/customers_app/scanrun/{done.pk}/change/").content.decode()
    assert "foreground" in detail  # the partitions, with who walked them
    assert client.get("/admin/customers_app/scanrun/add/").status_code == 403


def test_the_customer_list_says_when_the_index_was_last_complete(agent_browser, live_sandbox):
    assert "has not completed a sync yet" in agent_browser.get("/customers/").content.decode()
    run = sync_run()
    html = agent_browser.get("/customers/").content.decode()
    shown = timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M")
    assert f"Customer index last complete: {shown}" in html


def test_search_results_say_which_complete_sync_they_come_from(agent_browser, live_sandbox):
    run = sync_run()
    html = agent_browser.get("/customers/?q=chan").content.decode()
    shown = timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M")
    assert f"Customer index last complete: {shown}" in html
    assert "has not completed a sync yet" not in html


def test_the_first_sync_completed_by_a_worker_shows_at_the_next_page_view(agent_browser):
    assert "has not completed a sync yet" in agent_browser.get("/customers/").content.decode()
    # A worker process completes the sync: its "forget" reaches its own process-local cache
    # only (the embedded default), not this one's.
    finished = timezone.now()
    ScanRun.objects.create(status=ScanStatus.COMPLETED, trigger="automatic", finished_at=finished)

    html = agent_browser.get("/customers/").content.decode()

    shown = timezone.localtime(finished).strftime("%Y-%m-%d %H:%M")
    assert f"Customer index last complete: {shown}" in html
