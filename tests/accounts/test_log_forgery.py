"""No value from a request can write a log line of its own (audit finding 2), and every
logger of the process writes through the filter that redacts and escapes."""

from __future__ import annotations

import logging

import pytest

from accounts.log_filters import SecretRedactionFilter, control_characters_escape

pytestmark = pytest.mark.django_db

FORGED = (
    "2026-11-30 09:42:39,662 INFO accounts.audit request_id=- user=- "
    "audit action=login outcome=success user=admin1"
)


def _lines_starting_with_forged_text(written: str) -> list[str]:
    # Any line break a terminal or a log shipper honours, not only "\n".
    return [line for line in written.splitlines() if line.lstrip().startswith(FORGED[:30])]


def test_a_username_with_a_newline_cannot_forge_a_login_line(client, log_output):
    response = client.post(
        "/accounts/login/", {"login": f"mallory\n{FORGED}", "password": "wrong-password-1"}
    )
    assert response.status_code == 200
    written = log_output.getvalue()
    assert _lines_starting_with_forged_text(written) == []
    # The attempt is still logged, on one line, the newline shown as an escape.
    line = next(line for line in written.splitlines() if "action=login" in line)
    assert "outcome=failure" in line
    assert '"mallory\\n' in line


@pytest.mark.parametrize("separator", ["%0a", "%0d", "%0d%0a", "%e2%80%a8", "%c2%85", "%0b"])
def test_a_detail_url_with_a_line_break_cannot_forge_a_line(
    live_sandbox, agent_browser, log_output, separator
):
    forged_path = FORGED.replace(" ", "%20")
    response = agent_browser.get(f"/customers/abc{separator}{forged_path}/")
    assert response.status_code == 404
    assert _lines_starting_with_forged_text(log_output.getvalue()) == []


def test_a_target_cannot_add_fields_to_the_audit_line(live_sandbox, agent_browser, log_output):
    agent_browser.get("/customers/abc%20outcome=success%20user=admin1/")
    line = next(line for line in log_output.getvalue().splitlines() if "action=customer" in line)
    # One outcome and one user field: the target is quoted, its spaces inside the quotes.
    assert line.split(" target=")[0].count(" outcome=") == 1
    assert 'target="abc outcome=success user=admin1"' in line


def test_a_traceback_keeps_its_lines_but_none_can_pass_for_a_log_line(log_output):
    try:
        raise ValueError(f"bad value\n{FORGED}")
    except ValueError:
        logging.getLogger("customers_app.anything").exception("failed for %s", "x\ny")
    written = log_output.getvalue()
    assert "failed for x\\ny" in written
    assert "Traceback (most recent call last):" in written
    assert _lines_starting_with_forged_text(written) == []


def test_control_characters_are_shown_as_escapes():
    assert control_characters_escape("a\nb\rc\td\x1b[31me\u2028f\x00") == (
        "a\\nb\\rc\\td\\u001b[31me\\u2028f\\u0000"
    )
    assert control_characters_escape("plain Chinese 陳大文 text") == "plain Chinese 陳大文 text"


def _real_handlers():
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            # pytest's capture handlers are the test runner's, not the dashboard's.
            # NullHandlers (libraries' defaults) write nothing.
            if not type(handler).__module__.startswith("_pytest") and not isinstance(
                handler, logging.NullHandler
            ):
                yield logger.name, handler


def test_every_handler_of_every_logger_redacts_and_escapes(live_sandbox, agent_browser):
    # Load what a request loads (Django's request and server loggers, the audit logger).
    agent_browser.get("/customers/abc/")
    handlers = list(_real_handlers())
    assert handlers, "no logging handler configured"
    unfiltered = [
        (name, handler)
        for name, handler in handlers
        if not any(isinstance(f, SecretRedactionFilter) for f in handler.filters)
    ]
    assert unfiltered == []
