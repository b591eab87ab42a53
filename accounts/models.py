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

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # Kept as text as well as a link: the event must still say who after a user is deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target = models.CharField(
        _("target"),
        max_length=255,
        blank=True,
        help_text=_("Customer uuid, report filters or username."),
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    client_ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        default_permissions = ("view",)
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        permissions = [("export_auditevent", "Can export audit events")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action}"


class UserLanguage(models.Model):
    """The language a user chose with the header's switch, applied at each login on any
    device (accounts/languages.py). Users who never chose have no row: their browser's
    language decides."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="language_choice",
    )
    language_code = models.CharField(_("language"), max_length=16)
    chosen_at = models.DateTimeField(_("chosen at"), auto_now=True)

    class Meta:
        default_permissions = ()
        verbose_name = _("language choice")
        verbose_name_plural = _("language choices")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language_code}"
