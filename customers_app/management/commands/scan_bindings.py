"""``python manage.py scan_bindings``: rebuild the failed bindings report (for cron)."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from customers_app.bindings.scan import binding_scan_run
from customers_app.models import ScanStatus
from ui.command_language import TranslatedCommand

__all__ = ["Command"]


class Command(TranslatedCommand):
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
            raise CommandError(_("--concurrency must be at least 1."))
        run = binding_scan_run(trigger="command", concurrency=concurrency)
        if run.status == ScanStatus.RUNNING:
            self.stdout.write(
                _("Scan %(scan)s is already running (started %(started)s); not starting another.")
                % {"scan": run.pk, "started": f"{run.started_at:%Y-%m-%d %H:%M}"}
            )
            return
        if run.status == ScanStatus.FAILED:
            raise CommandError(
                _("Scan %(scan)s failed: %(error)s") % {"scan": run.pk, "error": run.error}
            )
        self.stdout.write(
            _(
                "Scan %(scan)s completed: %(customers)s customers, %(failures)s failing or "
                "pending bindings, %(requests)s requests to Wonder."
            )
            % {
                "scan": run.pk,
                "customers": run.customers_seen,
                "failures": run.failures_found,
                "requests": run.upstream_requests,
            }
        )
