"""The failed bindings report's read side and finance's writes: status, summary, follow-up.

Views call these (through ``services``); nothing here talks to Wonder. The report is what
the last complete scan found (see ``binding_scan.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Trim, Upper
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.redaction import card_numbers_replace, redact_value
from customers_app.models import (
    ACTIVE_SCAN_STATUSES,
    BindingExport,
    ErrorCodeNote,
    FailedBinding,
    FollowUpChange,
    FollowUpStatus,
    ScanRun,
    ScanStatus,
)
from wonder.records import mask_card_number
from wonder.shared_cache import cache_attempt

__all__ = [
    "BarChart",
    "ChartBar",
    "ReportStatus",
    "ReportSummary",
    "binding_export_record",
    "failed_binding_filter_choices",
    "failed_binding_get",
    "failed_binding_queryset",
    "failed_binding_summary",
    "followup_note_mask",
    "followup_update",
    "report_status_get",
]


@dataclass(frozen=True)
class ReportStatus:
    """Which scan the report shows, whether one is running, and whether the data is old."""

    last_complete: ScanRun | None
    running: ScanRun | None
    last_failed: ScanRun | None
    is_stale: bool

    @property
    def as_of(self) -> datetime | None:
        return self.last_complete.finished_at if self.last_complete else None


def report_status_get(*, now: datetime | None = None) -> ReportStatus:
    """The report's scan status; stale when no complete scan is younger than the max age."""
    now = now or timezone.now()
    last_complete = ScanRun.objects.filter(status=ScanStatus.COMPLETED).first()
    running = ScanRun.objects.filter(status__in=ACTIVE_SCAN_STATUSES).first()
    last_failed = ScanRun.objects.filter(status=ScanStatus.FAILED).first()
    # Only a failure newer than the report is news; an old one was fixed by a later scan.
    if last_failed and last_complete and last_failed.started_at < last_complete.started_at:
        last_failed = None
    max_age = timedelta(seconds=settings.SYNC_MAX_AGE_SECONDS or 6 * 3600)
    is_stale = last_complete is None or now - last_complete.finished_at > max_age
    return ReportStatus(last_complete, running, last_failed, is_stale)


def failed_binding_queryset() -> QuerySet[FailedBinding]:
    """Every report row, with the admin's plain-language note on its error code beside it
    and ``last_seen``, when a sync last saw it failing."""
    # Notes are stored normalised (models.error_code_normalise); the row's code is compared
    # the same way, so " e200110" from anywhere still finds the note for E200110.
    notes = ErrorCodeNote.objects.filter(code=Upper(Trim(OuterRef("error_code"))))
    latest = ScanRun.objects.filter(status=ScanStatus.COMPLETED).order_by("-finished_at")
    return FailedBinding.objects.annotate(
        error_meaning=Subquery(notes.values("meaning")[:1]),
        error_next_step=Subquery(notes.values("next_step")[:1]),
        # A row still failing has no last seen of its own: the latest complete sync saw it
        # (models.FailedBinding). One subquery, the same for every row.
        last_seen=Coalesce("last_seen_at", Subquery(latest.values("finished_at")[:1])),
    ).select_related("followup_by")


def failed_binding_get(*, binding_id: int) -> FailedBinding:
    """One report row (``FailedBinding.DoesNotExist`` when there is none)."""
    return failed_binding_queryset().get(pk=binding_id)


@dataclass(frozen=True)
class ChartBar:
    label: str
    count: int
    # Bar length as a share of the longest bar, 0-100, for the server-rendered SVG.
    percent: float
    y: int
    # The label is a value as Wonder sent it (an error code, a token type), not the
    # dashboard's words: marked translate="no" on the page.
    is_data: bool = False


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[ChartBar, ...]
    # The first column's heading in the chart's figures table ("Error code").
    label_heading: str = ""

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * 22


@dataclass(frozen=True)
class ReportSummary:
    total: int
    new_since_previous: int
    by_error_code: BarChart
    by_token_type: BarChart


def _chart(
    title: str,
    counts: list[tuple[str, int]],
    *,
    other_label,
    label_heading: str,
    worded_labels: frozenset[str] = frozenset(),
    limit: int = 12,
) -> BarChart:
    """The ``limit`` largest counts as bars, and one "Other (N codes)" bar for the rest.

    The bars always add up to the report's total: a chart that silently left out the
    smaller counts disagreed with the count above it. One label past the limit is shown
    itself rather than as "Other (1 codes)".
    """
    counts = sorted(counts, key=lambda item: (-item[1], item[0]))
    if len(counts) > limit + 1:
        rest = counts[limit:]
        other = (other_label(len(rest)), sum(count for _, count in rest))
        counts = [*counts[:limit], other]
    longest = max((count for _, count in counts), default=0) or 1
    return BarChart(
        str(title),
        tuple(
            ChartBar(
                label,
                count,
                round(100 * count / longest, 1),
                index * 22,
                is_data=label not in worded_labels and index < limit,
            )
            for index, (label, count) in enumerate(counts)
        ),
        str(label_heading),
    )


# Only a completed scan changes what the summary and the filters' choices are computed from
# (its reconcile and its "completed" mark commit together), so each is cached per completed
# scan: a new scan means a new key, and nobody sees counts older than the report they show.
_PER_SCAN_CACHE_SECONDS = 24 * 3600
# The filters that offer the values the rows hold: Wonder may send codes we never heard of.
_VALUE_FILTER_FIELDS = ("token_type", "state", "error_code", "card_brand")


def _per_scan_cached(*, name: str, scan: ScanRun | None, compute):
    """``compute()``, remembered for ``scan`` (the latest completed one); no scan: no cache.

    A cache that fails (Redis down) costs only the saving: the value is computed instead.
    """
    if scan is None:
        return compute()
    # pk and timestamps: a test database may hand the same pk to another scan.
    stamps = f"{scan.started_at.timestamp()}:{scan.finished_at.timestamp()}"
    key = f"failed_bindings:{name}:{scan.pk}:{stamps}"
    value = cache_attempt(lambda: cache.get(key), fallback=None, doing=f"reading {key}")
    if value is None:
        value = compute()
        cache_attempt(
            lambda: cache.set(key, value, _PER_SCAN_CACHE_SECONDS),
            fallback=None,
            doing=f"writing {key}",
        )
    return value


def failed_binding_filter_choices() -> dict[str, list[str]]:
    """Per filtered field, the distinct values the report's rows hold, sorted."""
    latest = ScanRun.objects.filter(status=ScanStatus.COMPLETED).first()

    def distinct_values() -> dict[str, list[str]]:
        return {
            field: list(
                FailedBinding.objects.order_by(field).values_list(field, flat=True).distinct()
            )
            for field in _VALUE_FILTER_FIELDS
        }

    return _per_scan_cached(name="filter_choices", scan=latest, compute=distinct_values)


def failed_binding_summary(*, status: ReportStatus) -> ReportSummary:
    """Bindings still failing, by error code and token type, and how many are new."""
    return _per_scan_cached(
        # v2: the charts gained their "Other" bar; summaries cached without it are not read.
        # v3: labels in the page's language, so one summary is kept per language.
        name=f"summary-v3-{get_language()}",
        scan=status.last_complete,
        compute=lambda: _summary_compute(status=status),
    )


def _summary_compute(*, status: ReportStatus) -> ReportSummary:
    current = FailedBinding.objects.filter(resolved_at__isnull=True)
    rows = list(current.values("error_code", "state").annotate(n=Count("pk")))
    by_code = [(row["error_code"] or _no_code_label(row["state"]), row["n"]) for row in rows]
    # The bars labelled in the dashboard's words rather than with a value Wonder sent.
    worded = {_no_code_label(row["state"]) for row in rows if not row["error_code"]}
    merged: dict[str, int] = {}
    for label, count in by_code:
        merged[label] = merged.get(label, 0) + count
    by_type = [
        (row["token_type"] or gettext("unknown"), row["n"])
        for row in current.values("token_type").annotate(n=Count("pk"))
    ]
    worded.add(gettext("unknown"))
    new = 0
    if status.last_complete is not None:
        new = current.filter(new_in_scan=status.last_complete).count()
        # The first scan ever has no previous one: everything it found is not "new".
        if not ScanRun.objects.filter(
            status=ScanStatus.COMPLETED, started_at__lt=status.last_complete.started_at
        ).exists():
            new = 0
    return ReportSummary(
        total=current.count(),
        new_since_previous=new,
        by_error_code=_chart(
            _("Failing by error code"),
            list(merged.items()),
            other_label=lambda n: (
                ngettext("Other (%(n)d code)", "Other (%(n)d codes)", n) % {"n": n}
            ),
            label_heading=_("Error code"),
            worded_labels=frozenset(worded),
        ),
        by_token_type=_chart(
            _("Failing by token type"),
            by_type,
            other_label=lambda n: (
                ngettext("Other (%(n)d type)", "Other (%(n)d types)", n) % {"n": n}
            ),
            label_heading=_("Token type"),
            worded_labels=frozenset(worded),
        ),
    )


def _no_code_label(state: str | None) -> str:
    """The chart's bar for bindings without an error code: "none (pending)", the documented
    states in the dashboard's words, any other as Wonder sent it."""
    worded_states = {"pending": _("pending"), "failed": _("failed"), "success": _("success")}
    shown = worded_states.get(state or "", state) or gettext("no state")
    return gettext("none (%(state)s)") % {"state": shown}


def followup_note_mask(*, note: str) -> tuple[str, int]:
    """``note`` with every card-like number masked to its first 6 and last 4 digits, and
    how many were masked.

    Finance pastes what customers tell them, card numbers included, and a note is shown on
    pages and written to exports. Card-like means what the log redaction means
    (``accounts.redaction.card_numbers_replace``): 13 or more digits, whatever separates
    them (spaces, commas, brackets, zero-width characters) and whatever letters touch them;
    uuids are left alone. No Luhn check, as in the logs: a mistyped card number fails Luhn
    yet still gives away nearly every digit of the real one, while a long reference number
    that happens to look like a card loses only its middle digits, and finance is told so
    when saving.
    """
    return card_numbers_replace(note, mask_card_number)


def followup_update(
    *, binding: FailedBinding, status: str, note: str, user
) -> FollowUpChange | None:
    """Set finance's follow-up status and note on a failure, keeping who and when.

    Card numbers in the note are masked before it is stored (``followup_note_mask``); the
    returned change holds the note as stored. Saving what is already there changes nothing
    and returns None: the history lists changes, not clicks on Save.
    """
    if status not in FollowUpStatus.values:
        raise ValueError(f"Unknown follow-up status {status!r}.")
    note, _masked = followup_note_mask(note=note)
    if status == binding.followup_status and note == binding.followup_note:
        return None
    now = timezone.now()
    with transaction.atomic():
        FailedBinding.objects.filter(pk=binding.pk).update(
            followup_status=status, followup_note=note, followup_by=user, followup_at=now
        )
        return FollowUpChange.objects.create(
            binding=binding, status=status, note=note, changed_by=user
        )


def binding_export_record(
    *, user, file_format: str, filters: dict, row_count: int, truncated: bool
) -> BindingExport:
    """Keep who exported what: every export leaves a row."""
    return BindingExport.objects.create(
        exported_by=user,
        file_format=file_format,
        # The query string is untrusted: no NUL (PostgreSQL refuses it), no card number.
        filters=redact_value(filters),
        row_count=row_count,
        truncated=truncated,
    )
