"""Article search: PostgreSQL full text with the Spanish configuration (stemming, stop words),
accent-insensitive because both sides are folded first (``fold``: lower case, accents removed —
the same folding the case search uses), with a plain fallback for SQLite.

Two ways of matching:
* ``match_all`` (the portal's search box, the desk list): every word, as a prefix;
* ``match_any`` (suggestions while a contact types, related articles on a case): any word, the
  best ranked first, so a pasted error message finds the article that shares its code and words.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

_TERM_RE = re.compile(r"[\w-]+", re.UNICODE)
MAX_TERMS = 12
MIN_LENGTH = 3  # shorter words decide nothing in a suggestion ("de", "el", "no")


def fold(text: str) -> str:
    """Lower case, accents removed, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().split())


def terms_of(text: str, *, min_length: int = 1) -> list[str]:
    seen: list[str] = []
    for raw in _TERM_RE.findall(fold(text)):
        term = raw.strip("-_")
        if len(term) >= min_length and term not in seen:
            seen.append(term)
    return seen[:MAX_TERMS]


def _quote(term: str, *, prefix: bool) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if prefix else "")


def _tsquery(terms: list[str], operator: str) -> str:
    """Whole words (stemmed: "conexiones" finds "conexión"), except the last one, which may still
    be being typed and is a prefix. A prefix on every word would match far too much once stemmed
    ("sale" → 'sal':* finds "saludo")."""
    last = len(terms) - 1
    return f" {operator} ".join(_quote(t, prefix=i == last) for i, t in enumerate(terms))


def _filter(queryset: QuerySet, terms: list[str], operator: str) -> QuerySet:
    if connection.vendor == "postgresql":
        query = "to_tsquery('spanish', %s)"
        param = _tsquery(terms, operator)
        # Constant SQL of ours; the typed text travels only in params.
        match = RawSQL(f"search_tsv @@ {query}", [param], output_field=BooleanField())  # noqa: S611
        rank = RawSQL(f"ts_rank(search_tsv, {query})", [param], output_field=FloatField())  # noqa: S611
        return queryset.filter(match).annotate(rank=rank).order_by("-rank", "-published_at", "-id")
    condition = Q()
    for term in terms:
        piece = Q(search_document__contains=term)
        condition = (condition & piece) if operator == "&" else (condition | piece)
    return queryset.filter(condition)


def match_all(queryset: QuerySet, text: str) -> QuerySet:
    terms = terms_of(text)
    return _filter(queryset, terms, "&") if terms else queryset


def match_any(queryset: QuerySet, text: str) -> QuerySet:
    """The articles sharing any (significant) word with the text, best first; none for no words."""
    terms = terms_of(text, min_length=MIN_LENGTH)
    return _filter(queryset, terms, "|") if terms else queryset.none()


def article_document(
    *, title: str, problem: str, symptoms: str, error_codes: str, solution: str, product: str, versions: str
) -> str:
    return fold(" ".join([title, product, versions, error_codes, problem, symptoms, solution]))[:20000]
