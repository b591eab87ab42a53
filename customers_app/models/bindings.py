"""The failed bindings report: one row per failing default token, follow-ups, error-code
notes and exports."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Concat, Replace
from django.utils.translation import gettext_lazy as _

from customers_app.models.sync import ScanRun

__all__ = [
    "BindingExport",
    "ErrorCodeNote",
    "FailedBinding",
    "FollowUpChange",
    "FollowUpStatus",
    "error_code_normalise",
]


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
    # When a sync last saw it failing, and which sync. Both empty while it still fails:
    # then the latest complete sync saw it (the report shows that sync's time), and no
    # sync rewrites every still-failing row (120,000 at a million customers, 5 s of each
    # sync: bench/README.md) only to say so. Filled in when it stops failing.
    last_seen_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    last_scan = models.ForeignKey(
        ScanRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
        # Still failing (no last seen: seen by the latest sync) first, then the rest by when
        # they were last seen failing; PostgreSQL reads it from fb_current_seen.
        ordering = [models.F("last_seen_at").desc(nulls_first=True), "pk"]
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
