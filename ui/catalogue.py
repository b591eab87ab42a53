"""The translation catalogues: compiled from ``locale/*/LC_MESSAGES/*.po`` to ``.mo`` files.

Compiled catalogues are build output (git ignores them). They are made in pure Python with
Babel, so neither running nor testing the dashboard needs GNU gettext's ``msgfmt``: by
``make install`` / ``make run`` / ``make serve`` (``python -m ui.catalogue``) and, for a bare
``pytest``, by the test session (tests/conftest.py). Only a ``.mo`` older than its ``.po`` is
compiled again. Adding translations: ``python manage.py makemessages -l zh_Hant`` (this
project's makemessages knows what to leave out), edit the ``.po``, compile.

Imports nothing of Django: the Makefile runs it before any setting is configured.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = [
    "LOCALE_DIR",
    "CatalogueProblem",
    "catalogue_compile",
    "catalogue_files",
    "catalogue_problems",
]

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@dataclass(frozen=True)
class CatalogueProblem:
    """One entry a user would see in English: untranslated, or fuzzy (a guess to review)."""

    po_file: Path
    msgid: str
    problem: str

    def __str__(self) -> str:
        return f"{self.po_file.relative_to(LOCALE_DIR)}: {self.problem}: {self.msgid!r}"


def catalogue_files(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Every ``.po`` file under ``locale_dir``, sorted."""
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def _read(po_file: Path) -> Catalog:
    with po_file.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def catalogue_problems(po_file: Path) -> list[CatalogueProblem]:
    """Entries of ``po_file`` that are untranslated or fuzzy (Babel skips fuzzy ones when
    compiling, so either would show the English text)."""
    problems = []
    for message in _read(po_file):
        if not message.id:  # the header
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(CatalogueProblem(po_file, msgid, "fuzzy"))
        elif not all(strings):
            problems.append(CatalogueProblem(po_file, msgid, "untranslated"))
    return problems


def catalogue_compile(*, locale_dir: Path = LOCALE_DIR, force: bool = False) -> list[Path]:
    """Write the ``.mo`` beside every ``.po`` whose ``.mo`` is missing or older; returns the
    ``.mo`` files written. Fuzzy entries are left out, as ``msgfmt`` does."""
    written = []
    for po_file in catalogue_files(locale_dir):
        mo_file = po_file.with_suffix(".mo")
        if not force and mo_file.exists() and mo_file.stat().st_mtime >= po_file.stat().st_mtime:
            continue
        catalog = _read(po_file)
        partial = mo_file.with_name(f"{mo_file.name}.{os.getpid()}.partial")
        with partial.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        # Renamed into place: a server reading the catalogue never sees half a file.
        partial.replace(mo_file)
        written.append(mo_file)
    return written


if __name__ == "__main__":
    for path in catalogue_compile(force="--force" in sys.argv[1:]):
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")
