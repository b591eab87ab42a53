"""Two-factor and single sign-on journeys in Chromium: an authenticator app set up from the
secret the page shows (codes computed with pyotp), passkeys on Chromium's virtual
authenticator (WebAuthn over CDP), recovery codes, the admin's reset, and SSO against a
real OpenID Connect provider (npm ``oidc-provider``)."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from playwright.sync_api import expect

from tests.conftest import sso_settings_apply

from .conftest import E2E_PASSWORD
from .journey_helpers import assert_accessible

REPORT = "/customers/failed-bindings/"


@pytest.fixture
def finance_user(make_user):
    """A Finance user (the role group, as an admin gives it) with no second factor yet."""
    user = make_user("finance", username="mei")
    # The live server's database is flushed between tests, role groups with it.
    group, _ = Group.objects.get_or_create(name="Finance")
    user.groups.add(group)
    return user


def password_step(page, username: str = "mei", password: str = E2E_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def next_time_window() -> None:
    """A code used once is refused for the rest of its 30 s window (no replay); the next
    sign-in happens later in life, so forget the used codes instead of waiting."""
    cache.clear()


def test_finance_sets_up_an_app_then_signs_in_with_codes_and_a_recovery_code(
    page, finance_user, scanned
):
    password_step(page)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/required/$"))
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    assert_accessible(page)
    # Nothing else opens yet.
    page.goto(REPORT)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/required/$"))

    page.get_by_role("link", name="Use an authenticator app").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Activate").click()

    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    codes = page.get_by_role("list", name="Unused recovery codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="Continue to the dashboard").click()
    page.goto(REPORT)
    expect(page.get_by_role("heading", name="Failed card bindings")).to_be_visible()
    log_out(page)

    # The next sign-in asks for the code; a wrong one is refused.
    next_time_window()
    password_step(page)
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    assert_accessible(page)
    right_code = pyotp.TOTP(secret).now()
    page.get_by_label("Code").fill("000000" if right_code != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Incorrect code")
    page.get_by_label("Code").fill(right_code)
    page.get_by_role("button", name="Continue").click()
    page.goto(REPORT)
    expect(page.get_by_role("heading", name="Failed card bindings")).to_be_visible()
    log_out(page)

    # A recovery code signs in once.
    for attempt in ("first", "second"):
        password_step(page)
        page.get_by_label("Code").fill(codes[0])
        page.get_by_role("button", name="Continue").click()
        if attempt == "first":
            expect(page).to_have_url(re.compile(r"/customers/$"))
            log_out(page)
    expect(page.get_by_role("alert")).to_contain_text("Incorrect code")


def _virtual_authenticator(page) -> None:
    """Chromium's built-in virtual authenticator: a platform passkey with user verification
    that answers at once, as Touch ID or Windows Hello would."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_finance_sets_up_a_passkey_and_signs_in_with_it(page, finance_user, dashboard_url):
    assert dashboard_url.startswith("http://localhost:"), "passkeys need localhost or https"
    _virtual_authenticator(page)
    password_step(page)
    page.get_by_role("link", name="Use a passkey or security key").click()
    expect(page.get_by_role("heading", name="Add a passkey or security key")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name (to tell your keys apart)").fill("Laptop")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    assert finance_user.authenticator_set.filter(type="webauthn").count() == 1

    page.goto("/customers/")
    log_out(page)
    password_step(page)
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    page.get_by_role("button", name="Use a passkey or security key").click()
    expect(page).to_have_url(re.compile(r"/customers/$"))

    # New recovery codes (a sensitive change) ask to confirm access first: the passkey,
    # through the page's own script under the Content-Security-Policy, does it.
    page.goto("/accounts/2fa/recovery-codes/generate/")
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Use a security key").click()
    page.get_by_role("button", name="Use a security key").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/generate/$"))
    page.get_by_role("button", name="Generate").click()
    codes = page.get_by_role("list", name="Unused recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)


def test_an_admin_resets_a_users_factors_and_they_set_one_up_again(
    page, page_as, make_user, finance_user, browser, dashboard_url
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(finance_user, generate_totp_secret())
    admin = make_user("admin", username="root-admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()

    page = page_as("admin", user=admin)
    page.goto("/admin/auth/user/")
    page.get_by_role("row", name=re.compile(r"\bmei\b")).get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(
        label="Reset two-factor authentication (the user sets it up again)"
    )
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("Two-factor authentication was reset for 1 user.")).to_be_visible()
    assert not finance_user.authenticator_set.exists()

    context = browser.new_context(base_url=dashboard_url)
    try:
        user_page = context.new_page()
        password_step(user_page)
        expect(user_page).to_have_url(re.compile(r"/accounts/2fa/required/$"))
    finally:
        context.close()


@pytest.fixture(scope="session")
def browser_oidc_provider(live_server, tmp_path_factory):
    """The test OpenID Connect provider, sending people back to the live dashboard."""
    from tests.oidc_provider.provider import oidc_provider_running

    callback = f"{live_server.url}/accounts/oidc/sso/login/callback/"
    with oidc_provider_running(
        [callback],
        tmp_path_factory.mktemp("oidc-e2e"),
        post_logout_redirect_uris=[f"{live_server.url}/accounts/login/"],
    ) as provider:
        yield provider


@pytest.fixture
def sso(settings, browser_oidc_provider, browser_problems):
    sso_settings_apply(settings, browser_oidc_provider, break_glass=("breakglass",))
    # The provider's own development login page is not the dashboard's: its inline styles
    # and web font are its business.
    browser_problems.allow(re.escape(browser_oidc_provider.issuer))
    browser_problems.allow(r"fonts\.googleapis\.com")
    return browser_oidc_provider


def sso_sign_in(page, login: str) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with Example SSO").click()
    page.get_by_placeholder("Enter any login").fill(login)
    page.get_by_placeholder("and password").fill("whatever-the-provider-checks")
    page.get_by_role("button", name="Sign-in").click()


def sso_log_out(page) -> None:
    """Log out: the dashboard sends the browser on to the provider, whose own page asks
    to confirm, then back to the dashboard's login page."""
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_sso_maps_groups_to_roles_and_refuses_unknown_groups(
    page, sso, make_user, browser_problems
):
    sso.people_set({"ana": {"groups": ["dash-support"]}, "eve": {"groups": ["marketing"]}})
    # The live server's database is flushed between tests, role groups with it.
    support, _ = Group.objects.get_or_create(name="Support")
    support.permissions.add(Permission.objects.get(codename="view_customers"))

    sso_sign_in(page, "ana")
    expect(page).to_have_url(re.compile(r"/customers/$"))
    expect(page.get_by_role("link", name="ana")).to_be_visible()
    assert list(
        get_user_model().objects.get(username="ana").groups.values_list("name", flat=True)
    ) == ["Support"]
    sso_log_out(page)

    # Someone else at the same browser: the provider asks who is signing in (ana's session
    # there ended with her log-out), so sso_sign_in finds its login page again.
    # The "ask an admin" page answers 403 on purpose; Chromium logs that status as an error.
    browser_problems.allow(r"the server responded with a status of 403")
    sso_sign_in(page, "eve")
    expect(page.get_by_role("heading", name="You do not have access yet")).to_be_visible()
    sso_log_out(page)

    # Passwords are for break-glass accounts only while SSO is on.
    make_user("agent", username="lee")
    password_step(page, "lee")
    expect(page.get_by_role("alert")).to_contain_text("Password sign-in is turned off")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
