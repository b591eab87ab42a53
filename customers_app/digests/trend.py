"""The report's trend: failing and pending bindings per completed sync, kept compactly.

When a sync completes, one aggregate query over the bindings still failing is stored as one
``SyncTrendPoint`` per error code (``trend_record``). The report reads those back for the
last 7, 30 or 90 days (``trend_get``): totals per sync for the chart and its table, and the
error codes that grew most between the period's first and last sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers_app.models import FailedBinding, ScanRun, ScanStatus, SyncTrendPoint

__all__ = [
    "TREND_PERIODS",
    "TREND_DEFAULT_DAYS",
    "CodeGrowth",
    "Trend",
    "TrendSync",
    "trend_get",
    "trend_get_cached",
    "trend_days_from",
    "trend_record",
]

TREND_PERIODS = (7, 30, 90)
TREND_DEFAULT_DAYS = 30
# Past this many syncs in a period, the chart and table show each day's last sync: 90 days
# of hourly syncs would be 2,160 table rows and bars thinner than a pixel.
_MOST_POINTS = 60
_GROWTH_SHOWN = 5
# The drawing area of the SVG (its viewBox); the template adds the axis labels around it.
CHART_WIDTH = 600
CHART_HEIGHT = 160


def trend_record(*, run: ScanRun) -> int:
    """Store what ``run`` left failing, per error code; returns how many points were stored.

    One GROUP BY on the bindings still failing, answered from the ``fb_current_code``
    covering index alone (120,000 rows: 90-180 ms on SQLite on a loaded machine; counting
    the sync's new rows as well meant reading the table, 4-6 times slower, so it is not
    kept); recording the same sync again replaces its points.
    """
    is_pending = Q(state__iexact="pending")
    rows = (
        FailedBinding.objects.filter(resolved_at__isnull=True)
        .values("error_code")
        .annotate(
            failing=Count("pk", filter=~is_pending),
            pending=Count("pk", filter=is_pending),
        )
        .order_by("error_code")
    )
    points = [
        SyncTrendPoint(
            run=run,
            error_code=row["error_code"],
            failing=row["failing"],
            pending=row["pending"],
        )
        for row in rows
    ]
    with transaction.atomic():
        SyncTrendPoint.objects.filter(run=run).delete()
        SyncTrendPoint.objects.bulk_create(points)
    return len(points)


@dataclass(frozen=True)
class TrendSync:
    """One completed sync's totals, and where it sits in the chart."""

    run_id: int
    finished_at: datetime
    failing: int
    pending: int
    x: float = 0.0
    failing_y: float = 0.0
    pending_y: float = 0.0

    @property
    def total(self) -> int:
        return self.failing + self.pending


@dataclass(frozen=True)
class CodeGrowth:
    error_code: str
    first: int
    last: int

    @property
    def change(self) -> int:
        return self.last - self.first


@dataclass(frozen=True)
class Trend:
    days: int
    syncs: tuple[TrendSync, ...]
    grew_most: tuple[CodeGrowth, ...]
    # True when there were more syncs than points: each day's last sync is shown.
    daily: bool
    highest: int
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def view_box(self) -> str:
        # Room left of the drawing for the y labels, below it for the dates.
        return f"-56 -12 {self.width + 72} {self.height + 52}"

    @property
    def first_sync(self) -> TrendSync | None:
        return self.syncs[0] if self.syncs else None

    @property
    def last_sync(self) -> TrendSync | None:
        return self.syncs[-1] if self.syncs else None

    @property
    def failing_points(self) -> str:
        return " ".join(f"{sync.x},{sync.failing_y}" for sync in self.syncs)

    @property
    def pending_points(self) -> str:
        return " ".join(f"{sync.x},{sync.pending_y}" for sync in self.syncs)


def _each_days_last(syncs: list[TrendSync]) -> list[TrendSync]:
    by_day: dict = {}
    for sync in syncs:  # oldest first: a later sync of the same day replaces the earlier
        by_day[timezone.localtime(sync.finished_at).date()] = sync
    return list(by_day.values())


def _placed(syncs: list[TrendSync], highest: int) -> list[TrendSync]:
    """Each sync with its x and y in the chart's viewBox (y grows downwards in SVG)."""
    step = CHART_WIDTH / max(1, len(syncs) - 1)
    scale = CHART_HEIGHT / max(1, highest)
    return [
        TrendSync(
            sync.run_id,
            sync.finished_at,
            sync.failing,
            sync.pending,
            x=round(index * step if len(syncs) > 1 else CHART_WIDTH / 2, 1),
            failing_y=round(CHART_HEIGHT - sync.failing * scale, 1),
            pending_y=round(CHART_HEIGHT - sync.pending * scale, 1),
        )
        for index, sync in enumerate(syncs)
    ]


def _growth(first_run_id: int, last_run_id: int) -> tuple[CodeGrowth, ...]:
    """Codes whose failing-or-pending count rose most from the first to the last sync."""
    counts: dict[str, list[int]] = {}
    points = SyncTrendPoint.objects.filter(run_id__in=(first_run_id, last_run_id))
    for run_id, code, failing, pending in points.values_list(
        "run_id", "error_code", "failing", "pending"
    ):
        pair = counts.setdefault(code, [0, 0])
        pair[0 if run_id == first_run_id else 1] += failing + pending
    grown = [CodeGrowth(code, first, last) for code, (first, last) in counts.items()]
    grown = [growth for growth in grown if growth.change > 0]
    grown.sort(key=lambda growth: (-growth.change, growth.error_code))
    return tuple(grown[:_GROWTH_SHOWN])


def trend_get(*, days: int, now: datetime | None = None) -> Trend:
    """Completed syncs of the last ``days`` days with their totals, oldest first."""
    now = now or timezone.now()
    runs = ScanRun.objects.filter(
        status=ScanStatus.COMPLETED, finished_at__gte=now - timedelta(days=days)
    )
    # A sync that left nothing failing has no points: it counts as 0, not absent.
    totals = {
        row["run_id"]: (row["failing"], row["pending"])
        for row in SyncTrendPoint.objects.filter(run__in=runs.values("pk"))
        .values("run_id")
        .annotate(failing=Sum("failing"), pending=Sum("pending"))
        .order_by()
    }
    syncs = [
        TrendSync(run_id, finished_at, *totals.get(run_id, (0, 0)))
        for run_id, finished_at in runs.order_by("finished_at", "pk").values_list(
            "pk", "finished_at"
        )
    ]
    daily = len(syncs) > _MOST_POINTS
    if daily:
        syncs = _each_days_last(syncs)
    highest = max((max(sync.failing, sync.pending) for sync in syncs), default=0)
    grew_most = _growth(syncs[0].run_id, syncs[-1].run_id) if len(syncs) > 1 else ()
    return Trend(days, tuple(_placed(syncs, highest)), grew_most, daily, highest)


# A trend changes only when a sync completes (and, slowly, as the period's start moves on):
# 90 days of hourly syncs took ~100 ms to read, so the report reuses it for a few minutes.
_CACHE_SECONDS = 300


def trend_get_cached(*, days: int) -> Trend:
    """``trend_get``, remembered per period and latest completed sync for a few minutes.

    A cache that fails (Redis down) costs only the saving.
    """
    latest = (
        ScanRun.objects.filter(status=ScanStatus.COMPLETED)
        .order_by("-pk")
        .values_list("pk", "finished_at")
        .first()
    )
    stamp = f"{latest[0]}:{latest[1].timestamp()}" if latest else "none"
    key = f"failed_bindings:trend:{days}:{stamp}"
    try:
        trend = cache.get(key)
    except Exception:  # noqa: BLE001 (any cache failure: compute instead)
        return trend_get(days=days)
    if trend is None:
        trend = trend_get(days=days)
        try:
            cache.set(key, trend, _CACHE_SECONDS)
        except Exception:  # noqa: BLE001, S110 (the page works without it)
            pass
    return trend


def trend_days_from(raw: str | None) -> tuple[int, str]:
    """The period asked for in the query (``trend_days``), and a correction to show if any."""
    if raw in (None, ""):
        return TREND_DEFAULT_DAYS, ""
    if raw.isdigit() and int(raw) in TREND_PERIODS:
        return int(raw), ""
    return TREND_DEFAULT_DAYS, str(
        _("The trend period “%(value)s” is not offered: showing the last %(days)s days.")
        % {"value": raw[:20], "days": TREND_DEFAULT_DAYS}
    )
