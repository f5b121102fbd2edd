"""The knowledge base in the portal: a contact reads and is suggested published public articles
only (internal, draft or in-review ones are a 404 and never suggested), and "this solved it" is
recorded once per form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.idempotency import TOKEN_FIELD
from contracts.tests.factories import ProductFactory
from knowledge.models import ArticleState, Deflection, Visibility
from knowledge.tests.factories import article

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(world: World) -> dict:
    product = world.case_a.product
    make = lambda **kw: article(author=world.engineer, publisher=world.manager, product=product, **kw)  # noqa: E731
    return {
        "public": make(title="La grabación se detiene con ERR-4012"),
        "internal": make(title="Interno ERR-4012 parche privado", visibility=Visibility.INTERNAL),
        "draft": make(title="Borrador ERR-4012", state=ArticleState.DRAFT, visibility=Visibility.PUBLIC),
        "review": make(title="Revisión ERR-4012", state=ArticleState.REVIEW, visibility=Visibility.PUBLIC),
    }


def _signed_in(client, contact):
    client.force_login(contact.user)
    return client


def test_a_contact_reads_only_published_public_articles(client, world, articles) -> None:
    _signed_in(client, world.a1)
    listing = client.get(reverse("portal:knowledge_list"), {"q": "ERR-4012"}).content.decode()
    assert articles["public"].title in listing
    for hidden in ("internal", "draft", "review"):
        assert articles[hidden].title not in listing
        response = client.get(reverse("portal:knowledge_article", args=[articles[hidden].pk]))
        assert response.status_code == 404
    page = client.get(reverse("portal:knowledge_article", args=[articles["public"].pk]))
    assert page.status_code == 200 and "Liberar espacio en el disco de audio" in page.content.decode()


def test_suggestions_offer_only_published_public_articles(client, world, articles) -> None:
    _signed_in(client, world.a1)
    response = client.get(
        reverse("portal:knowledge_suggestions"), {"q": "me sale el error ERR-4012 al grabar"}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [articles["public"].pk]
    assert "desde=solicitud" in results[0]["url"]
    assert client.get(reverse("portal:knowledge_suggestions"), {"q": "er"}).json() == {"results": []}


def test_suggestions_keep_to_the_company_products(client, world, articles) -> None:
    other = article(
        author=world.engineer, publisher=world.manager, product=ProductFactory(), title="Otro ERR-4012"
    )
    _signed_in(client, world.a1)
    ids = [
        r["id"]
        for r in client.get(reverse("portal:knowledge_suggestions"), {"q": "ERR-4012"}).json()["results"]
    ]
    assert other.pk not in ids and articles["public"].pk in ids


def test_this_solved_it_is_recorded_once_and_opens_no_case(client, world, articles) -> None:
    from cases.models import Case

    cases_before = Case.objects.count()
    _signed_in(client, world.a1)
    url = reverse("portal:knowledge_solved", args=[articles["public"].pk])
    data = {"q": "ERR-4012 al grabar", TOKEN_FIELD: "t" * 32}
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    deflection = Deflection.objects.get()
    assert deflection.article == articles["public"] and deflection.contact == world.a1
    assert deflection.query == "ERR-4012 al grabar"
    assert Case.objects.count() == cases_before


def test_this_solved_it_on_a_hidden_article_is_a_404_and_records_nothing(client, world, articles) -> None:
    _signed_in(client, world.a1)
    for hidden in ("internal", "draft", "review"):
        response = client.post(reverse("portal:knowledge_solved", args=[articles[hidden].pk]), {"q": "x"})
        assert response.status_code == 404
    assert not Deflection.objects.exists()


def test_the_request_form_asks_for_suggestions(client, world) -> None:
    _signed_in(client, world.a1)
    page = client.get(reverse("portal:case_new")).content.decode()
    assert f'data-sma-suggest="{reverse("portal:knowledge_suggestions")}"' in page


def _with_file(made, author, name: str = "pasos.txt"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from knowledge import services

    return services.article_attach(
        article=made, actor=author, files=[(SimpleUploadedFile(name, b"paso 1\n"), "text/plain")]
    )[0]


def test_article_files_reach_a_contact_only_through_a_public_article(client, world) -> None:
    draft_public = article(author=world.engineer, state=ArticleState.DRAFT, visibility=Visibility.PUBLIC)
    draft_internal = article(author=world.engineer, state=ArticleState.DRAFT, visibility=Visibility.INTERNAL)
    public_file = _with_file(draft_public, world.engineer)
    internal_file = _with_file(draft_internal, world.engineer, "interno.txt")
    from knowledge import services

    for made in (draft_public, draft_internal):
        services.article_transition(article=made, actor=world.engineer, to=ArticleState.REVIEW)
        services.article_transition(article=made, actor=world.manager, to=ArticleState.PUBLISHED)
    _signed_in(client, world.a1)
    page = client.get(reverse("portal:knowledge_article", args=[draft_public.pk])).content.decode()
    assert "pasos.txt" in page
    download = client.get(reverse("portal:knowledge_attachment", args=[draft_public.pk, public_file.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/octet-stream"
    assert b"".join(download.streaming_content) == b"paso 1\n"
    for url in (
        reverse("portal:knowledge_attachment", args=[draft_internal.pk, internal_file.pk]),
        reverse("portal:knowledge_attachment", args=[draft_public.pk, internal_file.pk]),  # not its file
    ):
        assert client.get(url).status_code == 404


def test_the_desk_refuses_an_article_file_that_is_a_web_page(client, world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from knowledge.models import ArticleAttachment

    made = article(author=world.engineer, state=ArticleState.DRAFT)
    client.force_login(world.engineer)
    data = {
        "product": made.product_id,
        "title": made.title,
        "problem": made.problem,
        "solution": made.solution,
        "visibility": "public",
        "attachments": SimpleUploadedFile("pagina.html", b"<html><script>x</script></html>"),
    }
    response = client.post(reverse("knowledge:edit", args=[made.pk]), data)
    assert response.status_code == 400 and "pagina.html" in response.content.decode()
    assert not ArticleAttachment.objects.exists()
    data["attachments"] = SimpleUploadedFile("captura.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    assert client.post(reverse("knowledge:edit", args=[made.pk]), data).status_code == 302
    assert ArticleAttachment.objects.get().original_name == "captura.png"
