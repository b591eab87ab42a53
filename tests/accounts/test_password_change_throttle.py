"""Wrong old passwords on the password change form are throttled like logins (audit
finding 5): after 5, even the right one is refused for a while, with a clear message."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/accounts/password_change/"
NEW_PASSWORD = "another-long-password-42"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _change(client, old_password: str):
    return client.post(
        URL,
        {
            "old_password": old_password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )


def test_after_five_wrong_old_passwords_the_right_one_is_refused(client, role_users):
    user = role_users["support"]
    client.force_login(user)
    for attempt in range(5):
        response = _change(client, f"wrong-guess-{attempt}")
        assert response.status_code == 200
        assert "Your old password was entered incorrectly" in response.content.decode()

    response = _change(client, PASSWORD)
    assert response.status_code == 200
    assert "Too many wrong passwords. Try again in 15 minutes" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    outcomes = list(
        AuditEvent.objects.filter(action="password_change")
        .order_by("pk")
        .values_list("outcome", flat=True)
    )
    assert outcomes == ["failure"] * 5 + ["denied"]


def test_a_few_wrong_guesses_then_the_right_one_changes_it(client, role_users):
    user = role_users["support"]
    client.force_login(user)
    for attempt in range(4):
        _change(client, f"wrong-guess-{attempt}")
    response = _change(client, PASSWORD)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="password_change", outcome="success").exists()


def test_one_users_guesses_do_not_throttle_another(client, role_users):
    client.force_login(role_users["support"])
    for attempt in range(5):
        _change(client, f"wrong-guess-{attempt}")
    client.force_login(role_users["finance"])
    assert _change(client, PASSWORD).status_code == 302
