"""The knowledge base on the desk: an article from a case (customer data replaced, flagged,
not publishable unedited), related articles and canned replies on the case page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.tests.factories import customer_setup, engineer, manager, registered_case
from knowledge.models import Article, ArticleState, CannedReply, Visibility
from knowledge.tests.factories import article

pytestmark = pytest.mark.django_db


@pytest.fixture
def eng():
    return engineer(username="ing.desk", first_name="Laura", last_name="Gómez")


def _case(**overrides):
    setup = customer_setup()
    setup["customer"].name = "Aerolínea de los Llanos"
    setup["customer"].save()
    setup["requester"].full_name = "Marta Ruiz"
    setup["requester"].email = "marta.ruiz@llanos.example"
    setup["requester"].save()
    values = {
        "subject": "ERR-4012 en Aerolínea de los Llanos",
        "description": "Marta Ruiz (marta.ruiz@llanos.example) dice que la grabación se detiene con ERR-4012.",
    }
    values.update(overrides)
    return registered_case(setup=setup, **values)


def test_create_an_article_from_a_case(client, eng) -> None:
    case = _case()
    client.force_login(eng)
    response = client.post(reverse("cases:article_from_case", args=[case.number]))
    made = Article.objects.get()
    assert response.status_code == 302 and response.url == reverse("knowledge:edit", args=[made.pk])
    text = f"{made.title} {made.problem}"
    assert "Marta" not in text and "Llanos" not in text and "@" not in text
    assert made.product == case.product and made.source_case_number == case.number
    assert made.state == ArticleState.DRAFT and made.visibility == Visibility.INTERNAL
    page = client.get(response.url).content.decode()
    assert 'data-testid="copied-warning"' in page and "Marta Ruiz" in page  # flagged to the author


def test_a_manager_cannot_publish_an_unedited_copy_from_the_page(client, eng) -> None:
    case = _case()
    client.force_login(eng)
    client.post(reverse("cases:article_from_case", args=[case.number]))
    made = Article.objects.get()
    client.post(reverse("knowledge:transition", args=[made.pk]), {"to": "review"})
    boss = manager(username="ger.desk")
    client.force_login(boss)
    response = client.post(reverse("knowledge:transition", args=[made.pk]), {"to": "published"}, follow=True)
    assert "copiado del caso" in response.content.decode() or "copied from case" in response.content.decode()
    made.refresh_from_db()
    assert made.state == ArticleState.REVIEW


def test_an_engineer_is_not_offered_publishing(client, eng) -> None:
    made = article(author=eng, state=ArticleState.REVIEW)
    client.force_login(eng)
    page = client.get(reverse("knowledge:detail", args=[made.pk])).content.decode()
    assert 'value="published"' not in page
    client.post(reverse("knowledge:transition", args=[made.pk]), {"to": "published"})
    made.refresh_from_db()
    assert made.state == ArticleState.REVIEW


def test_the_case_page_shows_related_articles_and_fills_canned_replies(client, eng) -> None:
    case = _case()
    boss = manager(username="ger.rel")
    related = article(author=eng, publisher=boss, product=case.product, visibility=Visibility.INTERNAL)
    unrelated = article(
        author=eng,
        publisher=boss,
        title="Impresora sin papel",
        problem="Sin papel.",
        symptoms="",
        error_codes="",
        solution="Poner papel.",
    )
    CannedReply.objects.create(title="Saludo", body="Hola {contacto}: su caso {caso} lo atiende {ingeniero}.")
    CannedReply.objects.create(title="Otro producto", body="x", product=unrelated.product)
    client.force_login(eng)
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert related.title in page and unrelated.title not in page
    assert f"Hola Marta Ruiz: su caso {case.number} lo atiende Laura Gómez." in page
    assert "Otro producto" not in page
