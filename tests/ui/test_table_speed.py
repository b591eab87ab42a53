"""The speed-ups of the customer table (table_speed.py, the cached table fragment) change
nothing a user sees: same cells, and never an older rendering of a page fetched again."""

from __future__ import annotations

import django_tables2.utils
import pytest
from django.core.cache import cache

from customers_app.browsing.tables import CustomerTable
from tests.fakes import ScriptedAnswer, ScriptedWonder
from ui.table_speed import _uncached_signature, cached_signature


class Renderer:
    def render(self, value, record=None, **extra):
        return value

    def render_plain(self, value, bound_column):
        return value


def module_function(value, table):
    return value


@pytest.mark.parametrize(
    "callable_",
    [
        Renderer().render,
        Renderer().render_plain,
        module_function,
        lambda record: record,
    ],
)
def test_cached_signature_answers_like_django_tables2(callable_):
    assert cached_signature(callable_) == _uncached_signature(callable_)
    assert cached_signature(callable_) == _uncached_signature(callable_)  # from the cache


def test_two_instances_of_a_class_share_one_answer_and_no_self():
    assert cached_signature(Renderer().render) == (("value", "record"), "extra")
    assert cached_signature(Renderer().render) == (("value", "record"), "extra")


def test_it_is_installed_at_start_up():
    assert django_tables2.utils.signature is cached_signature


def customers_answer(name: str) -> dict:
    customer = {"uuid": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "reference_number": "R-1"}
    return {"code": 200, "data": {"customers": [{**customer, "name": name}]}}


@pytest.fixture
def scripted_settings(settings, key_pair):
    settings.WONDER_PRIVATE_KEY = key_pair.private_pem.decode()
    settings.WONDER_MAX_RETRIES = 0
    cache.clear()
    yield settings
    cache.clear()


def test_a_page_fetched_again_shows_the_new_data_not_the_cached_table(
    agent_browser, scripted_settings
):
    scripted_settings.WONDER_PAGE_CACHE_SECONDS = 0  # every view asks Wonder again
    with ScriptedWonder(
        ScriptedAnswer(200, customers_answer("Chan Tai Man")),
        ScriptedAnswer(200, customers_answer("Wong Siu Ming")),
    ) as fake:
        scripted_settings.WONDER_BASE_URL = fake.base_url
        first = agent_browser.get("/customers/").content.decode()
        second = agent_browser.get("/customers/").content.decode()
    assert "Chan Tai Man" in first
    assert "Wong Siu Ming" in second
    assert "Chan Tai Man" not in second
    assert len(fake.requests) == 2


def test_a_page_served_from_the_cache_shows_the_same_table(agent_browser, scripted_settings):
    scripted_settings.WONDER_PAGE_CACHE_SECONDS = 30
    with ScriptedWonder(ScriptedAnswer(200, customers_answer("Chan Tai Man"))) as fake:
        scripted_settings.WONDER_BASE_URL = fake.base_url
        first = agent_browser.get("/customers/").content.decode()
        second = agent_browser.get("/customers/").content.decode()
    assert "Chan Tai Man" in second
    # One row: one cell per default column, the same from the cache as freshly rendered.
    assert first.count("<td") == second.count("<td") == len(CustomerTable.Meta.default_columns)
    assert len(fake.requests) == 1
