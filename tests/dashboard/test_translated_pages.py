"""Every page in Traditional Chinese has no English left that the dashboard wrote itself.

Each page is opened as a browser asking for zh-HK would (``Accept-Language``), and read by
``tests/english_left.py``: visible text and spoken attributes outside data (``translate="no"``,
``<code>``, options offering the rows' own values) must hold no English word but the few names
that stay as they are (Wonder, uuid, Visa...). A string someone forgets to mark fails here.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import translation
from django.views.defaults import server_error

from customers_app.models import FailedBinding
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
        "/accounts/login/", {"username": "nobody", "password": "wrong-password-1"}
    )
    _assert_chinese(response)


def test_lockout_page(db):
    client = Client(**CHINESE)
    for attempt in range(5):
        response = client.post(
            "/accounts/login/", {"username": "locked", "password": f"wrong-{attempt}"}
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
    client = Client(**CHINESE)
    client.force_login(admin)
    # The usernames and action names in the audit list are data; the other apps' names in
    # the admin's menu are theirs (django-axes and django-tasks have no Traditional Chinese).
    data = ["boss", "login", "Axes", "Access attempts", "Access failures", "Access logs",
            "Tasks Database Backend", "Task Results"]  # fmt: skip
    for url in (
        "/admin/",
        "/admin/accounts/auditevent/",
        "/admin/customers_app/errorcodenote/add/",
        "/admin/customers_app/bindingexport/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="zh-hant"' in html
        left = english_left(html, data_values=data)
        assert left == [], f"English left on {url}:\n" + "\n".join(left)
