"""Users in each role, made from the groups the data migration created."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "a-long-test-password-9"
# Roles that need a second factor by default (MFA_REQUIRED_ROLES=admin,finance).
ROLES_WITH_SECOND_FACTOR = {"Finance", "Admin"}


def make_user(username: str, role: str | None, *, second_factor: bool | None = None):
    """A user in the named group (Support, Finance, Admin) or in none; Admin is staff.

    Finance and Admin users have an authenticator app already, unless ``second_factor``
    says otherwise: without one they could open nothing but its set-up page.
    """
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, is_staff=role == "Admin"
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    if second_factor if second_factor is not None else role in ROLES_WITH_SECOND_FACTOR:
        totp_secret_set(user)
    return user


def totp_secret_set(user) -> str:
    """Give the user an authenticator app; returns its secret, for pyotp to make codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


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
