"""Log lines carry the request id and user, and can never carry a token or card number."""

from __future__ import annotations

import logging

import pytest

from accounts.redaction import redact_secrets


@pytest.mark.parametrize(
    "card",
    [
        "4111111111111111",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "378282246310005",
        "6250941006528599123",
        "4111.1111.1111.1111",
        "4111  1111  1111  1111",
        "4111/1111/1111/1111",
        "4111 – 1111 – 1111 – 1111",
    ],
)
def test_a_planted_card_number_never_reaches_the_log(log_output, card):
    logging.getLogger("customers_app.anything").warning("charge failed for %s today", card)
    written = log_output.getvalue()
    assert "charge failed for [REDACTED] today" in written
    assert card not in written and card.replace(" ", "").replace("-", "") not in written


def test_token_values_are_redacted_in_every_shape(log_output):
    logger = logging.getLogger("customers_app.anything")
    logger.info('payload {"token": "abc123secret", "state": "active"}')
    logger.info("dict %s", {"token": "def456secret"})
    logger.info("query token=ghi789secret&x=1 and a bare tok_live0123456789")
    written = log_output.getvalue()
    for secret in ("abc123secret", "def456secret", "ghi789secret", "tok_live0123456789"):
        assert secret not in written
    assert '"state": "active"' in written


def test_a_card_number_in_an_exception_is_redacted(log_output):
    try:
        raise ValueError("bad card 5555 5555 5555 4444")
    except ValueError:
        logging.getLogger("customers_app.anything").exception("failed")
    written = log_output.getvalue()
    assert "ValueError: bad card [REDACTED]" in written
    assert "5555 5555 5555 4444" not in written


def test_masked_cards_dates_and_short_numbers_are_left_alone():
    text = "card 411111******1111 on 2026-11-24 12:00, phone +852 9123 4567, id 123456"
    assert redact_secrets(text) == text


@pytest.mark.parametrize(
    "request_id",
    [
        # uuids whose middle groups happen to be all digits: 14 and 32 digits between dashes.
        "8c3e2d1a-5529-7872-0303-43ab12cd34ef",
        "55297872-0303-4311-9123-456789012345",
    ],
)
def test_a_uuid_of_digits_is_not_taken_for_a_card_number(request_id):
    text = f"wonder GET /customers status=200 request_id={request_id}"
    assert redact_secrets(text) == text


@pytest.mark.django_db
def test_log_lines_name_the_request_id_and_user(client, log_output, django_user_model):
    user = django_user_model.objects.create_user("logger1", password="a-long-test-password-9")
    client.force_login(user)
    client.get(
        "/accounts/password_change/", HTTP_X_REQUEST_ID="0b8f6a52-5c1e-4a53-9b0d-2f1d7c1f0a11"
    )
    client.get("/audit/")  # refused: the 403 is audited and logged inside the request
    line = next(
        line for line in log_output.getvalue().splitlines() if "action=access_denied" in line
    )
    assert "user=logger1" in line
    assert "request_id=" in line and "request_id=-" not in line
