"""The audit trail: who did what to which customer or report, when, from where."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["AuditEvent", "UserLanguage"]


class AuditEvent(models.Model):
    """One recorded action. Rows are only ever added; the admin shows them read-only."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")
        DENIED = "denied", _("Denied")
        # A customer looked up (by uuid or reference) that Wonder does not know.
        NOT_FOUND = "not_found", _("Not found")

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Kept as text as well as a link: the event must still say who after a user is deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(max_length=150, blank=True, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    target = models.CharField(
        max_length=255, blank=True, help_text="Customer uuid, report filters or username."
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=36, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        default_permissions = ("view",)
        permissions = [("export_auditevent", "Can export audit events")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action}"


class UserLanguage(models.Model):
    """The language a user chose with the header's switch, applied at each login on any
    device (accounts/languages.py). Users who never chose have no row: their browser's
    language decides."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_choice"
    )
    language_code = models.CharField(max_length=16)
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language_code}"
