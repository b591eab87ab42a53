"""The failed bindings report as the customer sync keeps it: what it finds, keeps, locks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from customers_app.bindings.report import failed_binding_get, failed_binding_queryset
from customers_app.models import FailedBinding, ScanRun, ScanStatus
from customers_app.sync.runs import sync_claim, sync_run
from tests.fakes import ScriptedAnswer, ScriptedWonder

pytestmark = pytest.mark.django_db


def _expected_failing(store) -> dict[str, tuple[str, str, str]]:
    """The sandbox's own answer: uuid -> (source type, state, error code) of failing defaults."""
    expected = {}
    for source_type in ("User", "Store"):
        for customer in store.iter_customers(source_type):
            token = customer.get("default_payment_token")
            if not token:
                continue
            state = str(token.get("state", "")).lower()
            if state in {"failed", "pending"} or token.get("error_code"):
                expected[customer["uuid"]] = (source_type, token["state"], token["error_code"])
    return expected


def test_a_scan_finds_exactly_the_sandboxs_failed_and_pending_bindings(live_sandbox):
    run = sync_run(concurrency=4)

    assert run.status == ScanStatus.COMPLETED, run.error
    expected = _expected_failing(live_sandbox.store)
    found = {
        uuid: (source_type, state, error_code)
        for uuid, source_type, state, error_code in FailedBinding.objects.values_list(
            "uuid", "linked_source_type", "state", "error_code"
        )
    }
    assert found == expected
    assert {source for source, _, _ in found.values()} == {"User", "Store"}
    assert run.customers_seen == live_sandbox.store.count()
    assert run.failures_found == len(expected)
    assert run.upstream_requests == live_sandbox.request_count("/svc/payment/api/v1/openapi")


def test_no_token_value_or_full_card_number_is_stored(live_sandbox):
    sync_run()
    unmasked = FailedBinding.objects.filter(card_number__regex=r"\d{7}")
    assert not unmasked.exists()
    stored = " ".join(str(v) for row in FailedBinding.objects.values() for v in row.values())
    assert "tok_" not in stored


def test_a_scan_without_totals_still_reads_every_page(live_sandbox):
    live_sandbox.set_faults(fault="no_total")
    run = sync_run(concurrency=3)
    assert run.status == ScanStatus.COMPLETED, run.error
    assert run.customers_seen == live_sandbox.store.count()
    assert FailedBinding.objects.count() == len(_expected_failing(live_sandbox.store))


def test_a_scan_that_fails_midway_leaves_the_previous_report_intact(live_sandbox):
    first = sync_run()
    before = list(FailedBinding.objects.order_by("pk").values())

    live_sandbox.set_faults(fault="down")
    failed = sync_run()

    assert failed.status == ScanStatus.FAILED
    assert "Wonder could not be read completely" in failed.error
    assert re.search(r"request id [0-9a-f-]{36}\)", failed.error)  # to quote to Wonder
    assert list(FailedBinding.objects.order_by("pk").values()) == before
    assert ScanRun.objects.filter(status=ScanStatus.COMPLETED).get() == first


def test_a_scan_stopped_by_the_open_circuit_stores_no_countdown(live_sandbox, settings):
    settings.WONDER_BREAKER_FAILURES = 1
    live_sandbox.set_faults(fault="down")
    sync_run()  # fails and opens the circuit
    stopped = sync_run()  # Wonder is not asked at all
    assert stopped.status == ScanStatus.FAILED
    assert "stopped asking it for a short while" in stopped.error
    # The breaker's own message counts down; frozen in the stored reason it would be wrong.
    assert not re.search(r"\d+ s\b", stopped.error)


def test_a_page_failing_after_others_succeeded_changes_nothing(live_sandbox, settings, key_pair):
    """Wonder answers one good page, then breaks: the half-read scan must not resolve rows."""
    sync_run()
    before = list(FailedBinding.objects.order_by("pk").values())
    good_page = {"code": 200, "data": {"customers": [live_sandbox.store.customer(25)] * 1000}}
    with ScriptedWonder(
        ScriptedAnswer(body=good_page, headers={"X-Total-Entries": "5000"}),
        ScriptedAnswer(status=200, body="{not json"),
    ) as fake:
        settings.WONDER_BASE_URL = fake.base_url
        run = sync_run(concurrency=2)
    assert run.status == ScanStatus.FAILED
    assert list(FailedBinding.objects.order_by("pk").values()) == before


def test_a_binding_that_stops_failing_is_resolved_not_deleted(live_sandbox):
    first = sync_run()
    # A binding that failed before but that Wonder no longer reports as failing.
    ghost = FailedBinding.objects.first()
    ghost.pk = None
    ghost.uuid = "00000000-0000-4000-8000-000000000000"
    ghost.save()

    second = sync_run()

    ghost.refresh_from_db()
    assert ghost.resolved_at is not None
    # Last seen failing by the first sync, whose time the report now shows for it.
    assert (ghost.last_scan, ghost.last_seen_at) == (first, first.finished_at)
    assert failed_binding_get(binding_id=ghost.pk).last_seen == first.finished_at
    still_failing = FailedBinding.objects.filter(resolved_at__isnull=True)
    assert still_failing.count() == second.failures_found
    assert not still_failing.filter(new_in_scan=second).exists()


def test_a_resolved_binding_that_fails_again_is_reopened_and_counted_new(live_sandbox):
    sync_run()
    row = FailedBinding.objects.first()
    FailedBinding.objects.filter(pk=row.pk).update(resolved_at=timezone.now())
    second = sync_run()
    row.refresh_from_db()
    assert row.resolved_at is None
    assert row.new_in_scan == second


def test_two_refreshes_at_once_make_one_scan(live_sandbox):
    first, started_first = sync_claim(trigger="button", enqueue=False)
    second, started_second = sync_claim(trigger="button", enqueue=False)
    assert started_first and not started_second
    assert second.pk == first.pk
    assert sync_run().pk == first.pk  # the command joins, too
    assert ScanRun.objects.count() == 1
    assert live_sandbox.request_count() == 0


def test_a_dead_scan_is_noticed_and_does_not_block_the_next(live_sandbox, settings):
    settings.SYNC_STALE_SECONDS = 60
    dead, _ = sync_claim(trigger="button", enqueue=False)
    ScanRun.objects.filter(pk=dead.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=61))

    run = sync_run()

    dead.refresh_from_db()
    assert dead.status == ScanStatus.FAILED
    assert "stopped reporting progress" in dead.error
    assert run.pk != dead.pk and run.status == ScanStatus.COMPLETED


def test_the_command_reports_success_and_fails_loudly(live_sandbox, capsys):
    call_command("sync_customers", "--concurrency", "2")
    assert "completed" in capsys.readouterr().out
    live_sandbox.set_faults(fault="down")
    with pytest.raises(CommandError, match="failed"):
        call_command("sync_customers")
    with pytest.raises(CommandError, match="at least 1"):
        call_command("sync_customers", "--concurrency", "0")


def test_a_binding_whose_details_changed_is_updated_and_keeps_its_follow_up(live_sandbox):
    sync_run()
    row = FailedBinding.objects.first()
    real_state = row.state
    FailedBinding.objects.filter(pk=row.pk).update(
        state="stale copy", fingerprint="old", followup_status="contacted"
    )
    sync_run()
    row.refresh_from_db()
    assert row.state == real_state
    assert row.followup_status == "contacted"
    assert row.resolved_at is None


def test_a_second_scan_moves_last_seen_of_every_still_failing_row_and_keeps_first_seen(
    live_sandbox,
):
    first = sync_run()
    before = dict(FailedBinding.objects.values_list("uuid", "first_seen_at"))
    reopened = FailedBinding.objects.order_by("pk").last()
    FailedBinding.objects.filter(pk=reopened.pk).update(
        resolved_at=timezone.now(), last_seen_at=first.finished_at, last_scan=first
    )

    second = sync_run()

    rows = list(failed_binding_queryset())
    assert {row.uuid for row in rows} == set(before)
    assert all(row.resolved_at is None for row in rows)
    # What the report shows: the second sync's time, for every row it saw failing.
    assert all(row.last_seen == second.finished_at for row in rows)
    assert all(row.first_seen_at == before[row.uuid] for row in rows)
    assert [row.uuid for row in rows if row.new_in_scan_id == second.pk] == [reopened.uuid]
    # Without rewriting them: a still-failing row keeps no last seen of its own.
    assert not FailedBinding.objects.exclude(last_seen_at=None).exists()
