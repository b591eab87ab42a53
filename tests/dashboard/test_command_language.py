"""Management commands people read speak their shell's language."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from ui.command_language import shell_language


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"LANG": "zh_HK.UTF-8"}, "zh-hant"),
        ({"LANG": "zh_TW.UTF-8"}, "zh-hant"),
        ({"LC_ALL": "zh_MO.UTF-8", "LANG": "en_GB.UTF-8"}, "zh-hant"),
        ({"LANG": "en_US.UTF-8"}, "en-gb"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "fr_FR.UTF-8"}, None),
        ({}, None),
    ],
)
def test_the_shell_locale_chooses_the_language(environ, expected):
    assert shell_language(environ) == expected


def test_a_command_error_in_the_shells_language(monkeypatch):
    monkeypatch.setenv("LANG", "zh_HK.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    with pytest.raises(CommandError, match="--concurrency 最少要是 1。"):
        call_command("sync_customers", "--concurrency", "0")
    monkeypatch.setenv("LANG", "C.UTF-8")
    with pytest.raises(CommandError, match="--concurrency must be at least 1."):
        call_command("sync_customers", "--concurrency", "0")
