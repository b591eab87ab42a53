"""Who gets which digest: after a sync, and once a day at each subscriber's hour.

These decide and record deliveries (``DigestDelivery`` rows, one per recipient and covered
sync, so running a plan twice plans nothing twice); ``tasks.py`` then sends each one.

Daily digests: a ``digest_daily_check`` task runs at the top of every hour and serves the
subscribers whose hour has come today (``daily_done_on`` keeps it to once a day, and a check
that ran late, after a worker outage, still serves the day). It re-enqueues itself for the
next hour with ``run_after``; every completed sync and every saved subscription also makes
sure one is waiting (``daily_check_ensure_scheduled``), so the chain restarts by itself if
a check was ever lost. No separate scheduler process is needed beside the workers.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from customers_app.digests.content import digest_new_row_count, first_completed_run_id
from customers_app.digests.delivery import webhook_recipient
from customers_app.models import (
    DigestChannel,
    DigestDelivery,
    DigestFrequency,
    DigestKind,
    DigestSubscription,
    ScanRun,
    ScanStatus,
)

__all__ = [
    "daily_check_due_at",
    "digest_daily_plan",
    "digest_sync_plan",
]

logger = logging.getLogger(__name__)

# Who may receive a digest: what it shows is the failed bindings report's.
_REPORT_PERMISSION = "customers_app.view_failed_bindings"


def _may_receive(user) -> bool:
    return user.is_active and bool(user.email) and user.has_perm(_REPORT_PERMISSION)


def _delivery_for(
    *, channel: str, kind: str, user, recipient: str, first_run_id: int, last_run_id: int
) -> DigestDelivery | None:
    """A new delivery, or None when this one was planned already."""
    try:
        with transaction.atomic():
            return DigestDelivery.objects.create(
                channel=channel,
                kind=kind,
                user=user,
                recipient=recipient[:254],
                first_run_id=first_run_id,
                last_run_id=last_run_id,
            )
    except IntegrityError:
        return None


def digest_sync_plan(*, run_id: int, webhook: bool) -> list[int]:
    """The deliveries of the digest after sync ``run_id``: one per "every sync" subscriber
    allowed to see the report, and the webhook's. None when the sync found nothing new."""
    run = ScanRun.objects.filter(pk=run_id, status=ScanStatus.COMPLETED).first()
    if run is None:
        return []
    if digest_new_row_count(first_run_id=run_id, last_run_id=run_id) == 0:
        logger.info("sync %s found no new failing bindings: no digest", run_id)
        return []
    subscriptions = DigestSubscription.objects.filter(
        frequency=DigestFrequency.EVERY_SYNC
    ).select_related("user")
    planned = []
    for subscription in subscriptions:
        user = subscription.user
        if not _may_receive(user):
            continue
        delivery = _delivery_for(
            channel=DigestChannel.EMAIL,
            kind=DigestKind.SYNC,
            user=user,
            recipient=user.email,
            first_run_id=run_id,
            last_run_id=run_id,
        )
        if delivery is not None:
            planned.append(delivery.pk)
    if webhook:
        delivery = _delivery_for(
            channel=DigestChannel.WEBHOOK,
            kind=DigestKind.SYNC,
            user=None,
            recipient=webhook_recipient(),
            first_run_id=run_id,
            last_run_id=run_id,
        )
        if delivery is not None:
            planned.append(delivery.pk)
    return planned


def _daily_first_run_id(subscription: DigestSubscription, now: datetime) -> int:
    """The first sync a daily digest covers: the one after the last digest's, or, for a
    first digest, the first sync of the last 24 hours."""
    if subscription.daily_covered_run_id is not None:
        return subscription.daily_covered_run_id + 1
    since = now - timedelta(hours=24)
    first = (
        ScanRun.objects.filter(status=ScanStatus.COMPLETED, finished_at__gte=since)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return first if first is not None else (first_completed_run_id() or 0) + 1


def digest_daily_plan(*, now: datetime | None = None) -> list[int]:
    """The daily deliveries due now: subscribers whose hour has come and who have not been
    served today, with what is new in the syncs since their last daily digest."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    latest = (
        ScanRun.objects.filter(status=ScanStatus.COMPLETED).order_by("-pk").values("pk").first()
    )
    due = (
        DigestSubscription.objects.filter(
            frequency=DigestFrequency.DAILY, daily_hour__lte=local.hour
        )
        .filter(Q(daily_done_on__isnull=True) | Q(daily_done_on__lt=local.date()))
        .select_related("user")
    )
    planned = []
    for subscription in due:
        user = subscription.user
        if latest is not None and _may_receive(user):
            first_run_id = _daily_first_run_id(subscription, now)
            last_run_id = latest["pk"]
            if first_run_id <= last_run_id and digest_new_row_count(
                first_run_id=first_run_id, last_run_id=last_run_id
            ):
                delivery = _delivery_for(
                    channel=DigestChannel.EMAIL,
                    kind=DigestKind.DAILY,
                    user=user,
                    recipient=user.email,
                    first_run_id=first_run_id,
                    last_run_id=last_run_id,
                )
                if delivery is not None:
                    planned.append(delivery.pk)
        DigestSubscription.objects.filter(pk=subscription.pk).update(
            daily_done_on=local.date(),
            daily_covered_run_id=latest["pk"] if latest else subscription.daily_covered_run_id,
        )
    return planned


def daily_check_due_at(*, now: datetime | None = None) -> datetime:
    """The next top of the hour (a few seconds past it, so the hour has surely begun)."""
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return hour + timedelta(seconds=5)
