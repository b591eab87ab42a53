"""Two languages: the browser's before login, the user's own choice after, on any device."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import UserLanguage
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _language_of(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def _login(client: Client, username: str):
    return client.post("/accounts/login/", {"login": username, "password": PASSWORD})


@pytest.mark.parametrize(
    "accept_language, expected",
    [
        ("zh-HK,zh;q=0.9", "zh-hant"),
        ("zh-TW", "zh-hant"),
        ("zh-MO", "zh-hant"),
        ("zh-Hant-HK", "zh-hant"),
        # Simplified Chinese is not offered; Django gives any other Chinese the Traditional,
        # which its readers read more easily than English.
        ("zh-CN,zh;q=0.9", "zh-hant"),
        ("en-US,en;q=0.9", "en-gb"),
        ("fr-FR", "en-gb"),
        ("", "en-gb"),
    ],
)
def test_before_login_the_browser_language_decides(accept_language, expected):
    response = Client(HTTP_ACCEPT_LANGUAGE=accept_language).get("/accounts/login/")
    assert response.status_code == 200
    assert _language_of(response) == expected
    assert response["Content-Language"] == expected
    assert "Accept-Language" in response["Vary"]


def test_the_login_page_offers_the_other_language_in_its_own_words():
    english = Client().get("/accounts/login/").content.decode()
    assert 'name="language" value="zh-hant" lang="zh-hant"' in english and "繁體中文" in english
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-HK").get("/accounts/login/").content.decode()
    assert 'name="language" value="en-gb" lang="en-gb"' in chinese and ">English<" in chinese
    assert "登入" in chinese


def test_switching_before_login_sets_the_cookie_and_returns_to_the_page():
    client = Client()
    response = client.post(
        "/i18n/setlang/", {"language": "zh-hant"}, HTTP_REFERER="http://testserver/accounts/login/"
    )
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/accounts/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hant"
    assert _language_of(client.get("/accounts/login/")) == "zh-hant"


def test_an_unknown_language_is_ignored():
    client = Client()
    client.post("/i18n/setlang/", {"language": "xx-evil"})
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert _language_of(client.get("/accounts/login/")) == "en-gb"


def test_the_choice_is_kept_for_the_user_and_applied_at_the_next_login_elsewhere(role_users):
    desk = Client()
    assert _login(desk, "support1").status_code == 302
    desk.post("/i18n/setlang/", {"language": "zh-hant"})
    assert UserLanguage.objects.get(user=role_users["support"]).language_code == "zh-hant"
    assert _language_of(desk.get("/customers/find/?q=x")) == "zh-hant"

    # Another device, whose browser asks for English and has no cookie.
    laptop = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    assert _language_of(laptop.get("/accounts/login/")) == "en-gb"
    assert _login(laptop, "support1").status_code == 302
    page = laptop.get("/customers/find/?q=x")
    assert _language_of(page) == "zh-hant"
    # The device's cookie follows the user's choice, so the login page after logging out
    # speaks it too.
    assert page.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hant"
    laptop.post("/accounts/logout/")
    assert _language_of(laptop.get("/accounts/login/")) == "zh-hant"


def test_a_user_who_never_chose_keeps_the_browser_language(role_users):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-HK")
    _login(client, "support1")  # no second factor to give: the password alone signs in
    assert _language_of(client.get("/customers/find/?q=x")) == "zh-hant"
    assert not UserLanguage.objects.exists()


def test_switching_back_to_english_is_kept_too(role_users):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-HK")
    _login(client, "support1")
    client.post("/i18n/setlang/", {"language": "en-gb"})
    assert _language_of(client.get("/customers/find/?q=x")) == "en-gb"
    other = Client(HTTP_ACCEPT_LANGUAGE="zh-HK")
    _login(other, "support1")
    assert _language_of(other.get("/customers/find/?q=x")) == "en-gb"


def test_the_switch_needs_post_and_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert client.get("/i18n/setlang/?language=zh-hant").status_code == 405
    assert client.post("/i18n/setlang/", {"language": "zh-hant"}).status_code == 403
