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
        tsquery = " & ".join(f"{_quote(t)}:*" for t in terms)
        return queryset.extra(
            where=["cases_case.search_tsv @@ to_tsquery('simple', %s)"],
            params=[tsquery],
        )
    condition = Q()
    for term in terms:
        condition &= Q(search_document__contains=term)
    return queryset.filter(condition)


def _quote(term: str) -> str:
    """A term as a tsquery lexeme: quoted, with quotes and backslashes escaped."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
