"""Users in each role, made from the groups the data migration created."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "a-long-test-password-9"


def make_user(username: str, role: str | None):
    """A user in the named group (Support, Finance, Admin) or in none; Admin is staff."""
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, is_staff=role == "Admin"
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def role_users(db):
    """One user per role, plus one with no role, keyed by role."""
    return {
        "none": make_user("norole", None),
        "support": make_user("support1", "Support"),
        "finance": make_user("finance1", "Finance"),
        "admin": make_user("admin1", "Admin"),
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing takes ~0.3 s per password; these tests are about access, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
