"""Every page in Traditional Chinese has no English left that the dashboard wrote itself.

Each page is opened as a browser asking for zh-HK would (``Accept-Language``), and read by
``tests/english_left.py``: visible text and spoken attributes outside data (``translate="no"``,
``<code>``, options offering the rows' own values) must hold no English word but the few names
that stay as they are (Wonder, uuid, Visa...). A string someone forgets to mark fails here.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone, translation
from django.views.defaults import server_error

from customers_app.models import DigestDelivery, FailedBinding, IndexedCustomer, ScanRun
from customers_app.search.terms import FIELD_NAMES
from tests.accounts.conftest import PASSWORD, make_user, totp_secret_set
from tests.english_left import english_left
from tests.fakes import ScriptedAnswer, ScriptedWonder
from tests.keys import new_key_pair
from wonder_sandbox.hostile import HOSTILE_INDICES

pytestmark = pytest.mark.django_db

CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-HK,zh;q=0.9,en;q=0.5"}


def _chinese_client(*permissions: str, username: str = "reader", staff: bool = False) -> Client:
    user = get_user_model().objects.create_user(username, is_staff=staff)
    user.user_permissions.add(*Permission.objects.filter(codename__in=permissions))
    user.groups.add(Group.objects.get_or_create(name="Support")[0])
    client = Client(**CHINESE)
    client.force_login(user)
    return client


def _assert_chinese(response, *, status: int = 200, data_values=()) -> str:
    assert response.status_code == status, response.content[:500]
    html = response.content.decode()
    assert '<html lang="zh-hant">' in html
    left = english_left(html, data_values=data_values)
    assert left == [], "English left on the page:\n" + "\n".join(left)
    return html


def test_the_checker_finds_english_the_dashboard_wrote():
    """The check can fail: English in text, in a spoken attribute and in an option is found;
    data marked as such, code and the other language's button are not."""
    html = (
        '<html lang="zh-hant"><body><p>客戶 Customers</p><a title="Change your password">用戶</a>'
        '<select><option value="">All</option><option value="05">05</option>'
        '<option value="Visa">Visa</option></select>'
        '<td translate="no">Chan Tai Man</td><code>req-1</code>'
        '<button lang="en-gb">English</button><script>var x = "Hello";</script></body></html>'
    )
    assert english_left(html) == [
        "p: 客戶 Customers",
        "a[title]: Change your password",
        "option: All",
    ]


def test_login_page(client):
    _assert_chinese(Client(**CHINESE).get("/accounts/login/"))


def test_login_with_a_wrong_password(db):
    response = Client(**CHINESE).post(
        "/accounts/login/", {"login": "nobody", "password": "wrong-password-1"}
    )
    _assert_chinese(response)


def test_lockout_page(db):
    client = Client(**CHINESE)
    for attempt in range(5):
        response = client.post(
            "/accounts/login/", {"login": "locked", "password": f"wrong-{attempt}"}
        )
    _assert_chinese(response, status=429, data_values=["locked"])


def test_customer_list(live_sandbox):
    client = _chinese_client("view_customers")
    html = _assert_chinese(client.get("/customers/"))
    assert "客戶" in html and "第 1-50 位，共 500 位" in html


def test_customer_list_fragment_and_a_corrected_url(live_sandbox):
    client = _chinese_client("view_customers")
    response = client.get("/customers/", {"page_size": "9999"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    left = english_left(response.content.decode(), data_values=["9999"])
    assert left == []


@pytest.mark.parametrize("scenario", ["failed_token", "pending_token", "unknown_state_token"])
def test_customer_detail(live_sandbox, scenario):
    client = _chinese_client("view_customers")
    customer = live_sandbox.store.customer(HOSTILE_INDICES[scenario])
    response = client.get(f"/customers/{customer['uuid']}/")
    # The tab's title is the customer's name, as it came.
    _assert_chinese(response, data_values=[customer["name"], customer["reference_number"]])


def test_customer_not_found_and_find_not_found(live_sandbox):
    client = _chinese_client("view_customers")
    _assert_chinese(client.get("/customers/no-such-uuid/"), status=404)
    _assert_chinese(client.get("/customers/find/", {"q": "NO-SUCH-REF"}), status=404)
    _assert_chinese(client.get("/customers/find/", {"q": ""}), status=400)


@pytest.mark.parametrize("fault, status", [("down", 503), ("malformed", 502)])
def test_upstream_failure_pages(live_sandbox, fault, status):
    client = _chinese_client("view_customers")
    uuid = live_sandbox.store.customer(0)["uuid"]
    live_sandbox.set_faults(fault=fault)
    _assert_chinese(client.get("/customers/"), status=status)
    _assert_chinese(client.get(f"/customers/{uuid}/"), status=status)


def test_rejected_credentials_page(live_sandbox, settings):
    client = _chinese_client("view_customers")
    settings.WONDER_PRIVATE_KEY = new_key_pair().private_pem.decode()
    _assert_chinese(client.get("/customers/"), status=502)


def test_rejected_request_page_shows_wonders_words_as_data(point_at):
    client = _chinese_client("view_customers")
    answer = ScriptedAnswer(400, {"code": "E100001", "message": "Invalid offset given"})
    with ScriptedWonder(answer) as wonder:
        point_at(wonder.base_url)
        html = _assert_chinese(client.get("/customers/"), status=502)
    assert "Invalid offset given" in html  # Wonder's message, as it came


def test_report_and_follow_up(scanned):
    client = _chinese_client(
        "view_customers", "view_failed_bindings", "change_followup", "export_failed_bindings",
        "run_binding_scan",
    )  # fmt: skip
    html = _assert_chinese(client.get("/customers/failed-bindings/"))
    assert "綁定失敗的付款卡" in html
    binding = FailedBinding.objects.first()
    _assert_chinese(
        client.get(f"/customers/failed-bindings/{binding.pk}/follow-up/"),
        data_values=[binding.reference_number],
    )
    # Every column shown, and a filter value the page cannot read.
    client.post(
        "/customers/columns/",
        {"table_key": "failed_bindings", "columns": [
            "reference_number", "followup_status", "followup_note", "followup_by", "followup_at",
            "resolved_at", "last_seen_at", "card_brand", "actions",
        ]},
    )  # fmt: skip
    _assert_chinese(
        client.get("/customers/failed-bindings/", {"first_seen_min": "yesterday", "page": "x"}),
        data_values=["yesterday"],
    )


def test_audit_log_and_password_pages(db):
    client = _chinese_client("view_auditevent", "export_auditevent", username="auditor")
    _assert_chinese(client.get("/audit/", {"outcome": "nonsense"}), data_values=["nonsense"])
    _assert_chinese(client.get("/audit/"))
    _assert_chinese(client.get("/accounts/password_change/"))
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "x", "new_password1": "short", "new_password2": "other"},
    )
    _assert_chinese(response)
    _assert_chinese(client.get("/accounts/password_change/done/"))


def test_error_pages(db, rf):
    client = _chinese_client(username="no-permissions")
    _assert_chinese(client.get("/customers/failed-bindings/"), status=403)
    _assert_chinese(client.get("/no/such/page/"), status=404)
    roleless = get_user_model().objects.create_user("roleless")
    client = Client(**CHINESE)
    client.force_login(roleless)
    _assert_chinese(client.get("/customers/"), status=403, data_values=["roleless"])
    with translation.override("zh-hant"):
        _assert_chinese(server_error(rf.get("/")), status=500)


def test_the_dashboards_admin_screens(db):
    admin = get_user_model().objects.create_superuser("boss", is_staff=True)
    totp_secret_set(admin)  # an admin opens nothing before their second factor
    client = Client(**CHINESE)
    client.force_login(admin)
    _assert_admin_chinese(
        client,
        "/admin/",
        "/admin/accounts/auditevent/",
        "/admin/customers_app/errorcodenote/add/",
        "/admin/customers_app/bindingexport/",
    )


# The other apps' names in the admin's menu are theirs: django-axes and django-tasks have no
# Traditional Chinese, allauth's has "Authenticators" and "社群應用程式 Token" untranslated.
_OTHER_APPS = ["Axes", "Access attempts", "Access failures", "Access logs",
               "Tasks Database Backend", "Task Results", "Authenticators", "Token"]  # fmt: skip


def _assert_admin_chinese(client, *urls, data_values=()):
    # The usernames and action names in the audit list are data.
    data = ["boss", "login", *_OTHER_APPS, *data_values]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="zh-hant"' in html
        left = english_left(html, data_values=data)
        assert left == [], f"English left on {url}:\n" + "\n".join(left)


def test_the_sync_customer_index_and_digest_admin_screens(scanned):
    admin = get_user_model().objects.create_superuser("boss", is_staff=True)
    totp_secret_set(admin)
    client = Client(**CHINESE)
    client.force_login(admin)
    run = ScanRun.objects.get()
    delivery = DigestDelivery.objects.create(
        channel="email", kind="sync", user=admin, recipient="boss@example.com", first_run=run,
        last_run=run, status="failed", attempts=5, last_error="SMTPConnectError: refused",
    )  # fmt: skip
    # How a sync was started and which worker walked it are recorded codes, like actions.
    codes = [run.trigger, *run.partition_set.values_list("worker", flat=True)]
    _assert_admin_chinese(
        client,
        "/admin/customers_app/scanrun/",
        f"/admin/customers_app/scanrun/{run.pk}/change/",
        "/admin/customers_app/digestdelivery/",
        f"/admin/customers_app/digestdelivery/{delivery.pk}/change/",
        data_values=[*codes, "boss@example.com", "SMTPConnectError: refused"],
    )
    # The customer index holds Wonder's values: every one of them is data here.
    customers = IndexedCustomer.objects.values_list(
        "name", "email", "reference_number", "token_state", "uuid", "linked_source_type",
        "default_payment_method", "token_type", "error_code", "error_message", "card_brand",
    )  # fmt: skip
    values = [value for customer in customers for value in customer if value]
    first = IndexedCustomer.objects.first()
    _assert_admin_chinese(
        client,
        "/admin/customers_app/indexedcustomer/",
        f"/admin/customers_app/indexedcustomer/{first.pk}/change/",
        # Django's read-only yes/no icon is alt="True"/"False" in every language.
        data_values=[*values, str(first), "True", "False"],
    )


# --- Search, sync, digests and trend, two-factor sign-in -------------------------------------


def test_customer_search_pages(customer_index):
    client = _chinese_client("view_customers")
    html = _assert_chinese(client.get("/customers/", {"q": "Chan"}))
    assert "符合的客戶" in html and "截至最近一次完成的同步" in html
    fragment = client.get("/customers/", {"q": "Chan"}, HTTP_HX_REQUEST="true")
    assert english_left(fragment.content.decode()) == []
    html = _assert_chinese(client.get("/customers/", {"q": "zzzz-no-such-customer"}))
    assert "客戶索引中沒有符合此搜尋的客戶" in html
    html = _assert_chinese(client.get("/customers/", {"q": "source:User", "page": "999"}))
    assert "已超出最後一頁" in html  # page 999 of the matches


def test_search_terms_the_page_cannot_use(customer_index):
    """Each term's problem is said in Chinese; the field names are typed as they are
    (docs/glossary-zh-hant.md), so they and what was typed are data here."""
    client = _chinese_client("view_customers")
    typed = "phone:12 last4:abc colour:red error:!! source:Planet name:"
    response = client.get("/customers/", {"q": typed})
    typed_fields = [term.split(":")[0] for term in typed.split()]
    data = [*typed.split(), *typed_fields, *FIELD_NAMES, "User", "Store"]
    html = _assert_chinese(response, data_values=data)
    assert "未有執行此搜尋" in html and "不是電話號碼" in html and "沒有「colour:」這個欄位" in html
    html = _assert_chinese(client.get("/customers/", {"q": "陳\x07大文"}))
    assert "控制字元" in html


def test_search_while_the_customer_index_is_being_built(live_sandbox):
    client = _chinese_client("view_customers")
    html = _assert_chinese(client.get("/customers/", {"q": "Chan"}))
    assert "客戶索引仍在建立中" in html and "目前沒有進行中的同步" in html
    assert "客戶索引尚未完成任何同步" in html
    ScanRun.objects.create(status="running", customers_seen=120, customers_expected=500)
    html = _assert_chinese(client.get("/customers/", {"q": "Chan"}))
    assert "同步已讀取 500 位客戶中的 120 位" in html and 'aria-label="同步進度"' in html


def test_report_with_the_trend_and_a_sync_waiting_then_running(scanned):
    client = _chinese_client("view_customers", "view_failed_bindings", "run_binding_scan")
    html = _assert_chinese(client.get("/customers/failed-bindings/", {"new_in": "1"}))
    assert "趨勢" in html and "圖表的數字" in html and "新增於同步" in html
    html = _assert_chinese(
        client.get("/customers/failed-bindings/", {"trend_days": "7x", "new_in": "first"}),
        data_values=["7x", "first"],
    )
    assert "沒有「7x」這個趨勢期間" in html
    queued = ScanRun.objects.create(status="queued")
    response = client.post("/customers/failed-bindings/scan/", follow=True)
    html = _assert_chinese(response)
    assert "已有同步正在等候工作程序" in html and "正在等候工作程序開始" in html
    progress = f"/customers/failed-bindings/scan/progress/?watching={queued.pk}"
    fragment = client.get(progress).content.decode()
    assert "工作程序（" in fragment and english_left(fragment) == []
    ScanRun.objects.filter(pk=queued.pk).update(
        status="running", customers_seen=40, pages_done=2, pages_expected=10, partitions=2
    )
    fragment = client.get(progress).content.decode()
    assert "分為 2 個分區" in fragment and english_left(fragment) == []
    ScanRun.objects.filter(pk=queued.pk).update(status="completed", finished_at=timezone.now())
    client.get("/customers/failed-bindings/", {"trend_days": "7"})  # the trend, no sync active
    html = _assert_chinese(client.post("/customers/failed-bindings/scan/", follow=True))
    assert "排隊，等候工作程序處理" in html


def test_my_notifications_page(scanned):
    client = _chinese_client("view_failed_bindings", username="finance-reader")
    html = _assert_chinese(client.get("/notifications/"))
    assert "我的通知" in html and "你的帳戶沒有電郵地址" in html and "尚未有摘要寄給你" in html
    user = get_user_model().objects.get(username="finance-reader")
    run = ScanRun.objects.get()
    DigestDelivery.objects.create(
        channel="email", kind="sync", user=user, recipient="r@example.com", first_run=run,
        last_run=run, status="failed", attempts=5, last_error="SMTPConnectError: refused",
    )  # fmt: skip
    response = client.post(
        "/notifications/", {"frequency": "daily", "daily_hour": "25"}, follow=True
    )
    html = _assert_chinese(response, status=400)
    assert "已放棄" in html and "SMTPConnectError" in html
    saved = {"frequency": "daily", "daily_hour": "8"}
    response = client.post("/notifications/", saved, follow=True)
    assert "已儲存你的通知設定" in _assert_chinese(response)


def test_two_factor_pages(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_user("mei", "Finance", second_factor=False)
    client = Client(**CHINESE)
    client.post("/accounts/login/", {"login": "mei", "password": PASSWORD})
    assert "設定雙重認證" in _assert_chinese(client.get("/accounts/2fa/required/"))
    # Apps people know by name stay as they are.
    apps = ["Google Authenticator", "Microsoft Authenticator", "1Password"]
    html = _assert_chinese(client.get("/accounts/2fa/totp/activate/"), data_values=apps)
    assert "QR 碼" in html
    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    _assert_chinese(wrong, data_values=apps)
    _assert_chinese(client.get("/accounts/2fa/webauthn/add/"))
    secret = re.search(r'<code id="totp-secret"[^>]*>([A-Z2-7]+)</code>', html).group(1)
    activated = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    html = _assert_chinese(client.get(activated["Location"]))  # the recovery codes
    assert "10 個復原碼中有 10 個未使用" in html and "繼續前往儀表板" in html

    totp_secret_set(make_user("lam", "Finance", second_factor=False))
    client = Client(**CHINESE)
    client.post("/accounts/login/", {"login": "lam", "password": PASSWORD})
    html = _assert_chinese(client.get("/accounts/2fa/authenticate/"))
    assert "驗證器應用程式顯示的 6 位數字驗證碼" in html
    _assert_chinese(client.post("/accounts/2fa/authenticate/", {"code": "000000"}))


def test_single_sign_on_login_and_a_password_for_an_sso_account(db, settings):
    settings.SSO_ENABLED = True
    settings.SSO_PASSWORD_LOGIN_USERS = ["breakglass"]
    html = _assert_chinese(Client(**CHINESE).get("/accounts/login/"))
    assert "使用 單一登入服務 登入" in html and "只限緊急備用帳戶" in html
    response = Client(**CHINESE).post("/accounts/login/", {"login": "ana", "password": "x"})
    assert "此帳戶已停用密碼登入" in _assert_chinese(response)


def test_password_change_throttled(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = Client(**CHINESE)
    client.force_login(make_user("wing", "Support"))
    html = _assert_chinese(client.get("/accounts/password_change/"))
    assert "雙重認證" in html
    new_password = "another-long-password-42"
    change = {"new_password1": new_password, "new_password2": new_password}
    for attempt in range(5):
        client.post("/accounts/password_change/", {"old_password": f"wrong-{attempt}", **change})
    response = client.post("/accounts/password_change/", {"old_password": PASSWORD, **change})
    assert "密碼錯誤次數過多。請於 15 分鐘後再試" in _assert_chinese(response)


def test_why_a_sync_failed_is_told_in_chinese(scanned, settings):
    # A real sync that Wonder fails (every request a 503, no retry), then one whose worker
    # died: the report says why in the reader's language; the admin's reason stays English.
    from customers_app.sync.runs import sync_expire_stale, sync_run

    client = _chinese_client("view_customers", "view_failed_bindings")
    settings.WONDER_MAX_RETRIES = 0
    scanned.set_faults(error_rate=1.0)
    failed = sync_run()
    scanned.set_faults(error_rate=0.0)
    assert failed.status == "failed"
    assert failed.error.startswith("Wonder could not be read completely: Wonder is not answering.")
    html = _assert_chinese(
        client.get("/customers/failed-bindings/"), data_values=[failed.failure["request_id"]]
    )
    assert "未能完整讀取 Wonder：Wonder 沒有回應。" in html

    dead = ScanRun.objects.create(status="running")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    ScanRun.objects.filter(pk=dead.pk).update(heartbeat_at=an_hour_ago)
    assert sync_expire_stale() == 1
    html = _assert_chinese(client.get("/customers/failed-bindings/"))
    assert "同步已停止回報進度：執行它的工作程序可能已終止或重新啟動。" in html
