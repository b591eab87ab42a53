"""In the Django admin a user holds at most one role group (README, "Roles")."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def _change(client, user, *, groups: list[Group]):
    """Post the admin's user form as a person would: everything kept but the groups."""
    return client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": user.username,
            "is_active": "on",
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
            "groups": [group.pk for group in groups],
        },
    )


@pytest.fixture
def admin_client(client, role_users):
    client.force_login(role_users["admin"])
    return client


def test_a_second_role_group_is_refused_with_a_message(admin_client, role_users):
    user = role_users["finance"]
    roles = list(Group.objects.filter(name__in=["Finance", "Support"]))
    response = _change(admin_client, user, groups=roles)
    assert response.status_code == 200  # the form again, with the error
    assert "A user has one role: choose one of Finance, Support, not several." in (
        response.content.decode()
    )
    assert list(user.groups.values_list("name", flat=True)) == ["Finance"]


def test_one_role_and_other_groups_are_saved(admin_client, role_users):
    user = role_users["finance"]
    auditors = Group.objects.create(name="Auditors")
    support = Group.objects.get(name="Support")
    response = _change(admin_client, user, groups=[support, auditors])
    assert response.status_code == 302
    assert set(user.groups.values_list("name", flat=True)) == {"Support", "Auditors"}
