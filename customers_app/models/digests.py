"""Finance digests and the report's trend: subscriptions, deliveries, per-sync figures."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers_app.models.sync import ScanRun

__all__ = [
    "DeliveryStatus",
    "DigestChannel",
    "DigestDelivery",
    "DigestFrequency",
    "DigestKind",
    "DigestSubscription",
    "SyncTrendPoint",
]


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
