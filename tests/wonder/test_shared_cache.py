"""The shared cache's one rule: an outage costs speed, not the page."""

from __future__ import annotations

import logging

from wonder.shared_cache import cache_attempt


def _redis_down():
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_a_failing_cache_call_gives_the_callers_fallback_and_is_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="wonder.shared_cache"):
        assert cache_attempt(_redis_down, fallback={}, doing="reading k1") == {}
    assert "shared cache failed reading k1" in caplog.text
    assert "Connection refused" in caplog.text


def test_a_working_cache_call_gives_its_own_answer_even_when_falsy():
    assert cache_attempt(lambda: None, fallback="fallback", doing="reading k2") is None
    assert cache_attempt(lambda: False, fallback=True, doing="locking k3") is False
