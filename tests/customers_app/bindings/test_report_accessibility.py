"""Found by the accessibility audit: the report's value filters, and charts a screen reader
can read."""

from __future__ import annotations

import re

import pytest

from customers_app.bindings.filters import NO_VALUE
from customers_app.models import FailedBinding

REPORT = "/customers/failed-bindings/"


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


@pytest.mark.parametrize("name", ["error_code", "card_brand", "token_type", "state"])
def test_no_blank_option_after_all(finance, scanned, name):
    options = _options(finance.get(REPORT).content.decode(), name)
    assert options[0] == ("", "All")
    assert all(label.strip() for _, label in options), options


def test_rows_without_an_error_code_can_be_listed(finance, scanned):
    without_code = FailedBinding.objects.filter(error_code="", resolved_at__isnull=True).count()
    assert without_code > 0  # the sandbox has pending bindings, which carry no code
    html = finance.get(REPORT).content.decode()
    assert (NO_VALUE, "No error code") in _options(html, "error_code")
    listed = finance.get(REPORT, {"error_code": NO_VALUE}).content.decode()
    assert f"{without_code} matching bindings." in listed
    # And the chart's "none (pending)" bars add up to the same.
    chart_total = sum(
        int(count.replace(",", ""))
        for count in re.findall(r'<th scope="row">none \([^)]*\)</th><td>([\d,]+)</td>', html)
    )
    assert chart_total == without_code


def test_rows_without_a_card_brand_can_be_listed(finance, scanned):
    without_brand = FailedBinding.objects.filter(card_brand="", resolved_at__isnull=True).count()
    assert without_brand > 0  # Alipay and WeChat Pay bindings have no card
    listed = finance.get(REPORT, {"card_brand": NO_VALUE}).content.decode()
    assert f"{without_brand} matching bindings." in listed


def test_each_chart_has_its_figures_as_a_table(finance, scanned):
    html = finance.get(REPORT).content.decode()
    assert 'role="img"' not in html
    # The two bar charts, and the trend's line chart whose figures are the visible table
    # beside it.
    assert html.count('<svg aria-hidden="true"') == 3
    tables = re.findall(r'<table class="visually-hidden chart-figures">(.*?)</table>', html, re.S)
    assert len(tables) == 2
    by_type = dict(re.findall(r'<th scope="row"[^>]*>([^<]+)</th><td>([\d,]+)</td>', tables[1]))
    current = FailedBinding.objects.filter(resolved_at__isnull=True)
    assert by_type["CreditCard"] == str(current.filter(token_type="CreditCard").count())
    assert "<caption>Failing by token type</caption>" in tables[1]


def test_a_skip_link_comes_first_and_leads_to_the_main_content(finance, scanned):
    html = finance.get(REPORT).content.decode()
    body = html.split("<body>", 1)[1]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#main"' in first_link and "Skip to the main content" in body
    assert '<main id="main"' in html
