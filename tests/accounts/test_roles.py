"""The role groups on a fresh database, and `manage.py create_user`."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def _codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_support_may_only_view_customers():
    assert _codenames("Support") == {("customers_app", "view_customers")}


def test_finance_adds_the_failed_bindings_report_follow_ups_exports_and_refresh():
    assert _codenames("Finance") == {
        ("customers_app", "view_customers"),
        ("customers_app", "view_failed_bindings"),
        ("customers_app", "change_followup"),
        ("customers_app", "export_failed_bindings"),
        ("customers_app", "run_binding_scan"),
    }


def test_admin_has_everything_including_users_and_the_audit_log():
    codenames = _codenames("Admin")
    assert ("customers_app", "run_binding_scan") in codenames
    assert ("auth", "change_user") in codenames
    assert ("accounts", "view_auditevent") in codenames
    assert ("accounts", "export_auditevent") in codenames
    assert ("axes", "delete_accessattempt") in codenames  # unlocking a locked-out user


def _password_file(tmp_path, password: str):
    path = tmp_path / "password"
    path.write_text(password + "\n")
    return str(path)


def test_create_user_puts_the_user_in_the_role(tmp_path):
    call_command(
        "create_user",
        "mei",
        "--role",
        "finance",
        "--password-file",
        _password_file(tmp_path, "correct horse battery"),
    )
    user = get_user_model().objects.get(username="mei")
    assert list(user.groups.values_list("name", flat=True)) == ["Finance"]
    assert user.check_password("correct horse battery")
    assert not user.is_staff
    assert user.has_perm("customers_app.export_failed_bindings")


def test_create_user_admin_can_use_the_django_admin(tmp_path):
    call_command(
        "create_user",
        "boss",
        "--role",
        "admin",
        "--password-file",
        _password_file(tmp_path, "correct horse battery"),
    )
    assert get_user_model().objects.get(username="boss").is_staff


@pytest.mark.parametrize("password", ["short1", "password1234", "123456789012345"])
def test_create_user_refuses_weak_passwords(tmp_path, password):
    with pytest.raises(CommandError, match="Password refused"):
        call_command(
            "create_user",
            "weak",
            "--role",
            "support",
            "--password-file",
            _password_file(tmp_path, password),
        )
    assert not get_user_model().objects.filter(username="weak").exists()


def test_create_user_refuses_an_unknown_role_and_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("create_user", "x", "--role", "root", "--password-file", "/nope")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "create_user", "x", "--role", "support", "--password-file", str(tmp_path / "none")
        )


@pytest.mark.parametrize(
    ("role", "header_links"),
    [
        ("support", ["Customers"]),
        ("finance", ["Customers", "Failed bindings", "My notifications"]),
        ("admin", ["Customers", "Failed bindings", "My notifications", "Audit log", "Admin"]),
    ],
)
def test_the_header_links_each_role_to_its_pages(client, role_users, role, header_links):
    client.force_login(role_users[role])
    html = client.get("/customers/").content.decode()
    header = html[html.index('<nav class="navbar') : html.index("</nav>")]
    shown = re.findall(r'<a class="nav-link text-light[^"]*" href="[^"]+">([^<]+)</a>', header)
    assert shown == header_links
