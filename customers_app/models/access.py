"""Who may open which page, and each user's table columns."""

from django.conf import settings
from django.db import models

__all__ = [
    "DashboardAccess",
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
