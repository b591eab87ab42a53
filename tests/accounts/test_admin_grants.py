"""Only a superuser may make someone a superuser or grant single permissions in the admin,
and every change to a user's access is audited (audit finding 5)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from accounts.models import AuditEvent
from tests.accounts.conftest import totp_secret_set

pytestmark = pytest.mark.django_db


def _post_change(client, user, **fields):
    """Post the admin's user form as a person (or a forged request) would."""
    data = {
        "username": user.username,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "groups": [group.pk for group in user.groups.all()],
        **fields,
    }
    return client.post(f"/admin/auth/user/{user.pk}/change/", data)


@pytest.fixture
def admin_role_client(client, role_users):
    """An admin by role: staff in the Admin group, not a superuser."""
    client.force_login(role_users["admin"])
    return client


@pytest.fixture
def superuser_client(client, db):
    # A superuser counts as an admin: without a second factor it could open only its set-up.
    root = get_user_model().objects.create_superuser("root", password=None)
    totp_secret_set(root)
    client.force_login(root)
    return client


def _export_permission() -> Permission:
    return Permission.objects.get(codename="export_auditevent")


def test_an_admin_by_role_sees_no_superuser_box_and_no_single_permissions(
    admin_role_client, role_users
):
    page = admin_role_client.get(f"/admin/auth/user/{role_users['finance'].pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="is_superuser"' not in html
    assert 'name="user_permissions"' not in html
    assert 'name="groups"' in html  # roles are still theirs to give


@pytest.mark.parametrize("whom", ["finance", "admin"])
def test_an_admin_by_role_cannot_grant_superuser_or_single_permissions(
    admin_role_client, role_users, whom
):
    user = role_users[whom]
    response = _post_change(
        admin_role_client,
        user,
        is_staff="on" if user.is_staff else "",
        is_superuser="on",
        user_permissions=[_export_permission().pk],
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_superuser
    assert not user.user_permissions.exists()


def test_an_admin_by_role_cannot_change_a_superuser(admin_role_client, db):
    root = get_user_model().objects.create_superuser("root", password=None)
    response = _post_change(admin_role_client, root, is_staff="on", is_superuser="")
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.is_superuser and root.is_active


def test_a_superuser_may_grant_both_and_the_grant_is_audited(superuser_client, role_users):
    user = role_users["finance"]
    response = _post_change(
        superuser_client, user, is_superuser="on", user_permissions=[_export_permission().pk]
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_superuser
    assert list(user.user_permissions.values_list("codename", flat=True)) == ["export_auditevent"]
    event = AuditEvent.objects.get(action="admin.user_access")
    assert event.username == "root"
    assert event.target == "user:finance1"
    assert event.detail["changed"] == ["is_superuser", "user_permissions"]
    assert event.detail["is_superuser"] is True
    assert event.detail["user_permissions"] == ["accounts.export_auditevent"]


def test_a_role_change_by_an_admin_is_audited(admin_role_client, role_users):
    user = role_users["finance"]
    response = _post_change(admin_role_client, user, groups=[Group.objects.get(name="Support").pk])
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.user_access")
    assert event.username == "admin1"
    assert event.detail["changed"] == ["groups"]
    assert event.detail["groups"] == ["Support"]
