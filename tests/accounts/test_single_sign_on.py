"""Single sign-on against a real OpenID Connect provider (npm ``oidc-provider``, started by
the ``oidc_provider`` fixture): groups become roles, unknown groups get no access, a group
change applies at the next sign-in, and passwords are for break-glass accounts only."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client

from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD, make_user
from tests.conftest import sso_settings_apply
from tests.oidc_provider.provider import provider_sign_in

pytestmark = pytest.mark.django_db

REPORT = "/customers/failed-bindings/"


@pytest.fixture
def sso(settings, oidc_provider):
    sso_settings_apply(settings, oidc_provider, break_glass=("breakglass",))
    return oidc_provider


def _sso_sign_in(client: Client, login: str):
    """Press "Sign in with Example SSO", sign in at the provider, come back."""
    start = client.post("/accounts/oidc/sso/login/")
    assert start.status_code == 302, start.content[:300]
    callback = provider_sign_in(
        start["Location"], login=login, stop_at="http://testserver/accounts/oidc/sso/login/"
    )
    return client.get(callback.removeprefix("http://testserver"))


def test_the_login_page_offers_the_provider(client, sso):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Example SSO" in page
    assert 'action="/accounts/oidc/sso/login/"' in page


def test_a_first_sign_in_creates_the_user_with_the_role_of_their_groups(client, sso, live_sandbox):
    sso.people_set({"ana": {"groups": ["everyone", "dash-finance"]}})

    response = _sso_sign_in(client, "ana")

    assert (response.status_code, response["Location"]) == (302, "/customers/")
    user = get_user_model().objects.get(username="ana")
    assert list(user.groups.values_list("name", flat=True)) == ["Finance"]
    assert not user.has_usable_password()
    # Finance needs a second factor, but the provider checks that for SSO users.
    assert client.get(REPORT).status_code == 200
    assert client.get("/audit/").status_code == 403
    role_set = AuditEvent.objects.get(action="sso_role_set")
    assert role_set.detail["role"] == "finance"
    assert AuditEvent.objects.filter(action="login", outcome="success", target="ana").exists()


def test_groups_that_map_to_no_role_get_the_ask_an_admin_page(client, sso):
    sso.people_set({"eve": {"groups": ["marketing"]}})

    _sso_sign_in(client, "eve")

    refused = client.get("/customers/")
    assert refused.status_code == 403
    assert b"ask an admin" in refused.content
    assert not get_user_model().objects.get(username="eve").groups.exists()


def test_a_role_change_at_the_provider_applies_at_the_next_sign_in(client, sso):
    sso.people_set({"ana": {"groups": ["dash-admins"]}})
    _sso_sign_in(client, "ana")
    assert client.get("/audit/").status_code == 200
    assert get_user_model().objects.get(username="ana").is_staff

    sso.people_set({"ana": {"groups": ["dash-support"]}})
    assert client.get("/audit/").status_code == 200  # this session keeps what it had
    client.post("/accounts/logout/")
    again = Client()
    _sso_sign_in(again, "ana")

    assert again.get("/audit/").status_code == 403
    user = get_user_model().objects.get(username="ana")
    assert list(user.groups.values_list("name", flat=True)) == ["Support"]
    assert not user.is_staff
    assert get_user_model().objects.filter(username__startswith="ana").count() == 1

    sso.people_set({"ana": {"groups": []}})
    _sso_sign_in(Client(), "ana")
    assert not user.groups.exists()


def test_password_sign_in_is_for_break_glass_accounts_only(client, sso):
    make_user("lam", "Support")
    make_user("breakglass", "Support")

    refused = client.post("/accounts/login/", {"login": "lam", "password": PASSWORD})
    assert refused.status_code == 200
    assert "use “Sign in with Example SSO”" in refused.content.decode()
    assert SESSION_KEY not in client.session

    allowed = client.post("/accounts/login/", {"login": "breakglass", "password": PASSWORD})
    assert allowed.status_code == 302
    assert SESSION_KEY in client.session


def test_a_provider_identity_is_never_joined_to_a_local_account_of_the_same_name(client, sso):
    local = make_user("ana", "Admin")
    sso.people_set({"ana": {"groups": ["dash-support"], "email": "someone@example.test"}})

    _sso_sign_in(client, "ana")

    signed_in = get_user_model().objects.get(pk=client.session[SESSION_KEY])
    assert signed_in.pk != local.pk
    assert list(signed_in.groups.values_list("name", flat=True)) == ["Support"]
    assert list(local.groups.values_list("name", flat=True)) == ["Admin"]


def test_a_signed_in_local_user_cannot_link_a_provider_identity(client, sso):
    local = make_user("lam", "Support")
    sso.people_set({"boss": {"groups": ["dash-admins"]}})
    client.force_login(local)

    start = client.post("/accounts/oidc/sso/login/", {"process": "connect"})
    assert start.status_code == 302
    callback = provider_sign_in(
        start["Location"], login="boss", stop_at="http://testserver/accounts/oidc/sso/login/"
    )
    refused = client.get(callback.removeprefix("http://testserver"))

    # allauth shows its "login failure" page for the refusal (accounts/signin/adapters.py).
    assert refused.status_code == 401
    assert "Third-Party Login Failure" in refused.content.decode()
    assert not local.socialaccount_set.exists()
    assert list(local.groups.values_list("name", flat=True)) == ["Support"]
