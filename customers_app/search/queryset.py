"""The customer index query for a parsed search: what matches, and in which order.

Every text match is a case-insensitive ``LIKE '%...%'`` (or a prefix), which Django escapes:
``%``, ``_`` and ``*`` typed by an agent are literal characters. On PostgreSQL these are
served by trigram indexes on the same expressions (``UPPER(name)`` and so on; see the
migration ``customer_search_indexes``); on SQLite by an FTS5 trigram table
(``sqlite_index.py``), asked the same ``LIKE``.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower, Upper

from customers_app.models import IndexedCustomer
from customers_app.search.name_bigrams import name_part_served
from customers_app.search.sqlite_index import FTS_COLUMNS, FTS_TABLE
from customers_app.search.terms import SearchTerm, TermKind

__all__ = ["customer_exact_matches_queryset", "customer_search_queryset", "indexed_name_part"]

# International call prefix a customer may read out before the dial code ("00852 ...").
_INTERNATIONAL_PREFIX = "00"


def _phone_digits(digits: str) -> str:
    if digits.startswith(_INTERNATIONAL_PREFIX) and len(digits) > 6:
        return digits[len(_INTERNATIONAL_PREFIX) :]
    return digits


# Shorter than a trigram: a part of a name this short ("大文", "Ho") has no trigram to look
# up, so PostgreSQL reads it from a bigram index instead (same migration).
_TRIGRAM = 3
# What pg_trgm counts as a word: letters and digits ("_" and "." end one).
_LETTERS_AND_DIGITS = re.compile(r"[^\W_]+")
# Characters FTS5's LIKE cannot be told to take literally (it has no ESCAPE): text holding
# them is matched on the table itself, as Django escapes it.
_LIKE_SPECIAL = frozenset("%_\\")


def _full_text(field: str, pattern: str) -> Q:
    # ``field`` is one of FTS_COLUMNS (checked by the callers); the pattern is a parameter.
    query = f"SELECT rowid FROM {FTS_TABLE} WHERE {field} LIKE %s"  # noqa: S608
    return Q(pk__in=RawSQL(query, (pattern,)))  # noqa: S611


def _full_text_serves(field: str, value: str) -> bool:
    return (
        connection.vendor == "sqlite"
        and field in FTS_COLUMNS
        and len(value) >= _TRIGRAM
        and not _LIKE_SPECIAL.intersection(value)
    )


def _contains(field: str, value: str, *, lookup: str = "icontains") -> Q:
    """``field`` contains ``value`` (any case), from SQLite's full-text index when it can.

    ``lookup="contains"`` for digits, whose PostgreSQL index is on the column as it is.
    """
    if _full_text_serves(field, value):
        return _full_text(field, f"%{value}%")
    return Q(**{f"{field}__{lookup}": value})


def _reference_starts_with(value: str) -> Q:
    if connection.vendor == "sqlite" and value.isascii():
        # A range over the index on upper(reference_number) (same migration): the trigram
        # lists of "CUS", "000" and the like are long, a B-tree range is not.
        upper = value.upper()
        return Q(reference_upper__gte=upper, reference_upper__lt=upper + "\U0010ffff")
    if _full_text_serves("reference_number", value):
        return _full_text("reference_number", f"{value}%")
    return Q(reference_number__istartswith=value)


def _uuid_match(term: SearchTerm) -> tuple[Q, Q]:
    exact = Q(uuid=term.value) | Q(uuid=term.value.lower()) | Q(reference_number=term.value)
    return exact, exact


def _email_lookup_parts(text: str) -> list[str]:
    """What the index looks up to find emails holding ``text``.

    On PostgreSQL its runs of letters and digits, each at least a trigram long, apart:
    pg_trgm reads "karen.hui" as two words and pads the second at the dot, so it looked up
    "  H" (every word starting with H: ".hk", "hotmail") and took 40 ms; "karen" and "hui"
    apart take 3 ms. Elsewhere (SQLite's full-text table pads nothing) the whole text.
    """
    runs = [run for run in _LETTERS_AND_DIGITS.findall(text) if len(run) >= _TRIGRAM]
    if connection.vendor != "postgresql" or not runs:
        return [text]
    return runs


def _email_contains(text: str) -> Q:
    """The email holds ``text`` (any case), looked up by its parts when the index would pad
    it; the whole text is then checked on the rows found, in an expression no index covers
    (lower case, as for a whole email)."""
    parts = _email_lookup_parts(text)
    if parts == [text]:
        return _contains("email", text)
    matches = Q(email_lowered__contains=text.lower())
    for part in parts:
        matches &= _contains("email", part)
    return matches


def _email_match(term: SearchTerm) -> tuple[Q, Q]:
    local_part = term.value.partition("@")[0]
    if len(local_part) < _TRIGRAM:
        return _contains("email", term.value), Q(email__iexact=term.value)
    # The index looks up the part before the @ alone: a domain's trigrams ("COM", "NET")
    # are in nearly every row, and reading their lists cost more than the rest of the page.
    # The whole text is then checked on those few rows, in an expression no index covers.
    return (
        _email_contains(local_part) & Q(email_lowered__contains=term.value.lower()),
        Q(email__iexact=term.value),
    )


def _phone_match(term: SearchTerm) -> tuple[Q, Q]:
    # The full digits hold the national ones at their end, so "contains" finds the number
    # typed with or without its dial code, and a part of it.
    digits = _phone_digits(term.value)
    return (
        _contains("full_phone_digits", digits, lookup="contains"),
        Q(full_phone_digits=digits) | Q(phone_digits=digits),
    )


def _four_digits_match(term: SearchTerm) -> tuple[Q, Q]:
    return (
        Q(card_last4=term.value) | _contains("full_phone_digits", term.value, lookup="contains"),
        Q(card_last4=term.value) | Q(phone_digits=term.value),
    )


def _name_contains(word: str, *, by_bigram: bool) -> Q:
    if by_bigram:
        # For two characters, "the name's bigrams include them" IS "the name contains them"
        # (both upper-cased): no LIKE beside it, so no row is checked twice after the index.
        return Q(
            RawSQL(
                'ic_bigrams(UPPER("customers_app_indexedcustomer"."name"::text)) '
                "@> ARRAY[UPPER(%s)]",
                (word,),
                output_field=BooleanField(),
            )
        )
    return _contains("name", word)


def _all_words_in_name(words: tuple[str, ...]) -> Q:
    # The bigram index only when no word has a trigram: beside a longer word, a short one
    # ("Ho" of "Ho Chun Kit") matches so many names that its list costs more than it saves.
    use_bigram = connection.vendor == "postgresql" and all(len(w) < _TRIGRAM for w in words)
    # SQLite: the words the full-text index serves go to it in one query, which intersects
    # their trigram lists itself ("chan" and "tai" each match a tenth of all names).
    indexed = [word for word in words if _full_text_serves("name", word)]
    condition = Q()
    if indexed:
        placeholders = " AND ".join("name LIKE %s" for _ in indexed)
        query = f"SELECT rowid FROM {FTS_TABLE} WHERE {placeholders}"  # noqa: S608
        condition &= Q(pk__in=RawSQL(query, tuple(f"%{word}%" for word in indexed)))  # noqa: S611
    for word in words:
        if word not in indexed:
            condition &= _name_contains(word, by_bigram=use_bigram and len(word) == _TRIGRAM - 1)
    return condition


def _text_match(term: SearchTerm) -> tuple[Q, Q]:
    matches = _all_words_in_name(term.words)
    # One or two characters are never how anyone finds an email or a reference number,
    # and leaving those out lets a two-character name part be read from its index alone.
    if len(term.value) >= _TRIGRAM:
        matches |= _reference_starts_with(term.value) | _email_contains(term.value)
    return (
        matches,
        Q(name__iexact=term.value)
        | Q(reference_number__iexact=term.value)
        | Q(email__iexact=term.value),
    )


def _term_match(term: SearchTerm) -> tuple[Q, Q | None]:
    """(what the term matches, what counts as an exact match of it, if anything)."""
    kind = term.kind
    if kind is TermKind.EMAIL:
        return _email_match(term)
    if kind is TermKind.UUID:
        return _uuid_match(term)
    if kind is TermKind.PHONE:
        return _phone_match(term)
    if kind is TermKind.DIGITS4:
        return _four_digits_match(term)
    if kind is TermKind.TEXT:
        return _text_match(term)
    if kind is TermKind.NAME:
        return _all_words_in_name(term.words), Q(name__iexact=term.value)
    if kind is TermKind.REFERENCE:
        return (
            _reference_starts_with(term.value),
            Q(reference_number__iexact=term.value),
        )
    field = {
        TermKind.LAST4: "card_last4",
        TermKind.STATE: "token_state",
        TermKind.TOKEN_TYPE: "token_type",
        TermKind.ERROR_CODE: "error_code",
        TermKind.SOURCE: "linked_source_type",
    }[kind]
    # Filters, not searches: every row they keep matches them exactly, so they do not rank.
    return Q(**{field: term.value}), None


def _matching(
    terms: tuple[SearchTerm, ...], linked_source_type: str | None
) -> tuple[QuerySet[IndexedCustomer], Q | None]:
    """Index rows matching every term (AND), and what makes one of them an exact match (None
    when no term ranks)."""
    queryset = IndexedCustomer.objects.alias(
        email_lowered=Lower("email"), reference_upper=Upper("reference_number")
    )
    if linked_source_type:
        queryset = queryset.filter(linked_source_type=linked_source_type)
    any_exact = None
    for term in terms:
        matches, exact = _term_match(term)
        queryset = queryset.filter(matches)
        if exact is not None:
            any_exact = exact if any_exact is None else any_exact | exact
    return queryset, any_exact


def customer_search_queryset(
    *, terms: tuple[SearchTerm, ...], linked_source_type: str | None = None, ranked: bool = True
) -> QuerySet[IndexedCustomer]:
    """Index rows matching every term (AND), exact matches first, then by name, then pk.

    ``ranked=False`` leaves the order out, for counting.

    The pk is the tie-breaker: rows with the same name would otherwise come back in a
    different order per query, which skips or repeats rows from page to page.
    """
    queryset, any_exact = _matching(terms, linked_source_type)
    if not ranked:
        return queryset.order_by()
    if any_exact is None:
        return queryset.order_by("name", "pk")
    # Exact on any searched term puts the row first: "6589 8353" lists the customer whose
    # whole number it is before those whose number merely contains it.
    rank = Case(When(any_exact, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(search_rank=rank).order_by("search_rank", "name", "pk")


def customer_exact_matches_queryset(
    *, terms: tuple[SearchTerm, ...], linked_source_type: str | None = None
) -> QuerySet[IndexedCustomer]:
    """The rows ``customer_search_queryset`` ranks first (exact on a term), in its order.

    A condition rather than the rank's CASE, so that the database finds them by their indexes.
    """
    queryset, any_exact = _matching(terms, linked_source_type)
    if any_exact is None:
        return queryset.none()
    return queryset.filter(any_exact).order_by("name", "pk")


def indexed_name_part(
    *, terms: tuple[SearchTerm, ...], linked_source_type: str | None = None
) -> str | None:
    """The two-character Chinese name part ("大文") that is the whole search, when the name
    bigram table (name_bigrams.py) can page and count it; otherwise None."""
    if connection.vendor != "postgresql" or linked_source_type or len(terms) != 1:
        return None
    term = terms[0]
    if term.kind not in (TermKind.TEXT, TermKind.NAME) or term.words != (term.value,):
        return None
    return term.value if name_part_served(term.value) else None
