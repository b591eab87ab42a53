"""Each way Wonder can misbehave renders a message an agent understands, never a 500."""

import pytest
from django.core.cache import cache

from tests.fakes import ScriptedAnswer, ScriptedWonder
from tests.keys import new_key_pair

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fault, status, message",
    [
        ("down", 503, "Wonder is not answering"),
        ("malformed", 502, "Wonder sent an answer the dashboard cannot read"),
        ("bad_shape", 502, "Wonder sent an answer the dashboard cannot read"),
    ],
)
@pytest.mark.parametrize("page", ["list", "detail"])
def test_sandbox_faults_render_their_message(
    agent_browser, live_sandbox, fault, status, message, page
):
    uuid = live_sandbox.store.customer(0)["uuid"]
    url = "/customers/" if page == "list" else f"/customers/{uuid}/"
    live_sandbox.set_faults(fault=fault)
    response = agent_browser.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert message in html
    assert "Request id to quote: <code>" in html
    assert "Wonder customer dashboard</a>" in html  # on the normal page layout


def test_a_timeout_is_unavailable_with_the_request_id(agent_browser, live_sandbox, settings):
    settings.WONDER_READ_TIMEOUT = 0.2
    live_sandbox.set_faults(fault="timeout", timeout_seconds=0.6)
    try:
        response = agent_browser.get("/customers/")
    finally:
        live_sandbox.set_faults(fault="none", timeout_seconds=30)
    assert response.status_code == 503
    assert b"Wonder is not answering" in response.content
    assert b"Request id to quote" in response.content


def test_rejected_credentials_tell_the_admin_what_to_check(agent_browser, live_sandbox, settings):
    settings.WONDER_PRIVATE_KEY = new_key_pair().private_pem.decode()  # not the sandbox's key
    response = agent_browser.get("/customers/")
    assert response.status_code == 502
    assert b"rejected the dashboard&#x27;s credentials" in response.content
    assert b"check the AppID and private key" in response.content


def test_a_rejected_request_shows_wondes_code_and_message_escaped(agent_browser, point_at):
    answer = ScriptedAnswer(
        400, {"code": "E100001", "message": "<img src=x onerror=alert(1)> bad offset"}
    )
    with ScriptedWonder(answer) as wonder:
        point_at(wonder.base_url)
        response = agent_browser.get("/customers/")
    html = response.content.decode()
    assert response.status_code == 502
    assert "Wonder refused the request" in html
    assert "<code>E100001</code>" in html
    assert "&lt;img src=x onerror=alert(1)&gt; bad offset" in html and "<img" not in html


def test_missing_credentials_are_a_clear_503(agent_browser, live_sandbox, settings):
    settings.WONDER_PRIVATE_KEY = ""
    settings.WONDER_PRIVATE_KEY_FILE = "/nonexistent/key.pem"
    response = agent_browser.get("/customers/")
    assert response.status_code == 503
    assert b"not connected to Wonder" in response.content


def test_a_cached_copy_is_shown_with_its_time_when_wonder_stops_answering(
    agent_browser, live_sandbox, settings
):
    fresh = agent_browser.get("/customers/").content.decode()
    settings.WONDER_PAGE_CACHE_SECONDS = 0
    live_sandbox.set_faults(fault="down")
    response = agent_browser.get("/customers/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wonder is not answering" in html and "Showing data from " in html
    first = live_sandbox.store.page(None, 0, 1)[0]["uuid"]
    assert first in html and first in fresh


def test_htmx_error_fragments_carry_the_message(agent_browser, live_sandbox):
    live_sandbox.set_faults(fault="down")
    cache.clear()
    response = agent_browser.get("/customers/", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert b"Wonder is not answering" in response.content
    assert b"<html" not in response.content
