"""What an agent typed into the search box, as typed terms.

No syntax to learn: free text is classified by its shape (an email or part of one, a Wonder
uuid, a phone number in any punctuation, four digits, anything else a name or reference).
People who know more add Stripe-style ``field:value`` terms, combined with AND. A field
nobody knows, or a value a field cannot take, is reported back, never silently ignored.

Nothing here touches the database; ``queryset.py`` turns the terms into a query.
"""

from __future__ import annotations

import re
import unicodedata
import uuid as uuid_module
from dataclasses import dataclass
from enum import StrEnum

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from customers_app.models import error_code_normalise
from wonder.records import KNOWN_TOKEN_STATES, LINKED_SOURCE_TYPES

__all__ = [
    "FIELD_NAMES",
    "MAX_QUERY_LENGTH",
    "ParsedQuery",
    "SearchTerm",
    "TermKind",
    "query_parse",
]

# Longer than any name, email or phone a person reads out, and a bound on the work one
# search may ask of the database (each term is a LIKE over an index).
MAX_QUERY_LENGTH = 200
# A phone number needs this many digits to be searched as one: fewer match most numbers.
MIN_PHONE_DIGITS = 4
TOKEN_TYPES = ("CreditCard", "AlipayAutoDebit", "WechatPayAutoDebit")


class TermKind(StrEnum):
    """How a term matches; also what the audit trail records instead of the term itself."""

    EMAIL = "email"  # free text with an @, or email:
    UUID = "uuid"  # a Wonder uuid, exact (or a reference number that looks like one)
    PHONE = "phone"  # digits of a phone, with or without the dial code
    DIGITS4 = "phone_or_last4"  # exactly four digits: end of a phone or a card's last 4
    # Anything else typed freely: every word in the name, or the whole text in the email or
    # at the start of a reference number.
    TEXT = "text"
    NAME = "name"  # name:
    REFERENCE = "reference"  # ref:
    LAST4 = "last4"
    STATE = "state"
    TOKEN_TYPE = "type"  # noqa: S105 (a field name, not a secret)
    ERROR_CODE = "error"
    SOURCE = "source"


@dataclass(frozen=True)
class SearchTerm:
    kind: TermKind
    # Normalised for matching: digits only for phones, canonical spelling for choices.
    value: str
    # For a name of several words: each must appear (in any order, any case).
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    terms: tuple[SearchTerm, ...]
    # What the page says about fields or values it could not use; the search is not run.
    errors: tuple[str, ...]

    @property
    def kinds(self) -> list[str]:
        return sorted({str(term.kind) for term in self.terms})

    @property
    def is_valid(self) -> bool:
        return bool(self.terms) and not self.errors


FIELD_NAMES = ("email", "phone", "name", "ref", "last4", "state", "type", "error", "source")

# ``field:value`` or ``field:"a quoted value"``, at the start or after a space. The field
# starts with a letter, so ``http://x`` is read as an unknown field, ``+852:6589`` never is.
_FIELD_TERM = re.compile(
    r'(?:^|(?<=\s))(?P<field>[A-Za-z][A-Za-z0-9_]*):(?:"(?P<quoted>[^"]*)"?|(?P<bare>\S*))'
)
_PHONE_SHAPE = re.compile(r"\+?[0-9\s\-().]+")
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _digits(text: str) -> str:
    return "".join(character for character in text if "0" <= character <= "9")


def _is_uuid(text: str) -> bool:
    try:
        uuid_module.UUID(text)
    except ValueError:
        return False
    return len(text) == 36


def _choice(value: str, choices: tuple[str, ...]) -> str | None:
    """The canonical spelling of ``value`` among ``choices``, any case; None if absent."""
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    return None


def _free_text_term(text: str) -> SearchTerm:
    """What the shape of free text says it is."""
    if "@" in text:
        return SearchTerm(TermKind.EMAIL, text)
    if _is_uuid(text):
        # As typed: a merchant may use uuids as reference numbers too.
        return SearchTerm(TermKind.UUID, text)
    # Full-width digits (typed with a Chinese input method) count as the digits they show.
    as_digits = unicodedata.normalize("NFKC", text)
    digits = _digits(as_digits)
    if len(digits) >= MIN_PHONE_DIGITS and _PHONE_SHAPE.fullmatch(as_digits):
        if len(digits) == 4 and as_digits.isdigit():
            return SearchTerm(TermKind.DIGITS4, digits)
        return SearchTerm(TermKind.PHONE, digits)
    return SearchTerm(TermKind.TEXT, text, words=tuple(text.split()))


def _field_term(field: str, value: str) -> SearchTerm | str:
    """The term for ``field:value``, or the message saying why it cannot be one."""
    shown = value[:40]
    if field not in FIELD_NAMES:
        return format_lazy(
            _("Unknown field “{field}:”. Search by {fields}, or leave the field out."),
            field=field[:20],
            fields=", ".join(f"{name}:" for name in FIELD_NAMES),
        )
    if not value:
        return format_lazy(_("“{field}:” needs a value after the colon."), field=field)
    if field == "email":
        return SearchTerm(TermKind.EMAIL, value)
    if field == "name":
        return SearchTerm(TermKind.NAME, value, words=tuple(value.split()))
    if field == "ref":
        return SearchTerm(TermKind.REFERENCE, value)
    if field == "phone":
        value = unicodedata.normalize("NFKC", value)
        digits = _digits(value)
        if not _PHONE_SHAPE.fullmatch(value) or len(digits) < MIN_PHONE_DIGITS:
            return format_lazy(
                _("“phone:{value}” is not a phone number: give at least {count} digits "
                  "(spaces, dashes, brackets and + are fine)."),
                value=shown,
                count=MIN_PHONE_DIGITS,
            )  # fmt: skip
        return SearchTerm(TermKind.PHONE, digits)
    if field == "last4":
        if not (len(value) == 4 and value.isascii() and value.isdigit()):
            return format_lazy(
                _("“last4:{value}” is not the last 4 digits of a card: give exactly 4 digits."),
                value=shown,
            )
        return SearchTerm(TermKind.LAST4, value)
    choices = {
        "state": (TermKind.STATE, KNOWN_TOKEN_STATES),
        "type": (TermKind.TOKEN_TYPE, TOKEN_TYPES),
        "source": (TermKind.SOURCE, LINKED_SOURCE_TYPES),
    }
    if field in choices:
        kind, allowed = choices[field]
        canonical = _choice(value, allowed)
        if canonical is None:
            return format_lazy(
                _("“{field}:{value}” is not a known value; {field}: takes one of {choices}."),
                field=field,
                value=shown,
                choices=", ".join(allowed),
            )
        return SearchTerm(kind, canonical)
    # field == "error": Wonder's codes are letters and digits ("05", "E200110").
    code = error_code_normalise(value)
    if not (code.isascii() and code.isalnum() and len(code) <= 64):
        return format_lazy(
            _("“error:{value}” is not an error code: Wonder's codes are letters and digits, "
              "such as 05 or E200110."),
            value=shown,
        )  # fmt: skip
    return SearchTerm(TermKind.ERROR_CODE, code)


def query_parse(text: str) -> ParsedQuery:
    """The terms of ``text`` (what the agent typed), and what is wrong with it, if anything.

    Wildcards (``%``, ``_``, ``*``) are ordinary characters: the query builder escapes them.
    """
    text = text.strip()
    if len(text) > MAX_QUERY_LENGTH:
        message = format_lazy(
            _("A search is at most {limit} characters; this one has {length}. Search by "
              "a part of it, such as the phone number or the email."),
            limit=MAX_QUERY_LENGTH,
            length=len(text),
        )  # fmt: skip
        return ParsedQuery(text="", terms=(), errors=(message,))
    if _UNSAFE_CHARACTERS.search(text):
        message = _("The search contains control characters (perhaps from a copy and paste); "
                    "type it again.")  # fmt: skip
        return ParsedQuery(text="", terms=(), errors=(message,))
    terms: list[SearchTerm] = []
    errors: list[str] = []
    free_parts: list[str] = []
    position = 0
    for match in _FIELD_TERM.finditer(text):
        free_parts.append(text[position : match.start()])
        position = match.end()
        value = match.group("quoted")
        value = (value if value is not None else match.group("bare") or "").strip()
        term = _field_term(match.group("field").lower(), value)
        (terms if isinstance(term, SearchTerm) else errors).append(term)
    free_parts.append(text[position:])
    free_text = " ".join(" ".join(free_parts).split())
    if free_text:
        terms.insert(0, _free_text_term(free_text))
    return ParsedQuery(text=text, terms=tuple(terms), errors=tuple(errors))
