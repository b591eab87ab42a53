"""Journeys in Traditional Chinese: switching language, keeping it across logins, finding a
customer, the report and its export, with axe-core on each page (``lang`` included).

No Chinese font is needed: the checks read text and names, not pixels.
"""

from __future__ import annotations

import csv
import io
import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts.models import UserLanguage
from customers_app.models import FailedBinding

from .conftest import E2E_PASSWORD
from .journey_helpers import assert_accessible

REPORT = "/customers/failed-bindings/"


def _log_in(page, username: str) -> None:
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(E2E_PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()


def test_switch_to_chinese_and_keep_it_across_logins_and_devices(
    browser, dashboard_url, page, make_user, live_sandbox
):
    user = make_user("agent", "mei")
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    _log_in(page, "mei")
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()

    page.get_by_role("button", name="繁體中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.get_by_role("heading", name="客戶")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/customers/$"))  # back on the page it came from
    assert UserLanguage.objects.get(user=user).language_code == "zh-hant"
    assert_accessible(page)

    page.get_by_role("button", name="登出").click()
    expect(page.get_by_role("heading", name="登入")).to_be_visible()
    assert_accessible(page)
    _log_in(page, "mei")
    expect(page.get_by_role("heading", name="客戶")).to_be_visible()

    # Another device, a browser asking for English: Chinese from the login on.
    other = browser.new_context(base_url=dashboard_url, locale="en-GB")
    try:
        laptop = other.new_page()
        laptop.goto("/accounts/login/")
        expect(laptop.locator("html")).to_have_attribute("lang", "en-gb")
        _log_in(laptop, "mei")
        expect(laptop.get_by_role("heading", name="客戶")).to_be_visible()
        # And back to English, from the header.
        laptop.get_by_role("button", name="English").click()
        expect(laptop.get_by_role("heading", name="Customers")).to_be_visible()
    finally:
        other.close()
    assert UserLanguage.objects.get(user=user).language_code == "en-gb"


def test_a_hong_kong_browser_gets_chinese_before_login(browser, dashboard_url, db):
    context = browser.new_context(base_url=dashboard_url, locale="zh-HK")
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
        expect(page.get_by_role("heading", name="登入")).to_be_visible()
        expect(page.get_by_role("button", name="English")).to_have_attribute("lang", "en-gb")
    finally:
        context.close()


def _in_chinese(page, dashboard_url) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hant", "url": dashboard_url}]
    )


def test_find_and_open_a_customer_in_chinese(page_as, dashboard_url, live_sandbox):
    customer = live_sandbox.store.customer(3)
    page = page_as("agent")
    _in_chinese(page, dashboard_url)
    page.goto("/customers/")
    expect(page.get_by_role("table", name="客戶")).to_be_visible()
    expect(page.locator("#result-line")).to_have_text("第 1-50 位，共 500 位")
    page.get_by_role("searchbox", name="尋找客戶").fill(customer["reference_number"])
    page.get_by_role("button", name="前往客戶").click()
    expect(page).to_have_url(re.compile(rf"/customers/{customer['uuid']}/$"))
    expect(page.get_by_role("heading", name="預設付款令牌")).to_be_visible()
    expect(page.locator("h1")).to_have_text(customer["name"] or "（沒有姓名）")
    assert_accessible(page)


def test_report_and_export_in_chinese(page_as, dashboard_url, scanned):
    page = page_as("finance")
    _in_chinese(page, dashboard_url)
    page.goto(REPORT)
    expect(page.get_by_role("heading", name="綁定失敗的付款卡")).to_be_visible()
    assert_accessible(page)
    # Rows without an error code, one choice away (the chart's "none (pending)").
    page.get_by_role("combobox", name="錯誤代碼").select_option(label="沒有錯誤代碼")
    without_code = FailedBinding.objects.filter(error_code="", resolved_at__isnull=True).count()
    expect(page.locator("#binding-table .total")).to_have_text(f"{without_code} 個符合的綁定。")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()  # not the trend's CSV
    text = open(download_info.value.path(), encoding="utf-8-sig").read()
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:4] == ["參考編號", "姓名", "電郵", "電話"]
    assert "錯誤代碼" in header and "跟進" in header
    assert len(rows) == without_code
    assert {row[header.index("跟進")] for row in rows} <= {"未處理", "已聯絡", "已解決"}


def test_audit_log_in_chinese_is_accessible(page_as, dashboard_url, db):
    admin = get_user_model().objects.create_superuser("boss", password=E2E_PASSWORD)
    page = page_as("admin", user=admin)
    _in_chinese(page, dashboard_url)
    page.goto("/audit/")
    expect(page.get_by_role("heading", name="審計記錄")).to_be_visible()
    assert_accessible(page)
