"""Create the Support, Finance and Admin groups with the dashboard's permissions.

Django creates permissions in ``post_migrate``, after every migration has run, so on a fresh
database they do not exist yet here: this migration creates the ones it grants.
Models added later are granted to Admin by ``accounts.roles.role_admin_permissions_sync``.
"""

from django.db import migrations

DASHBOARD_PERMISSIONS = {
    "view_customers": "Can view customers (list and detail)",
    "view_failed_bindings": "Can view the failed bindings report",
    "change_followup": "Can change follow-ups of failed bindings",
    "export_failed_bindings": "Can export failed bindings",
    "run_binding_scan": "Can start a failed bindings scan",
}
ROLE_PERMISSIONS = {
    "Support": ["view_customers"],
    "Finance": [
        "view_customers",
        "view_failed_bindings",
        "change_followup",
        "export_failed_bindings",
        # Finance owns the report, so it may refresh it ("Refresh now").
        "run_binding_scan",
    ],
    "Admin": list(DASHBOARD_PERMISSIONS),
}


def create_role_groups(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="customers_app", model="dashboardaccess"
    )
    permissions = {}
    for codename, name in DASHBOARD_PERMISSIONS.items():
        permissions[codename], _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*(permissions[codename] for codename in codenames))


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("customers_app", "0001_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
