"""Single sign-on against a real OpenID Connect provider (npm ``oidc-provider``, started by
the ``oidc_provider`` fixture): groups become roles, unknown groups get no access, a group
change applies at the next sign-in, and passwords are for break-glass accounts only."""

from __future__ import annotations

import pytest
import requests
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client

from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD, make_user
from tests.conftest import sso_settings_apply
from tests.oidc_provider.provider import provider_sign_in, provider_sign_out

pytestmark = pytest.mark.django_db

REPORT = "/customers/failed-bindings/"


@pytest.fixture
def sso(settings, oidc_provider):
    sso_settings_apply(settings, oidc_provider, break_glass=("breakglass",))
    return oidc_provider


def _sso_sign_in(client: Client, login: str, **browser):
    """Press "Sign in with Example SSO", sign in at the provider, come back. ``browser``:
    ``provider_sign_in``'s ``browser`` and ``prompts_seen``."""
    start = client.post("/accounts/oidc/sso/login/")
    assert start.status_code == 302, start.content[:300]
    callback = provider_sign_in(
        start["Location"],
        login=login,
        stop_at="http://testserver/accounts/oidc/sso/login/",
        **browser,
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


def test_signing_out_signs_out_at_the_provider_too(client, sso):
    """On a shared computer, the next person must not be signed straight back in as the
    previous one through the provider's still-open session."""
    sso.people_set({"ana": {"groups": ["dash-support"]}})
    browser = requests.Session()  # the provider's cookies, as one browser keeps them
    asked = []
    _sso_sign_in(client, "ana", browser=browser, prompts_seen=asked)
    assert asked == ["login"]
    # While the provider's session is open, it signs the browser in without asking.
    asked_again = []
    _sso_sign_in(Client(), "ana", browser=browser, prompts_seen=asked_again)
    assert asked_again == []

    signed_out = client.post("/accounts/logout/")
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith(f"{sso.issuer}/session/end?")
    assert "client_id=wonder-dashboard" in signed_out["Location"]
    assert SESSION_KEY not in client.session  # signed out here before going there
    back = provider_sign_out(
        signed_out["Location"], browser=browser, stop_at="http://testserver/accounts/login/"
    )
    assert back == "http://testserver/accounts/login/"

    asked_after = []
    response = _sso_sign_in(Client(), "ana", browser=browser, prompts_seen=asked_after)
    assert asked_after == ["login"]  # the provider asks who it is again
    assert response.status_code == 302


def test_a_password_user_signs_out_here_only(client, sso):
    make_user("breakglass", "Support")
    signed_in = client.post("/accounts/login/", {"login": "breakglass", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert SESSION_KEY in client.session

    signed_out = client.post("/accounts/logout/")

    assert (signed_out.status_code, signed_out["Location"]) == (302, "/accounts/login/")
    assert SESSION_KEY not in client.session


def test_signing_out_works_when_the_provider_cannot_be_reached(client, sso, settings, caplog):
    sso.people_set({"ana": {"groups": ["dash-support"]}})
    _sso_sign_in(client, "ana")
    assert SESSION_KEY in client.session
    # The provider goes away (its discovery document no longer answers).
    unreachable = "http://127.0.0.1:9"
    apps = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [{**apps[0], "settings": {"server_url": unreachable}}],
        }
    }

    signed_out = client.post("/accounts/logout/")

    assert (signed_out.status_code, signed_out["Location"]) == (302, "/accounts/login/")
    assert SESSION_KEY not in client.session
    assert "signed out of the dashboard only" in caplog.text


def test_with_provider_sign_out_turned_off_only_the_dashboard_signs_out(client, sso, settings):
    settings.SSO_END_PROVIDER_SESSION = False
    sso.people_set({"ana": {"groups": ["dash-support"]}})
    _sso_sign_in(client, "ana")

    signed_out = client.post("/accounts/logout/")

    assert (signed_out.status_code, signed_out["Location"]) == (302, "/accounts/login/")
    assert SESSION_KEY not in client.session


def test_a_sign_out_endpoint_off_the_providers_origin_is_not_followed(client, sso, settings):
    """The page's Content-Security-Policy lets the sign-out redirect reach the issuer's
    origin only: a browser sent elsewhere would stop on a blocked page."""
    sso.people_set({"ana": {"groups": ["dash-support"]}})
    _sso_sign_in(client, "ana")
    apps = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    elsewhere = {"end_session_endpoint": "https://logout.elsewhere.example/end"}
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **settings.SOCIALACCOUNT_PROVIDERS["openid_connect"],
            "APPS": [
                {
                    **apps[0],
                    "settings": {
                        **apps[0]["settings"],
                        "openid_configuration_overrides": elsewhere,
                    },
                }
            ],
        }
    }

    signed_out = client.post("/accounts/logout/")

    assert (signed_out.status_code, signed_out["Location"]) == (302, "/accounts/login/")
    assert SESSION_KEY not in client.session
