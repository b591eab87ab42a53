"""Database models of the customers app.

Customer data itself is not stored: it is read from Wonder on each request. What lives here
is what the dashboard owns.
"""

from django.db import models

__all__ = ["DashboardAccess"]


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
