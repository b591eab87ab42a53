"""The three roles (Django groups) and what each may do.

The groups are created by a data migration (``customers_app`` 0002); this module keeps the
Admin group complete afterwards: every ``post_migrate`` grants it the permissions of models
added since (error code notes, follow-ups, ...), so no migration has to remember to.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

__all__ = [
    "ADMIN_APP_LABELS",
    "ROLE_ADMIN",
    "ROLE_FINANCE",
    "ROLE_GROUP_NAMES",
    "ROLE_SUPPORT",
    "role_admin_permissions_sync",
]

ROLE_SUPPORT = "Support"
ROLE_FINANCE = "Finance"
ROLE_ADMIN = "Admin"
# --role value of `manage.py create_user` -> group name.
ROLE_GROUP_NAMES = {"support": ROLE_SUPPORT, "finance": ROLE_FINANCE, "admin": ROLE_ADMIN}

# Admin holds every permission of these apps: users and groups, the audit log, lockouts
# (axes), and all of the dashboard's own models.
ADMIN_APP_LABELS = ("auth", "accounts", "axes", "customers_app")


def role_admin_permissions_sync() -> int:
    """Grant the Admin group every permission of ``ADMIN_APP_LABELS``; returns how many.

    Does nothing before the data migration has created the group.
    """
    group = Group.objects.filter(name=ROLE_ADMIN).first()
    if group is None:
        return 0
    query = Q()
    for app_label in ADMIN_APP_LABELS:
        query |= Q(content_type__app_label=app_label)
    permissions = list(Permission.objects.filter(query))
    group.permissions.add(*permissions)
    return len(permissions)
