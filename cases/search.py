"""Case search: PostgreSQL full-text (prefix terms, GIN index) with a plain fallback for SQLite.

The text searched is ``Case.search_document``: number, customer, subject and description, folded to
lower case without accents, so "Clínica" matches "clinica". On PostgreSQL a stored generated
column ``search_tsv`` holds ``to_tsvector('simple', search_document)`` with the GIN index
``case_search_tsv_gin`` (migration 0005).
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import Q, QuerySet

from .models import Case

_TERM_RE = re.compile(r"[\w-]+", re.UNICODE)
_NUMBER_RE = re.compile(r"^(?:sma-)?(\d{4})-(\d{1,6})$", re.IGNORECASE)


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


def filter_search(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    text = (text or "").strip()
    if not text:
        return queryset
    number = case_number_query(text)
    if number:
        return queryset.filter(number=number)
    terms = [t for t in _TERM_RE.findall(fold(text)) if t.strip("-")][:8]
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        sql, params = tsquery_sql(terms)
        # Constant SQL of ours; the user's text travels only in params.
        return queryset.extra(where=[f"cases_case.search_tsv @@ ({sql})"], params=params)  # noqa: S610
    condition = Q()
    for term in terms:
        condition &= Q(search_document__contains=term)
    return queryset.filter(condition)


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
    planner folds them, so the GIN index and its statistics apply."""
    parts: list[str] = []
    params: list[str] = []
    plain = [t for t in terms if "-" not in t.strip("-")]
    if plain:
        parts.append("to_tsquery('simple', %s)")
        params.append(" & ".join(f"{_quote(t)}:*" for t in plain))
    for term in terms:
        if "-" in term.strip("-"):
            parts.append(_HYPHENATED_SQL)
            params.extend([_quote(term), *_COMPOUND_PREFIX, *_LAST_PREFIX])
    return " && ".join(parts), params


def _quote(term: str) -> str:
    """A term as a tsquery lexeme: quoted, with quotes and backslashes escaped."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
