"""``python manage.py scan_bindings``: rebuild the failed bindings report (for cron)."""

from django.core.management.base import BaseCommand, CommandError

from customers_app.bindings.scan import binding_scan_run
from customers_app.models import ScanStatus

__all__ = ["Command"]


class Command(BaseCommand):
    help = "Scan every Wonder customer for failed or pending default card bindings."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--concurrency",
            type=int,
            default=None,
            help="pages in flight at once (default: BINDING_SCAN_CONCURRENCY)",
        )

    def handle(self, *args, concurrency: int | None = None, **options) -> None:
        """Run one scan and wait; exit non-zero when it fails, so cron reports it."""
        if concurrency is not None and concurrency < 1:
            raise CommandError("--concurrency must be at least 1.")
        run = binding_scan_run(trigger="command", concurrency=concurrency)
        if run.status == ScanStatus.RUNNING:
            self.stdout.write(
                f"Scan {run.pk} is already running (started {run.started_at:%Y-%m-%d %H:%M}); "
                "not starting another."
            )
            return
        if run.status == ScanStatus.FAILED:
            raise CommandError(f"Scan {run.pk} failed: {run.error}")
        self.stdout.write(
            f"Scan {run.pk} completed: {run.customers_seen} customers, "
            f"{run.failures_found} failing or pending bindings, "
            f"{run.upstream_requests} requests to Wonder."
        )
