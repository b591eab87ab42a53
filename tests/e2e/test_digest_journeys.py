"""Finance chooses a digest and reads the trend, in a real browser (axe, CSP, console)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from customers_app.models import DigestSubscription, FailedBinding
from customers_app.sync.runs import sync_run

from .journey_helpers import assert_accessible

REPORT = "/customers/failed-bindings/"


def test_finance_chooses_a_daily_digest_from_the_header(page_as, scanned):
    page = page_as("finance")
    page.goto(REPORT)
    page.get_by_role("link", name="My notifications").click()
    expect(page.get_by_role("heading", name="My notifications")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("radio", name="Off")).to_be_checked()

    page.get_by_role("radio", name="Once a day, at the hour I choose").check()
    page.get_by_role("combobox", name="Hour of the daily digest").select_option("17")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Your notification settings were saved.")).to_be_visible()
    expect(page.get_by_role("radio", name="Once a day, at the hour I choose")).to_be_checked()
    subscription = DigestSubscription.objects.get()
    assert (subscription.frequency, subscription.daily_hour) == ("daily", 17)


def test_finance_reads_the_trend_and_switches_its_period(page_as, scanned):
    FailedBinding.objects.filter(pk__in=FailedBinding.objects.values("pk")[:3]).delete()
    second = sync_run()
    page = page_as("finance")
    page.goto(REPORT)
    trend = page.get_by_role("region", name="Trend")
    # The chart is drawn for the eye; its figures are the table beside it.
    expect(trend.locator("svg.trend-svg")).to_be_visible()
    expect(trend.get_by_role("table").first).to_be_visible()
    expect(trend.locator(".trend-table tbody tr")).to_have_count(2)
    assert_accessible(page)

    trend.get_by_role("link", name="last 7 days").click()
    expect(page).to_have_url(re.compile(r"[?&]trend_days=7\b"))
    expect(page.get_by_role("region", name="Trend").locator("strong")).to_have_text("last 7 days")

    # The digest's link: only the three bindings new in the second sync.
    page.goto(f"{REPORT}?new_in={second.pk}")
    expect(page.locator("#binding-table .total")).to_have_text("3 matching bindings.")
