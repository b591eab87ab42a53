"""My notifications: each user's own digest choice, off by default."""

from __future__ import annotations

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import AuditEvent
from customers_app.digests.tasks import digest_daily_check
from customers_app.models import DigestSubscription

pytestmark = pytest.mark.django_db

PAGE = "/notifications/"


def test_the_header_links_my_notifications_for_finance(finance):
    assert 'href="/notifications/"' in finance.get("/customers/failed-bindings/").content.decode()


def test_support_agents_get_no_link_and_no_page(agent_browser, live_sandbox):
    assert 'href="/notifications/"' not in agent_browser.get("/customers/").content.decode()
    assert agent_browser.get(PAGE).status_code == 403


def test_digests_are_off_until_the_user_chooses(finance):
    response = finance.get(PAGE)
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["form"]["frequency"].value() == "off"
    assert not DigestSubscription.objects.exists()
    # The finance fixture's user has no email address: the page says no digest can reach it.
    assert "Your account has no email address" in content


def test_choosing_every_sync_is_saved_for_this_user_only_and_audited(finance):
    response = finance.post(PAGE, {"frequency": "every_sync", "daily_hour": "9"})
    assert response.status_code == 302
    subscription = DigestSubscription.objects.get()
    assert subscription.user.username == "finance"
    assert subscription.frequency == "every_sync"
    event = AuditEvent.objects.get(action="digest.subscription")
    assert event.detail == {"frequency": "every_sync", "daily_hour": 9}
    assert "saved" in finance.get(PAGE).content.decode()


def test_choosing_daily_keeps_the_hour_and_schedules_one_hourly_check(finance):
    finance.post(PAGE, {"frequency": "daily", "daily_hour": "17"})
    finance.post(PAGE, {"frequency": "daily", "daily_hour": "18"})
    subscription = DigestSubscription.objects.get()
    assert (subscription.frequency, subscription.daily_hour) == ("daily", 18)
    waiting = DBTaskResult.objects.filter(
        task_path=digest_daily_check.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 1
    assert waiting.get().run_after is not None


@pytest.mark.parametrize(
    "data",
    [
        {"frequency": "hourly", "daily_hour": "9"},
        {"frequency": "daily", "daily_hour": "24"},
        {"frequency": "daily", "daily_hour": "abc"},
        {"frequency": "<script>alert(1)</script>", "daily_hour": "-1"},
        {},
    ],
)
def test_a_bad_choice_is_refused_with_a_message(finance, data):
    response = finance.post(PAGE, data)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "<script>alert(1)</script>" not in content
    assert not DigestSubscription.objects.exists()
