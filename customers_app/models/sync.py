"""The customer sync: its runs, partitions and staging rows, and the customer index it fills."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ACTIVE_SCAN_STATUSES",
    "IndexedCustomer",
    "ScanRun",
    "ScanStatus",
    "StagedCustomer",
    "SyncPartition",
]


class ScanStatus(models.TextChoices):
    # Enqueued for the workers; no worker has started any of its partitions yet.
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")


# A sync that is queued or running: at most one at a time across every process.
ACTIVE_SCAN_STATUSES = ("queued", "running")


class ScanRun(models.Model):
    """One customer sync: a walk over every customer of both source types, and what it found.

    (Named for the failed bindings scan it grew out of; the admin calls it a sync.)
    """

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Touched while the scan works; a running scan whose heartbeat is old died with its process.
    heartbeat_at = models.DateTimeField(_("last sign of life"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ScanStatus, default=ScanStatus.RUNNING
    )
    trigger = models.CharField(_("started by"), max_length=16, default="command")
    customers_seen = models.PositiveIntegerField(_("customers seen"), default=0)
    # Sum of X-Total-Entries of both source types; null while (or if) Wonder does not send it.
    customers_expected = models.PositiveIntegerField(_("customers expected"), null=True, blank=True)
    failures_found = models.PositiveIntegerField(_("failures found"), default=0)
    upstream_requests = models.PositiveIntegerField(_("requests"), default=0)
    error = models.TextField(_("reason when failed"), blank=True)
    # What made it fail, as facts (customers_app/sync/failure.py): the page words them in
    # the reader's language; ``error`` is the same reason in English.
    failure = models.JSONField(_("failure"), default=dict, blank=True)
    # Who asked for it (the Refresh button's user; empty for cron, schedule and automatic).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Pages of customers read, and how many there are once X-Total-Entries is known.
    pages_done = models.PositiveIntegerField(_("pages read"), default=0)
    pages_expected = models.PositiveIntegerField(_("pages expected"), null=True, blank=True)
    # The walk is split into this many partition tasks (disjoint sets of pages).
    partitions = models.PositiveIntegerField(_("partitions"), default=1)
    partitions_done = models.PositiveIntegerField(_("partitions done"), default=0)
    # Rows inserted, changed or removed in the customer index and the failed bindings
    # report when the snapshot was made current.
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        # View only: the run history is shown to admins in /admin/, never edited there.
        default_permissions = ("view",)
        verbose_name = _("customer sync")
        verbose_name_plural = _("customer syncs")
        constraints = [
            # The database, not a process-local lock, guarantees one sync at a time across
            # every worker and web process: a second insert of an active sync fails.
            # Queued and running both read "active" here, so they count as one.
            models.UniqueConstraint(
                models.Case(
                    models.When(status__in=ACTIVE_SCAN_STATUSES, then=models.Value("active")),
                    default=models.F("status"),
                ),
                condition=Q(status__in=ACTIVE_SCAN_STATUSES),
                name="only_one_active_sync",
            )
        ]

    def __str__(self) -> str:
        return _("Sync %(id)s (%(status)s)") % {"id": self.pk, "status": self.get_status_display()}

    @property
    def failure_reason(self) -> str:
        """Why it failed, in the active language (``error`` for runs from before)."""
        from customers_app.sync.failure import failure_reason  # the models load first

        return failure_reason(self.failure, fallback=self.error)

    @property
    def is_queued(self) -> bool:
        return self.status == ScanStatus.QUEUED

    @property
    def progress_percent(self) -> int | None:
        if not self.customers_expected:
            return None
        return min(100, round(100 * self.customers_seen / self.customers_expected))


class IndexedCustomer(models.Model):
    """Every customer as the last complete sync saw it: what search reads, never Wonder.

    One row per Wonder uuid. Filled only by the sync (``customers_app/sync/``), which makes a
    whole new snapshot current at once; rows are never edited from the UI. Card data is what
    the client already masked: at most the first 6 and last 4 digits, never a token value.
    """

    uuid = models.CharField("Wonder uuid", max_length=64, unique=True)
    reference_number = models.CharField(_("reference number"), max_length=200)
    name = models.CharField(_("name"), max_length=300, blank=True)
    email = models.CharField(_("email"), max_length=300, blank=True)
    dial_code = models.CharField(_("dial code"), max_length=16, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    # The phone's digits alone ("6589 8353" -> "65898353") and with the dial code's in front
    # ("85265898353"): a customer reads their number either way, with any punctuation.
    phone_digits = models.CharField(_("phone digits"), max_length=64, blank=True)
    full_phone_digits = models.CharField(
        _("phone digits with dial code"), max_length=80, blank=True
    )
    linked_source_type = models.CharField(_("source type"), max_length=16)
    default_payment_method = models.CharField(
        _("default payment method"), max_length=64, blank=True
    )
    # The default payment token; all blank when the customer has none.
    token_type = models.CharField(_("token type"), max_length=64, blank=True)
    token_state = models.CharField(_("token state"), max_length=64, blank=True)
    token_is_default = models.BooleanField(_("default token"), null=True, blank=True)
    error_code = models.CharField(_("error code"), max_length=64, blank=True)
    error_message = models.CharField(_("Wonder's message"), max_length=500, blank=True)
    card_brand = models.CharField(_("card brand"), max_length=64, blank=True)
    card_first6 = models.CharField(_("card first 6 digits"), max_length=6, blank=True)
    card_last4 = models.CharField(_("card last 4 digits"), max_length=4, blank=True)
    # As Wonder sent them (strings; a card record does not promise numbers).
    card_exp_month = models.CharField(_("card expiry month"), max_length=8, blank=True)
    card_exp_year = models.CharField(_("card expiry year"), max_length=8, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"))
    # When the sync last wrote this row (first seen, or its content changed). A sync leaves
    # unchanged rows alone; every row here was seen by the last complete sync, whose time
    # is ``customers_app.sync.status.customer_index_as_of()``.
    last_seen_at = models.DateTimeField(_("last written"))

    class Meta:
        ordering = ["name", "pk"]
        default_permissions = ()
        verbose_name = _("indexed customer")
        verbose_name_plural = _("customer index")
        indexes = [
            models.Index(fields=["reference_number"], name="ic_reference"),
            models.Index(fields=["card_last4"], name="ic_card_last4"),
            models.Index(fields=["token_state", "error_code"], name="ic_state_code"),
        ]

    def __str__(self) -> str:
        return f"{self.reference_number} ({self.name})"

    @property
    def phone_display(self) -> str:
        return " ".join(part for part in (self.dial_code, self.phone) if part)


class SyncPartition(models.Model):
    """One of a sync's partition tasks: a disjoint set of pages, walked by one worker."""

    run = models.ForeignKey(
        ScanRun, verbose_name=_("sync"), on_delete=models.CASCADE, related_name="partition_set"
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=16, choices=ScanStatus, default=ScanStatus.QUEUED
    )
    # Touched while the partition works: a running partition whose heartbeat is old died
    # with its worker (django-tasks-db leaves such a task "running" for ever).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    pages_done = models.PositiveIntegerField(_("pages read"), default=0)
    customers_seen = models.PositiveIntegerField(_("customers seen"), default=0)
    worker = models.CharField(_("worker"), max_length=100, blank=True)

    class Meta:
        ordering = ["run", "number"]
        default_permissions = ()
        verbose_name = _("sync partition")
        verbose_name_plural = _("sync partitions")
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="one_row_per_sync_partition")
        ]

    def __str__(self) -> str:
        return _("Sync %(id)s partition %(number)s (%(status)s)") % {
            "id": self.run_id,
            "number": self.number,
            "status": self.get_status_display(),
        }


class StagedCustomer(models.Model):
    """A customer row a running sync has read, waiting for the snapshot to become current.

    Partitions write here as pages arrive (so writing overlaps walking); the last one to
    finish moves the rows into ``IndexedCustomer`` and the report in one transaction, and
    the rows are deleted. Nothing reads them but the sync. Same columns as the index, plus
    what the failed bindings report keeps (the masked card number) and whether it fails.
    """

    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="+", db_index=False)
    uuid = models.CharField(max_length=64)
    reference_number = models.CharField(max_length=200)
    name = models.CharField(max_length=300, blank=True)
    email = models.CharField(max_length=300, blank=True)
    dial_code = models.CharField(max_length=16, blank=True)
    phone = models.CharField(max_length=64, blank=True)
    phone_digits = models.CharField(max_length=64, blank=True)
    full_phone_digits = models.CharField(max_length=80, blank=True)
    linked_source_type = models.CharField(max_length=16)
    default_payment_method = models.CharField(max_length=64, blank=True)
    token_type = models.CharField(max_length=64, blank=True)
    token_state = models.CharField(max_length=64, blank=True)
    token_is_default = models.BooleanField(null=True, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    card_brand = models.CharField(max_length=64, blank=True)
    card_first6 = models.CharField(max_length=6, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    card_exp_month = models.CharField(max_length=8, blank=True)
    card_exp_year = models.CharField(max_length=8, blank=True)
    # The failed bindings report's card column (masked: first 6 / last 4 at most).
    card_number = models.CharField(max_length=32, blank=True)
    binding_problem = models.BooleanField(default=False)

    class Meta:
        default_permissions = ()
        # No index on uuid while rows stream in: inserting a million random uuids into a
        # B-tree cost more than half of SQLite's staging writes. The snapshot builds it
        # once, sorted, when it needs it (sync/snapshot.py).

    def __str__(self) -> str:
        return f"Sync {self.run_id}: {self.reference_number}"
