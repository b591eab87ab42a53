"""``python manage.py sync_customers``: sync every Wonder customer into the dashboard.

In the foreground by default (cron, tests: exits non-zero when the sync fails, with a
one-line summary); ``--enqueue`` queues it for the ``db_worker`` processes and returns;
``--enqueue --wait`` waits for that sync's outcome.
"""

import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from customers_app.models import ScanRun, ScanStatus
from customers_app.sync.runs import sync_enqueue, sync_expire_stale, sync_run
from ui.command_language import TranslatedCommand

__all__ = ["Command"]


class Command(TranslatedCommand):
    help = "Sync every Wonder customer into the customer index and the failed bindings report."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the sync for the db_worker processes and return (joins an active one)",
        )
        parser.add_argument(
            "--wait",
            action="store_true",
            help="with --enqueue: wait for the sync to finish; exit non-zero if it fails",
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            default=None,
            help="foreground only: pages in flight at once (default: SYNC_CONCURRENCY)",
        )
        parser.add_argument(
            "--partitions",
            type=int,
            default=None,
            help="foreground only: partitions to split the walk into (default: SYNC_PARTITIONS)",
        )

    def handle(
        self,
        *args,
        enqueue: bool = False,
        wait: bool = False,
        concurrency: int | None = None,
        partitions: int | None = None,
        **options,
    ) -> None:
        if concurrency is not None and concurrency < 1:
            raise CommandError(_("--concurrency must be at least 1."))
        if partitions is not None and partitions < 1:
            raise CommandError(_("--partitions must be at least 1."))
        if wait and not enqueue:
            raise CommandError(_("--wait goes with --enqueue (without it the sync runs here)."))
        if enqueue:
            run, created = sync_enqueue(trigger="command")
            if not wait:
                message = (
                    _("Sync %(id)s queued for the workers.")
                    if created
                    else _("Sync %(id)s is already active; joined it.")
                )
                self.stdout.write(message % {"id": run.pk})
                return
            run = self._wait_for(run)
        else:
            run = sync_run(trigger="command", concurrency=concurrency, partitions=partitions)
            if run.status in (ScanStatus.QUEUED, ScanStatus.RUNNING):
                self.stdout.write(
                    _("Sync %(id)s is already %(status)s (since %(since)s); not starting another.")
                    % {
                        "id": run.pk,
                        "status": run.get_status_display(),
                        "since": f"{run.started_at:%Y-%m-%d %H:%M}",
                    }
                )
                return
        if run.status == ScanStatus.FAILED:
            raise CommandError(
                _("Sync %(id)s failed: %(reason)s") % {"id": run.pk, "reason": run.failure_reason}
            )
        self.stdout.write(
            _(
                "Sync %(id)s completed: %(customers)s customers, %(failing)s failing or pending "
                "bindings, %(pages)s pages, %(rows)s rows written."
            )
            % {
                "id": run.pk,
                "customers": run.customers_seen,
                "failing": run.failures_found,
                "pages": run.pages_done,
                "rows": run.rows_written,
            }
        )

    def _wait_for(self, run: ScanRun) -> ScanRun:
        while run.status in (ScanStatus.QUEUED, ScanStatus.RUNNING):
            time.sleep(0.5)
            # A worker that died mid-sync is noticed here too, so the wait ends.
            sync_expire_stale()
            run.refresh_from_db()
        return run
