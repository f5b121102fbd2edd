"""Articles' states, who publishes, the audit trail, copying from a case, and the search."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from contracts.tests.factories import ProductFactory
from knowledge import selectors, services
from knowledge.models import Article, ArticleEvent, ArticleState, Visibility

from .factories import article

pytestmark = pytest.mark.django_db


def test_draft_review_published_each_with_an_audit_row(eng, mgr) -> None:
    made = article(author=eng, publisher=mgr)
    assert made.state == ArticleState.PUBLISHED and made.published_by == mgr
    events = list(
        ArticleEvent.objects.filter(article=made).values_list("action", "from_state", "to_state", "actor")
    )
    assert events == [
        ("created", "", "draft", eng.pk),
        ("submitted", "draft", "review", eng.pk),
        ("published", "review", "published", mgr.pk),
    ]


def test_an_engineer_cannot_publish(eng) -> None:
    made = article(author=eng, state=ArticleState.REVIEW)
    with pytest.raises(ValidationError, match=r"Solo un gerente|Only a support manager"):
        services.article_transition(article=made, actor=eng, to=ArticleState.PUBLISHED)
    assert Article.objects.get(pk=made.pk).state == ArticleState.REVIEW


def test_a_draft_cannot_skip_review(mgr) -> None:
    made = article(author=mgr, state=ArticleState.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.article_transition(article=made, actor=mgr, to=ArticleState.PUBLISHED)
    assert error.value.code == "invalid_transition"


def test_a_published_article_is_withdrawn_before_an_edit(eng, mgr) -> None:
    made = article(author=eng, publisher=mgr)
    with pytest.raises(ValidationError):
        services.article_update(article=made, actor=eng, title="Otro")
    made = services.article_transition(article=made, actor=mgr, to=ArticleState.DRAFT, note="corregir")
    assert made.published_at is None
    assert ArticleEvent.objects.filter(article=made, action="unpublished", note="corregir").exists()


CASE_TEXT = (
    "Desde Clínica San Rafael (NIT 900.123.456-7) Marta Ruiz reporta ERR-4012 en la grabación; "
    "responder a marta.ruiz@clinicasr.com.co o al 310 555 1234."
)
TERMS = ["Clínica San Rafael", "900123456-7", "Marta Ruiz", "marta.ruiz@clinicasr.com.co", "Marta"]


def _from_case(eng, product=None):
    return services.article_draft_from_case(
        actor=eng,
        case_number="SMA-2026-000042",
        product=product or ProductFactory(),
        version="7.2",
        subject="ERR-4012 en Clínica San Rafael",
        description=CASE_TEXT,
        solution="Se liberó espacio en el disco de audio de Marta.",
        customer_terms=TERMS,
    )


def test_an_article_from_a_case_carries_no_customer_data_and_flags_what_it_found(eng) -> None:
    made = _from_case(eng)
    text = " ".join([made.title, made.problem, made.solution])
    for secret in ("Clínica San Rafael", "Marta", "marta.ruiz@", "900.123.456-7", "310 555 1234"):
        assert secret not in text
    assert "[dato del cliente]" in made.problem and "[correo]" in made.problem
    assert made.error_codes == "ERR-4012"
    assert made.visibility == Visibility.INTERNAL and made.state == ArticleState.DRAFT
    assert made.needs_edit and made.source_case_number == "SMA-2026-000042"
    assert "Marta Ruiz" in made.customer_data_found and "Marta Ruiz" in made.customer_terms


def test_an_article_copied_from_a_case_is_not_published_without_an_edit(eng, mgr) -> None:
    made = _from_case(eng)
    made = services.article_transition(article=made, actor=eng, to=ArticleState.REVIEW)
    with pytest.raises(ValidationError) as error:
        services.article_transition(article=made, actor=mgr, to=ArticleState.PUBLISHED)
    assert error.value.code == "copied_unedited"
    made = services.article_transition(article=made, actor=mgr, to=ArticleState.DRAFT)
    # An edit that puts the customer's name back is still refused.
    made = services.article_update(
        article=made, actor=eng, problem="La grabación de la clinica san rafael se detiene con ERR-4012."
    )
    assert not made.needs_edit
    made = services.article_transition(article=made, actor=eng, to=ArticleState.REVIEW)
    with pytest.raises(ValidationError) as error:
        services.article_transition(article=made, actor=mgr, to=ArticleState.PUBLISHED)
    assert error.value.code == "customer_data"
    made = services.article_transition(article=made, actor=mgr, to=ArticleState.DRAFT)
    made = services.article_update(
        article=made,
        actor=eng,
        problem="La grabación se detiene con ERR-4012 cuando el disco de audio se llena.",
        solution="Liberar espacio en el disco de audio.\nReiniciar el servicio.",
    )
    made = services.article_transition(article=made, actor=eng, to=ArticleState.REVIEW)
    made = services.article_transition(article=made, actor=mgr, to=ArticleState.PUBLISHED)
    assert made.state == ArticleState.PUBLISHED


def test_search_is_spanish_and_accent_insensitive(eng, mgr) -> None:
    made = article(author=eng, publisher=mgr, title="Falla de conexión con la central telefónica")
    # Another word form ("conexiones"), no accents, an error code: all find it.
    for text in ("conexiones telefonica", "CONEXION", "err-4012", "grabaciones detenidas"):
        assert [a.pk for a in selectors.suggestions(text)] == [made.pk], text
    assert list(selectors.public_search("conexión central")) == [made]
    assert selectors.suggestions("impresora") == []


def test_only_published_public_articles_are_suggested_or_read(eng, mgr) -> None:
    public = article(author=eng, publisher=mgr)
    internal = article(author=eng, publisher=mgr, visibility=Visibility.INTERNAL)
    draft = article(author=eng, state=ArticleState.DRAFT, visibility=Visibility.PUBLIC)
    review = article(author=eng, state=ArticleState.REVIEW, visibility=Visibility.PUBLIC)
    assert [a.pk for a in selectors.suggestions("ERR-4012 grabación")] == [public.pk]
    assert list(selectors.public_search("")) == [public]
    assert list(selectors.public_search("grabación")) == [public]
    for hidden in (internal, draft, review):
        with pytest.raises(Exception) as error:
            selectors.public_article_or_404(hidden.pk)
        assert error.type.__name__ == "Http404"
        with pytest.raises(ValidationError):
            services.deflection_record(article=hidden, contact=None, query="x")  # type: ignore[arg-type]


def test_related_articles_for_a_case_include_internal_ones_of_its_product_only(eng, mgr) -> None:
    product = ProductFactory()
    internal = article(author=eng, publisher=mgr, product=product, visibility=Visibility.INTERNAL)
    article(author=eng, publisher=mgr)  # another product
    article(author=eng, product=product, state=ArticleState.DRAFT)
    found = selectors.related_for_case(product_id=product.pk, text="ERR-4012 al grabar")
    assert [a.pk for a in found] == [internal.pk]
