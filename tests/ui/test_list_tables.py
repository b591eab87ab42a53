"""Every list table (the failed bindings report, the audit log) sorts by each orderable
column both ways, and pages through every sort without skipping or repeating a row."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.views import AUDIT_EVENT_LIST
from customers_app.bindings.views import FAILED_BINDING_LIST
from tests.ui.table_cases import pages_in_sort, sort_checks

pytestmark = pytest.mark.django_db


@pytest.fixture
def tied_audit_events(db):
    """23 events in the same second, in three actions and two outcomes: sorts full of ties."""
    when = timezone.make_aware(datetime.datetime(2026, 11, 20, 12, 0, 0))
    AuditEvent.objects.bulk_create(
        AuditEvent(
            occurred_at=when,
            username=f"user{number % 2}",
            action=("login", "customer.view", "audit_export")[number % 3],
            target=f"t-{number % 4}",
            outcome=("success", "denied")[number % 2],
            request_id="",
        )
        for number in range(23)
    )


def test_the_report_sorts_every_column_both_ways_and_pages_stably(scanned):
    sort_checks(FAILED_BINDING_LIST)


def test_the_audit_log_sorts_every_column_both_ways_and_pages_stably(tied_audit_events):
    sort_checks(AUDIT_EVENT_LIST)


def test_the_audit_log_breaks_ties_newest_first_in_every_sort(tied_audit_events):
    """``/audit/?sort=action`` used to have no tie-breaker; events of one action now stay
    newest first, as the log lists them by default."""
    pages = pages_in_sort(AUDIT_EVENT_LIST, sort="action", per_page=5, user=None)
    shown = [pk for page in pages for pk in page]
    actions = dict(AuditEvent.objects.values_list("pk", "action"))
    expected = sorted(shown, key=lambda pk: (actions[pk], -pk))
    assert shown == expected
