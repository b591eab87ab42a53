"""What a digest says: the bindings new in some syncs, counted, and where to see them.

Built from the dashboard's own rows, never from Wonder. Nothing here leaves more customer
data than the report's follow-up list needs: a name and a reference number. Cards and
token values are not read at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from customers_app.models import FailedBinding, FollowUpStatus, ScanRun, ScanStatus

__all__ = [
    "CountRow",
    "DigestContent",
    "OpenFollowUp",
    "digest_build",
    "digest_new_row_count",
    "first_completed_run_id",
    "new_in_value",
    "report_url",
]


@dataclass(frozen=True)
class CountRow:
    label: str
    failing: int
    pending: int

    @property
    def total(self) -> int:
        return self.failing + self.pending


@dataclass(frozen=True)
class OpenFollowUp:
    """A still-failing binding nobody has followed up yet: of the customer, only name and
    reference; Wonder's message says why it failed (untrusted text: escaped in HTML)."""

    name: str
    reference_number: str
    error_code: str
    error_message: str
    state: str
    first_seen_at: datetime


@dataclass(frozen=True)
class DigestContent:
    first_run_id: int
    last_run_id: int
    synced_at: datetime
    total: int
    failing: int
    pending: int
    by_error_code: tuple[CountRow, ...]
    by_token_type: tuple[CountRow, ...]
    oldest_open: tuple[OpenFollowUp, ...]
    report_url: str


def new_in_value(first_run_id: int, last_run_id: int) -> str:
    """The report's ``new_in`` filter value for these syncs: ``"12"`` or ``"12-14"``."""
    if first_run_id == last_run_id:
        return str(last_run_id)
    return f"{first_run_id}-{last_run_id}"


def first_completed_run_id() -> int | None:
    """The first sync ever: everything it found was already failing, so nothing is "new"
    in it (as the report's "new since the previous scan" says)."""
    return (
        ScanRun.objects.filter(status=ScanStatus.COMPLETED)
        .order_by("started_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def _effective_first(first_run_id: int) -> int:
    return max(first_run_id, (first_completed_run_id() or 0) + 1)


def _new_rows(first_run_id: int, last_run_id: int):
    return FailedBinding.objects.filter(
        resolved_at__isnull=True,
        new_in_scan_id__gte=_effective_first(first_run_id),
        new_in_scan_id__lte=last_run_id,
    )


def digest_new_row_count(*, first_run_id: int, last_run_id: int) -> int:
    """How many bindings new in these syncs still fail or wait (0: no digest to send)."""
    return _new_rows(first_run_id, last_run_id).count()


def _counts(rows, field: str, blank_label: str) -> tuple[CountRow, ...]:
    is_pending = Q(state__iexact="pending")
    grouped = (
        rows.values(field)
        .annotate(failing=Count("pk", filter=~is_pending), pending=Count("pk", filter=is_pending))
        .order_by(field)
    )
    counted = [
        CountRow(row[field] or blank_label, row["failing"], row["pending"]) for row in grouped
    ]
    counted.sort(key=lambda row: (-row.total, row.label))
    return tuple(counted)


def report_url(*, first_run_id: int, last_run_id: int) -> str:
    """The report filtered to exactly the digest's rows, as a link a mail client can open."""
    query = urlencode({"new_in": new_in_value(first_run_id, last_run_id)})
    return f"{settings.DASHBOARD_BASE_URL}{reverse('customers:failed_bindings')}?{query}"


def digest_build(*, first_run_id: int, last_run_id: int, blank_label: str) -> DigestContent:
    """The digest of bindings new in syncs ``first_run_id`` to ``last_run_id`` (included)."""
    first_run_id = min(_effective_first(first_run_id), last_run_id)
    rows = _new_rows(first_run_id, last_run_id)
    by_code = _counts(rows, "error_code", blank_label)
    oldest = (
        FailedBinding.objects.filter(resolved_at__isnull=True, followup_status=FollowUpStatus.OPEN)
        .order_by("first_seen_at", "pk")
        .values_list(
            "name", "reference_number", "error_code", "error_message", "state", "first_seen_at"
        )[: settings.DIGEST_OLDEST_OPEN_ROWS]
    )
    last_run = ScanRun.objects.get(pk=last_run_id)
    return DigestContent(
        first_run_id=first_run_id,
        last_run_id=last_run_id,
        synced_at=last_run.finished_at or last_run.started_at,
        total=sum(row.total for row in by_code),
        failing=sum(row.failing for row in by_code),
        pending=sum(row.pending for row in by_code),
        by_error_code=by_code,
        by_token_type=_counts(rows, "token_type", blank_label),
        oldest_open=tuple(OpenFollowUp(*row) for row in oldest),
        report_url=report_url(first_run_id=first_run_id, last_run_id=last_run_id),
    )
