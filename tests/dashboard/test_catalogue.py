"""The Traditional Chinese catalogue is complete: every string the dashboard writes is in it,
translated, and compiles.

Adding text is ``make messages`` (this project's makemessages), translating the new entries
in ``locale/zh_Hant/LC_MESSAGES/django.po`` and ``make catalogue``; these tests fail until
that is done.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from ui.catalogue import LOCALE_DIR, catalogue_compile, catalogue_files, catalogue_problems

PROJECT_DIR = LOCALE_DIR.parent
CATALOGUE = LOCALE_DIR / "zh_Hant" / "LC_MESSAGES" / "django.po"
# What the copy for makemessages leaves out: nothing in these holds dashboard text, and
# copying .venv would take longer than the test.
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "var", "staticfiles", "node_modules", "test-artifacts", "__pycache__",
    "*.mo", ".pytest_cache", ".ruff_cache", "docs", "vendor",
)  # fmt: skip


def _msgids(po_file: Path) -> set[tuple[str, str | None]]:
    with po_file.open("rb") as handle:
        catalog = read_po(handle)
    return {
        (message.id if isinstance(message.id, str) else message.id[0], message.context)
        for message in catalog
        if message.id
    }


def test_there_is_a_traditional_chinese_catalogue():
    assert CATALOGUE in catalogue_files()


def test_every_entry_is_translated_and_none_is_fuzzy():
    problems = [
        str(problem) for po_file in catalogue_files() for problem in catalogue_problems(po_file)
    ]
    assert problems == [], "Translate these (docs/glossary-zh-hant.md):\n" + "\n".join(problems)


def test_an_untranslated_or_fuzzy_entry_is_found(tmp_path):
    """The check above can fail: a catalogue with one of each is reported twice."""
    po_file = tmp_path / "zh_Hant" / "LC_MESSAGES" / "django.po"
    po_file.parent.mkdir(parents=True)
    po_file.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Customers"\nmsgstr "客戶"\n\n'
        'msgid "Log out"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Log in"\nmsgstr "登入"\n',
        encoding="utf-8",
    )
    found = {(problem.msgid, problem.problem) for problem in catalogue_problems(po_file)}
    assert found == {("Log out", "untranslated"), ("Log in", "fuzzy")}


def test_the_catalogue_compiles_without_gnu_gettext_and_django_reads_it(tmp_path):
    locale_dir = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale_dir, ignore=shutil.ignore_patterns("*.mo"))
    written = catalogue_compile(locale_dir=locale_dir)
    assert [path.name for path in written] == ["django.mo"]
    assert catalogue_compile(locale_dir=locale_dir) == []  # not again while up to date
    with translation.override("zh-hant"):
        assert translation.gettext("Customers") == "客戶"
        assert translation.gettext("Failed card bindings") == "綁定失敗的付款卡"


@pytest.mark.slow
def test_makemessages_finds_nothing_missing_from_the_catalogue(tmp_path):
    """Run this project's makemessages on a copy of the code: every string it extracts must
    already be in the catalogue (and so, by the test above, translated)."""
    if shutil.which("xgettext") is None:
        message = "makemessages needs GNU gettext: `apt-get install gettext` (.ci/run does)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    copy = tmp_path / "project"
    shutil.copytree(PROJECT_DIR, copy, ignore=_NOT_COPIED)
    environment = {
        **os.environ,
        "DEBUG": "true",
        "DASHBOARD_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    environment.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hant"],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    extracted = _msgids(copy / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po")
    missing = sorted(message for message in extracted - _msgids(CATALOGUE) if message[0])
    assert missing == [], (
        "Strings not in the catalogue: run `make messages`, translate them, `make catalogue`:\n"
        + "\n".join(repr(message) for message in missing)
    )
