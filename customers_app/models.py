"""Database models of the customers app.

Customer data itself is read from Wonder on each request. What lives here is what the
dashboard owns: its permissions, and the failed bindings report built by scanning Wonder
(scan runs, the failing bindings found, finance's follow-up on them, error code notes and a
record of every export).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Concat, Replace
from django.utils.translation import gettext_lazy as _

__all__ = [
    "BindingExport",
    "DashboardAccess",
    "DeliveryStatus",
    "DigestChannel",
    "DigestDelivery",
    "DigestFrequency",
    "DigestKind",
    "DigestSubscription",
    "ErrorCodeNote",
    "error_code_normalise",
    "FailedBinding",
    "FollowUpChange",
    "FollowUpStatus",
    "IndexedCustomer",
    "ScanRun",
    "ScanStatus",
    "StagedCustomer",
    "SyncPartition",
    "SyncTrendPoint",
    "TablePreference",
]


class DashboardAccess(models.Model):
    """Holds the dashboard's permissions; it has no rows and no table.

    Roles (groups) are granted these, and every view checks one on the server.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_customers", "Can view customers (list and detail)"),
            ("view_failed_bindings", "Can view the failed bindings report"),
            ("change_followup", "Can change follow-ups of failed bindings"),
            ("export_failed_bindings", "Can export failed bindings"),
            ("run_binding_scan", "Can start a failed bindings scan"),
        ]

    def __str__(self) -> str:
        return "Dashboard access"


class TablePreference(models.Model):
    """The columns one user chose to see in one table (see ``column_choice``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="table_preferences"
    )
    # Names the table, not the page: two pages showing the same table share the choice.
    table_key = models.CharField(max_length=100)
    # Column names in the table's own order; unknown names are ignored when read.
    columns = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "table_key"], name="one_preference_per_table")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.table_key}"


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
    # A digest of the fields above, so a sync rewrites only the rows whose content changed.
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
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
    fingerprint = models.CharField(max_length=64)
    # The failed bindings report's card column (masked: first 6 / last 4 at most).
    card_number = models.CharField(max_length=32, blank=True)
    binding_problem = models.BooleanField(default=False)

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["run", "uuid"], name="staged_run_uuid")]

    def __str__(self) -> str:
        return f"Sync {self.run_id}: {self.reference_number}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONTACTED = "contacted", _("Contacted")
    RESOLVED = "resolved", _("Resolved")


class FailedBinding(models.Model):
    """A customer whose default token failed to bind (or waits in 3-D Secure), as last seen.

    One row per customer, kept when the binding stops failing (``resolved_at`` is set) so
    finance's follow-up history is not lost.
    """

    uuid = models.CharField("Wonder uuid", max_length=64, unique=True)
    reference_number = models.CharField(max_length=200)
    name = models.CharField(max_length=300, blank=True)
    email = models.CharField(max_length=300, blank=True)
    dial_code = models.CharField(max_length=16, blank=True)
    phone = models.CharField(max_length=64, blank=True)
    # Dial code and number as one run of digits ("+852", "6589 8353" -> "85265898353"), for
    # the report's search: the Phone column's text, the number with or without its dial
    # code, or any part of it, all come down to digits contained in this. Kept by the
    # database itself, so every writer (the scan's raw INSERT/COPY included) fills it, and
    # searching 50,000 rows reads one short column instead of computing it for each row.
    phone_digits = models.GeneratedField(
        expression=Concat(
            Replace("dial_code", models.Value("+")),
            Replace(Replace("phone", models.Value(" ")), models.Value("-")),
        ),
        output_field=models.CharField(max_length=80),
        db_persist=True,
    )
    linked_source_type = models.CharField("Source type", max_length=16)
    token_type = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=64, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    # Masked by the client: at most the first 6 and last 4 digits.
    card_number = models.CharField("Card", max_length=32, blank=True)
    card_brand = models.CharField(max_length=64, blank=True)
    # A digest of the fields above, so a re-scan only rewrites rows that changed.
    fingerprint = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    last_scan = models.ForeignKey(ScanRun, on_delete=models.PROTECT, related_name="+")
    # The scan that found it failing after it was not (new, or failing again after resolving).
    new_in_scan = models.ForeignKey(ScanRun, on_delete=models.PROTECT, related_name="+")
    followup_status = models.CharField(
        "Follow-up", max_length=16, choices=FollowUpStatus, default=FollowUpStatus.OPEN
    )
    followup_note = models.TextField(blank=True)
    followup_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    followup_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "pk"]
        default_permissions = ()
        # Every report query starts from "still failing" (resolved_at null) or its opposite,
        # so each index leads with resolved_at. The summary's GROUP BYs and the filters'
        # distinct values are then read from an index, not the whole table, and the default
        # and usual sort orders come out of an index instead of sorting 50,000 rows.
        indexes = [
            models.Index(fields=["resolved_at", "error_code", "state"], name="fb_current_code"),
            models.Index(fields=["resolved_at", "token_type"], name="fb_current_type"),
            models.Index(fields=["resolved_at", "-last_seen_at", "id"], name="fb_current_seen"),
            models.Index(fields=["resolved_at", "first_seen_at"], name="fb_current_first_seen"),
            models.Index(fields=["state"], name="fb_state"),
            models.Index(fields=["card_brand"], name="fb_card_brand"),
            models.Index(fields=["token_type"], name="fb_token_type"),
            models.Index(fields=["error_code"], name="fb_error_code"),
        ]

    def __str__(self) -> str:
        return f"{self.reference_number} ({self.state})"

    @property
    def phone_display(self) -> str:
        return " ".join(part for part in (self.dial_code, self.phone) if part)


class FollowUpChange(models.Model):
    """Every follow-up change, so who said what, and when, outlives the next edit."""

    binding = models.ForeignKey(FailedBinding, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=16, choices=FollowUpStatus)
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.binding_id}: {self.status}"


def error_code_normalise(code: str) -> str:
    """``" e200110 "`` -> ``"E200110"``: how an error code note's code is stored and matched.

    Wonder's codes are upper-case letters and digits (``E200110``, ``51``, ``05``), so case
    never tells two codes apart, while leading zeros do (``05`` is not ``5``): only spaces
    around the code and its case are dropped. The report compares a row's code the same
    way (``binding_report.failed_binding_queryset``).
    """
    return code.strip().upper()


class ErrorCodeNote(models.Model):
    """What a Wonder bind error code means, in plain words, and what finance does next.

    Written by admins from Wonder's answers; the dashboard never invents a meaning. The
    code is stored normalised (``error_code_normalise``), so one typed as ``e200110``
    still matches the rows it is meant for, and cannot be entered twice.
    """

    code = models.CharField(_("error code"), max_length=64, unique=True)
    meaning = models.TextField(_("what it means"))
    next_step = models.TextField(_("next step"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("error code note")
        verbose_name_plural = _("error code notes")

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs) -> None:
        """Normalise the code however the note was made (admin, shell, fixture)."""
        self.code = error_code_normalise(self.code)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Normalise the code before the uniqueness check, so a duplicate is caught as one."""
        self.code = error_code_normalise(self.code)


class BindingExport(models.Model):
    """Who exported which failed bindings, when, how many rows and with which filters."""

    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exported_at = models.DateTimeField(_("exported at"), auto_now_add=True)
    file_format = models.CharField(_("file format"), max_length=8)
    filters = models.JSONField(_("filters"), default=dict)
    row_count = models.PositiveIntegerField(_("rows"))
    truncated = models.BooleanField(_("cut short"), default=False)

    class Meta:
        ordering = ["-exported_at", "-pk"]
        default_permissions = ("view",)
        verbose_name = _("failed bindings export")
        verbose_name_plural = _("failed bindings exports")

    def __str__(self) -> str:
        return f"{self.file_format} export of {self.row_count} rows"


class SyncTrendPoint(models.Model):
    """How many bindings one completed sync left failing and pending, for one error code.

    One row per sync and error code (the report's trend), written when the sync completes
    (``digests/trend.py``): a compact history instead of a copy of every binding per sync.
    A sync that left nothing failing has no rows; the trend reads it as zero.
    """

    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="trend_points")
    # As Wonder sent it; blank for a pending binding that carries no code.
    error_code = models.CharField(max_length=64, blank=True)
    failing = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "error_code"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["run", "error_code"], name="one_trend_point_per_code")
        ]

    def __str__(self) -> str:
        return f"Sync {self.run_id} / {self.error_code or '-'}: {self.failing} + {self.pending}"


class DigestFrequency(models.TextChoices):
    OFF = "off", _("Off")
    EVERY_SYNC = "every_sync", _("After every sync that finds new failures")
    DAILY = "daily", _("Once a day, at the hour I choose")


class DigestSubscription(models.Model):
    """One user's choice of failed-binding digests by email (none until they choose one)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription"
    )
    frequency = models.CharField(
        max_length=16, choices=DigestFrequency, default=DigestFrequency.OFF
    )
    # Local hour (TIME_ZONE) of the daily digest, 0-23.
    daily_hour = models.PositiveSmallIntegerField(default=9, validators=[MaxValueValidator(23)])
    # The newest sync the last daily digest covered: the next one starts after it.
    daily_covered_run = models.ForeignKey(
        ScanRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The local day the daily digest was last worked out for this user (sent or not).
    daily_done_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user} / {self.frequency}"


class DigestChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Webhook")


class DigestKind(models.TextChoices):
    SYNC = "sync", _("After a sync")
    DAILY = "daily", _("Daily")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up")


class DigestDelivery(models.Model):
    """One digest to one recipient, and how sending it went (every attempt counted).

    The digest covers the bindings new in syncs ``first_run`` to ``last_run`` (ids, both
    included) that still fail when it is sent. Unique per recipient and covered sync, so a
    task run twice never mails twice.
    """

    channel = models.CharField(_("channel"), max_length=16, choices=DigestChannel)
    kind = models.CharField(_("kind"), max_length=16, choices=DigestKind)
    # Null for the webhook; kept as text too (the address or the webhook's host).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    recipient = models.CharField(_("recipient"), max_length=254)
    first_run = models.ForeignKey(
        ScanRun, verbose_name=_("first sync"), on_delete=models.PROTECT, related_name="+"
    )
    last_run = models.ForeignKey(
        ScanRun, verbose_name=_("last sync"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # How many bindings the digest counted when it was (last) built.
    row_count = models.PositiveIntegerField(_("bindings"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "kind", "user", "last_run"],
                condition=Q(user__isnull=False),
                name="one_digest_per_user_and_sync",
            ),
            models.UniqueConstraint(
                fields=["channel", "kind", "last_run"],
                condition=Q(user__isnull=True),
                name="one_webhook_digest_per_sync",
            ),
        ]

    def __str__(self) -> str:
        return _("Digest by %(channel)s to %(recipient)s (%(status)s)") % {
            "channel": self.get_channel_display(),
            "recipient": self.recipient,
            "status": self.get_status_display(),
        }
