"""The audit trail: who did what to which customer or report, when, from where."""

from django.conf import settings
from django.db import models

__all__ = ["AuditEvent"]


class AuditEvent(models.Model):
    """One recorded action. Rows are only ever added; the admin shows them read-only."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", "Success"
        FAILURE = "failure", "Failure"
        DENIED = "denied", "Denied"
        # A customer looked up (by uuid or reference) that Wonder does not know.
        NOT_FOUND = "not_found", "Not found"

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
