"""Case search: PostgreSQL full-text (prefix terms, GIN index) with a plain fallback for SQLite.

The text searched is ``Case.search_document``: number, customer, subject and description, folded to
lower case without accents, so "Clínica" matches "clinica". On PostgreSQL a stored generated
column ``search_tsv`` holds ``to_tsvector('simple', search_document)`` with the GIN index
``case_search_tsv_gin`` (migration 0005).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import Case

_TERM_RE = re.compile(r"[\w-]+", re.UNICODE)
_NUMBER_RE = re.compile(r"^(?:sma-)?(\d{4})-(\d{1,6})$", re.IGNORECASE)
# The start of a case number: "sma-", "sma-2023", "sma-2023-", "2023-".
_NUMBER_PREFIX_RE = re.compile(r"^(?:sma-(\d{0,4})|(\d{4})-)(-?)$", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower case, accents removed, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().split())


def search_document(*, number: str, customer_name: str, subject: str, description: str) -> str:
    return fold(" ".join([number, customer_name, subject, description[:4000]]))


def case_number_query(text: str) -> str | None:
    """``SMA-2026-000123``, ``2026-123`` → the canonical number; anything else → None."""
    match = _NUMBER_RE.match(text.strip())
    if not match:
        return None
    return f"SMA-{match.group(1)}-{int(match.group(2)):06d}"


def case_number_prefix(text: str) -> str | None:
    """``sma-2023``, ``SMA-2023-``, ``2023-`` → the start of the numbers it names; else None."""
    match = _NUMBER_PREFIX_RE.match(text.strip())
    if not match:
        return None
    year = match.group(1) if match.group(1) is not None else match.group(2)
    hyphen = "-" if match.group(3) or match.group(2) is not None else ""
    return f"SMA-{year}{hyphen}"


def filter_search(
    queryset: QuerySet[Case], text: str, *, scan: bool = False, count: bool = False
) -> QuerySet[Case]:
    """Cases matching the search text. ``scan``: the caller knows many cases match (the capped
    count hit its cap) and reads them in a sort index's order: the full-text condition is then
    written so that the GIN index cannot serve it (same result), and PostgreSQL walks the sort
    index testing each row until the page is full — a few hundred rows when matches are many —
    instead of collecting every match from the GIN index and sorting them (its estimate for
    several words multiplies their frequencies and can be 300× too low).

    ``count``: for the capped count (same rows): the GIN index reads the search without the words
    most cases contain ("de", "la", "en" of a pasted sentence: each a posting list of most of the
    table that decides almost nothing) and the whole search is tested on the rows it yields."""
    text = (text or "").strip()
    if not text:
        return queryset
    number = case_number_query(text)
    if number:
        return queryset.filter(number=number)
    prefix = case_number_prefix(text)
    if prefix:
        # A case number being typed: the numbers that start so (the number's own index), like a
        # whole number finds its case. A number's year is its registration's local year
        # (numbering.allocate_case_number): saying so lets the newest-first list start there
        # instead of walking every later case first.
        queryset = queryset.filter(number__startswith=prefix)
        year = int(prefix[4:8]) if len(prefix) >= 8 else 0
        if 1 <= year < 9999:
            zone = timezone.get_current_timezone()
            queryset = queryset.filter(
                registered_at__gte=datetime(year, 1, 1, tzinfo=zone),
                registered_at__lt=datetime(year + 1, 1, 1, tzinfo=zone),
            )
        return queryset
    terms = [t for t in _TERM_RE.findall(fold(text)) if t.strip("-")][:8]
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        sql, params = tsquery_sql(terms)
        # Constant SQL of ours; the user's text travels only in params. The column is unqualified
        # so that it names the case table of whichever query this lands in (also a subquery,
        # where Django aliases the table): no table the case list joins has a column of that name.
        # cases_expand_prefixes (migration 0017) turns each prefix term into the words that exist
        # with that prefix, folded into a constant when the query is planned.
        query = f"{EXPAND_PREFIXES}({sql})"
        if scan:
            raw = f"(search_tsv @@ {query}) IS TRUE"
        elif count:
            # Folded at planning: when nothing was left out, "index = query" is true and only the
            # index condition remains; otherwise the whole search is a filter on its rows.
            index = f"{INDEX_QUERY}({query})"
            raw = f"search_tsv @@ {index} AND ({index} = {query} OR (search_tsv @@ {query}) IS TRUE)"
            params = params * 4
        else:
            raw = f"search_tsv @@ {query}"
        match = RawSQL(raw, params, output_field=BooleanField())  # noqa: S611
        return queryset.filter(match)
    condition = Q()
    for term in terms:
        condition &= Q(search_document__contains=term)
    return queryset.filter(condition)


# Prefix terms and the GIN index: the index answers 'falla':* by collecting every row of every word
# that starts so into a bitmap before intersecting anything, so a search of several long (prefix)
# words costs the sum of their frequencies — 8 words of a pasted sentence, ~60,000 matches at a
# million cases, took 104 ms for the capped count. Exact words are intersected with GIN's fast scan
# instead. The vocabulary table cases_searchlexeme holds every lexeme of every case (kept by
# triggers on cases_case; it never forgets one) and the SQL function below rewrites each prefix
# term into its words ('falla':* → 'falla' | 'fallas'), keeping the prefix when more than 32 words
# share it. Same matches; PostgreSQL folds the function at planning, so the plan and its estimates
# see the exact words.
EXPAND_PREFIXES = "cases_expand_prefixes"
# For the capped count of a dense search: the same AND without its words that at least half of the
# cases contain (by the search column's statistics), at least one word kept (migration 0017).
INDEX_QUERY = "cases_search_index_query"

# A hyphenated token ("srv-200", "x-y") as PostgreSQL's parser splits it, as a phrase whose parts
# are exact words except the last one (and whole hyphenated words), which stay prefixes:
# 'srv' <-> '-200' becomes 'srv' <-> '-200':* (read back with ::tsquery, which takes lexemes as
# they are, where to_tsquery would split 'x-y' again). A prefix on every part ('srv':* <-> '-200':*, what
# to_tsquery('srv-200:*') gives) makes the GIN index read every lexeme starting with "srv" (in
# every case); an exact 'srv' lets its fast scan skip through that long list to the rare part.
_HYPHENATED_SQL = (
    "regexp_replace(regexp_replace(to_tsquery('simple', %s)::text, %s, %s, 'g'), %s, %s)::tsquery"
)
_COMPOUND_PREFIX = (r"'([^' -][^' ]*-[^' ]*)'", r"'\1':*")  # 'x-y' → 'x-y':* (not a signed '-200')
_LAST_PREFIX = (r"'$", "':*")


def tsquery_sql(terms: list[str]) -> tuple[str, list[str]]:
    """SQL for a tsquery matching every term: plain terms as prefixes ("licen" finds "licencia"),
    hyphenated ones as phrases of their parts (see _HYPHENATED_SQL). Constant expressions: the
    planner folds them, so the GIN index and its statistics apply.

    A short word with more text after it ("de", "los", "sin" in "aerolinea de los llanos") is a
    whole word: matched exactly, not as a prefix. As a prefix it would make the GIN index collect
    every case holding any word that starts so ("de" → del, desde, después…: most of the table)
    before intersecting; exact, its fast scan skips through it. The last term stays a prefix (it
    may be a word still being typed), and longer words too ("licencia" finds "licencias")."""
    parts: list[str] = []
    params: list[str] = []
    plain = [(t, i == len(terms) - 1) for i, t in enumerate(terms) if "-" not in t.strip("-")]
    if plain:
        parts.append("to_tsquery('simple', %s)")
        params.append(
            " & ".join(_quote(t) + ("" if _whole_short_word(t, last) else ":*") for t, last in plain)
        )
    for term in terms:
        if "-" in term.strip("-"):
            parts.append(_HYPHENATED_SQL)
            params.extend([_quote(term), *_COMPOUND_PREFIX, *_LAST_PREFIX])
    return " && ".join(parts), params


SHORT_WORD = 3  # letters; "de", "los", "sin", "por"


def _whole_short_word(term: str, last: bool) -> bool:
    return not last and len(term) <= SHORT_WORD


def _quote(term: str) -> str:
    """A term as a tsquery lexeme: quoted, with quotes and backslashes escaped."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
