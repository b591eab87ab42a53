"""Finance works down a filtered list: a follow-up link comes back to the page it was on,
and saving what is already there adds nothing to the history."""

from __future__ import annotations

import re
from html import unescape

import pytest

from customers_app.models import FailedBinding, FollowUpChange

from .pages import REPORT

pytestmark = pytest.mark.django_db


def _followup_links(html: str) -> list[str]:
    return [
        unescape(href)
        for href in re.findall(r'href="(/customers/failed-bindings/\d+/follow-up/[^"]*)"', html)
    ]


def test_saving_a_follow_up_returns_to_the_filtered_sorted_page(finance, scanned):
    binding = FailedBinding.objects.filter(resolved_at__isnull=True).exclude(error_code="").first()
    query = {"error_code": binding.error_code, "sort": "-first_seen_at"}
    html = finance.get(REPORT, query).content.decode()
    link = next(link for link in _followup_links(html) if f"/{binding.pk}/" in link)
    page = finance.get(link).content.decode()
    back = re.search(r'<a href="([^"]+)">← Failed card bindings</a>', page)[1]
    assert unescape(back).startswith(
        REPORT + "?"
    ) and f"error_code={binding.error_code}" in unescape(back)

    response = finance.post(link, {"status": "contacted", "note": "Called, will retry"})
    assert response.status_code == 302
    assert response["Location"] == unescape(back)
    landed = finance.get(response["Location"]).content.decode()
    assert f"Follow-up of {binding.reference_number} saved." in landed


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/customers/failed-bindings/",
        "/admin/",
        "/customers/failed-bindings/1/follow-up/",
    ],
)
def test_a_next_elsewhere_goes_back_to_the_plain_report(finance, scanned, next_url):
    binding = FailedBinding.objects.first()
    url = f"/customers/failed-bindings/{binding.pk}/follow-up/"
    response = finance.post(url, {"status": "contacted", "note": "x", "next": next_url})
    assert response["Location"] == REPORT


def test_saving_an_unchanged_follow_up_adds_no_history(finance, scanned):
    binding = FailedBinding.objects.first()
    url = f"/customers/failed-bindings/{binding.pk}/follow-up/"
    finance.post(url, {"status": "contacted", "note": "Called"})
    response = finance.post(url, {"status": "contacted", "note": "Called"}, follow=True)
    assert f"Nothing changed for {binding.reference_number}." in response.content.decode()
    assert FollowUpChange.objects.filter(binding=binding).count() == 1


@pytest.mark.parametrize(
    "next_url",
    [
        "javascript:alert(1)",
        '/customers/failed-bindings/?q="><script>alert(1)</script>',
    ],
)
def test_a_hostile_next_is_never_a_script_on_the_follow_up_page(finance, scanned, next_url):
    binding = FailedBinding.objects.first()
    url = f"/customers/failed-bindings/{binding.pk}/follow-up/"
    response = finance.get(url, {"next": next_url})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html and 'href="javascript:' not in html
