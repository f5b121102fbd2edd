"""Reads of the knowledge base.

What a customer's contact may read is decided here and only here: ``public_articles`` (published
and public) is the base of every portal read, suggestion and deflection; anything else is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from . import canned, search
from .models import Article, ArticleState, CannedReply, Visibility

SUGGESTIONS = 5
RELATED = 5
MAX_QUERY = 300


def public_articles() -> QuerySet[Article]:
    """The only articles a customer's contact ever reaches."""
    return Article.objects.filter(state=ArticleState.PUBLISHED, visibility=Visibility.PUBLIC)


def public_article_or_404(pk: int) -> Article:
    article = public_articles().select_related("product").filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def public_search(
    text: str, *, product_ids: Iterable[int] | QuerySet[Any, Any] | None = None
) -> QuerySet[Article]:
    """The portal's list: every word of the text (prefixes), newest first without a text."""
    queryset = public_articles().select_related("product")
    if product_ids is not None:
        queryset = queryset.filter(product_id__in=product_ids)
    text = (text or "")[:MAX_QUERY]
    if not search.terms_of(text):
        return queryset.order_by("-published_at", "-id")
    return search.match_all(queryset, text)


def suggestions(
    text: str, *, product_ids: Iterable[int] | QuerySet[Any, Any] | None = None, limit: int = SUGGESTIONS
) -> list[Article]:
    """Public articles sharing words with what the contact is typing, best first (one query)."""
    queryset = public_articles().select_related("product")
    if product_ids is not None:
        queryset = queryset.filter(product_id__in=product_ids)
    found = list(search.match_any(queryset, (text or "")[:MAX_QUERY])[:limit])
    return _close_to_the_best(found)


# A suggestion ranked below this share of the best one matched only a word or two in passing.
RELATIVE_RANK = 0.3


def _close_to_the_best(found: list[Article]) -> list[Article]:
    ranks = [getattr(article, "rank", None) for article in found]
    if not found or ranks[0] is None:
        return found
    return [article for article, rank in zip(found, ranks, strict=True) if rank >= ranks[0] * RELATIVE_RANK]


def related_for_case(*, product_id: int, text: str, limit: int = RELATED) -> list[Article]:
    """For an engineer on a case: published articles (internal too) of the case's product that
    share words with its subject and description, best first. One bounded query."""
    queryset = Article.objects.filter(state=ArticleState.PUBLISHED, product_id=product_id).only(
        "id", "title", "visibility", "error_codes", "published_at"
    )
    return _close_to_the_best(list(search.match_any(queryset, (text or "")[:MAX_QUERY])[:limit]))


def desk_articles(*, text: str = "", state: str = "", product_id: int | None = None) -> QuerySet[Article]:
    queryset = Article.objects.select_related("product", "author")
    if state:
        queryset = queryset.filter(state=state)
    if product_id:
        queryset = queryset.filter(product_id=product_id)
    if search.terms_of(text[:MAX_QUERY]):
        return search.match_all(queryset, text[:MAX_QUERY])
    return queryset.order_by("-updated_at", "-id")


def canned_replies_for(*, product_id: int | None, values: dict[str, str]) -> list[dict[str, str]]:
    """The active canned replies for a case's product and the general ones, filled in."""
    replies = CannedReply.objects.filter(is_active=True).filter(
        Q(product_id=product_id) | Q(product__isnull=True)
    )
    return [
        {"id": str(reply.pk), "title": reply.title, "text": canned.fill(reply.body, values)}
        for reply in replies.order_by("product_id", "title", "id")
    ]
