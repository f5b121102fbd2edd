"""Articles built through the services (with their audit rows), in any state."""

from __future__ import annotations

from typing import Any

from contracts.models import Product
from contracts.tests.factories import ProductFactory
from knowledge import services
from knowledge.models import Article, ArticleState, Visibility


def article(
    *,
    author: Any,
    publisher: Any = None,
    product: Product | None = None,
    state: str = ArticleState.PUBLISHED,
    visibility: str = Visibility.PUBLIC,
    title: str = "La grabación se detiene con ERR-4012",
    problem: str = "El servicio de grabación se detiene al llenarse el disco de audio.",
    symptoms: str = "Mensaje «ERR-4012: no se pudo escribir el archivo de audio».",
    error_codes: str = "ERR-4012",
    solution: str = "Liberar espacio en el disco de audio.\nReiniciar el servicio de grabación.",
    **extra: Any,
) -> Article:
    made = services.article_create(
        actor=author,
        product=product or ProductFactory(),
        title=title,
        problem=problem,
        symptoms=symptoms,
        error_codes=error_codes,
        solution=solution,
        visibility=visibility,
        **extra,
    )
    if state in (ArticleState.REVIEW, ArticleState.PUBLISHED):
        made = services.article_transition(article=made, actor=author, to=ArticleState.REVIEW)
    if state == ArticleState.PUBLISHED:
        made = services.article_transition(article=made, actor=publisher or author, to=ArticleState.PUBLISHED)
    return made
