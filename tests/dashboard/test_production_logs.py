"""What the production profile's processes write to their logs (audit finding 1): gunicorn's
access and error logs and the app's own lines, read from the real log stream of a real
gunicorn, never carry a card number or a forged line."""

from __future__ import annotations

import re
import socket
import time
from urllib.parse import quote, urlsplit

import pytest

from tests.production import redis_url_or_none, start_production_servers

pytestmark = pytest.mark.slow

CARD = "4111111111111111"
REPORT = "/customers/failed-bindings/"
# The card's digits, whatever stands between them in the log: spaces, "+", "%2B", "%20"...
CARD_IN_ANY_SPELLING = re.compile(r"4111(?:\D{0,9}1111){3}")


@pytest.fixture(scope="module")
def server(sandbox_server, key_pair, tmp_path_factory):
    redis_url = redis_url_or_none()
    if redis_url is None:
        pytest.skip("Redis is not reachable on 127.0.0.1:6379 (or REDIS_URL)")
    (started,) = start_production_servers(
        workdir=tmp_path_factory.mktemp("production-logs"),
        wonder_base_url=sandbox_server.base_url,
        private_key_pem=key_pair.private_pem.decode(),
        redis_url=redis_url,
        workers=1,
        threads=2,
        agent_permissions=("view_customers", "view_failed_bindings", "change_followup"),
        # The app's own INFO lines (the audit among them) in the same stream; no scan.
        extra_env={"LOG_LEVEL": "INFO", "SYNC_MAX_AGE_SECONDS": "0"},
    )
    yield started
    started.stop()
    started.forget_cache()


def _log_after(server, action, *, until: tuple[str, ...] = ()) -> str:
    """What the server's log stream gained while ``action`` ran: gunicorn writes the access
    line after the response is sent, so wait (on a busy machine, a while) until every text
    in ``until`` is there, then a moment for anything else."""
    before = len(server.access_log())
    action()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        written = server.access_log()[before:]
        if all(text in written for text in until):
            break
        time.sleep(0.1)
    time.sleep(0.3)
    return server.access_log()[before:]


@pytest.mark.parametrize(
    "search", [CARD, "4111 1111 1111 1111", "4111-1111-1111-1111", "card4111111111111111"]
)
def test_a_searched_card_number_never_reaches_the_log(server, search):
    browser = server.session()
    report_url = f"{REPORT}?{'q=' + quote(search, safe='')}&followup_status="
    follow_up = f"{REPORT}1/follow-up/?next={quote(report_url, safe='')}"

    def browse():
        assert browser.get(f"{server.base_url}{report_url}", timeout=30).status_code == 200
        # The follow-up link repeats the search in next=; the browser sends it as Referer.
        browser.get(
            f"{server.base_url}{follow_up}",
            headers={"Referer": f"{server.base_url}{report_url}"},
            timeout=30,
        )

    written = _log_after(server, browse, until=(f"GET {REPORT}?", f"GET {REPORT}1/follow-up/"))
    assert CARD_IN_ANY_SPELLING.search(written) is None, written
    # The access log still names the page and its parameters, without their values.
    assert f'"GET {REPORT}?q=...&followup_status=... HTTP/1.1" 200' in written
    assert f'"GET {REPORT}1/follow-up/?next=... HTTP/1.1" 404' in written
    # And the app's audit line says a search was made, without the number.
    audit_line = (
        r'action=failed_bindings\.view outcome=success user=agent .*"q": "[^"]*\[REDACTED\]"'
    )
    assert re.search(audit_line, written), written


@pytest.mark.parametrize(
    "header_line",
    [
        # gunicorn refuses these and writes the offending line to its error log.
        f"Card {CARD}",
        "Card 4111 1111 1111 1111",
        f"X-Card\x01{CARD}: yes",
    ],
)
def test_a_malformed_request_with_a_card_number_leaves_none_in_the_error_log(server, header_line):
    def send():
        address = urlsplit(server.base_url)
        with socket.create_connection((address.hostname, address.port), timeout=5) as raw:
            request = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n{header_line}\r\n\r\n"
            raw.sendall(request.encode("latin-1"))
            raw.recv(4096)

    written = _log_after(server, send, until=("Invalid request from",))
    assert "invalid request from ip=127.0.0.1: invalid http header" in written.lower(), written
    assert CARD_IN_ANY_SPELLING.search(written) is None, written
    assert "\x01" not in written


def test_a_path_with_a_line_break_writes_one_escaped_access_line(server):
    forged = 'GET /healthz HTTP/1.1" 200 2 0ms pid=<1> request_id=forged'
    browser = server.session()

    def browse():
        browser.get(f"{server.base_url}/customers/abc%0a{quote(forged)}/", timeout=30)

    written = _log_after(server, browse, until=("GET /customers/abc",))
    assert not any(line.startswith(forged[:20]) for line in written.splitlines()), written
    assert "/customers/abc\\nGET /healthz" in written


def test_a_path_keeps_its_characters_and_loses_its_card_number(server):
    browser = server.session()

    def browse():
        browser.get(f"{server.base_url}/customers/{quote('陳大文 card 4111%2B1111')}/", timeout=30)
        browser.get(f"{server.base_url}/customers/{quote('4111 1111 1111 1111')}/", timeout=30)

    written = _log_after(server, browse, until=("GET /customers/陳大文", "GET /customers/["))
    assert '"GET /customers/陳大文 card 4111%2B1111/ HTTP/1.1" 404' in written, written
    assert '"GET /customers/[REDACTED]/ HTTP/1.1" 404' in written, written
