"""The knowledge base in the portal: published public articles only (``knowledge.selectors``
decides; anything else is a 404), the search, the suggestions the new-request form asks for as
the contact types (JSON), and "this solved it", which records that no case was opened."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.downloads import attachment_response
from cases.idempotency import idempotent
from contracts.models import Installation
from knowledge import selectors as kb_selectors
from knowledge import services as kb_services

from .access import contact_required

PER_PAGE = 20
MIN_SUGGEST = 3  # characters typed before anything is suggested


def _query(request: HttpRequest, name: str = "q") -> str:
    return " ".join(str(request.GET.get(name) or request.POST.get(name) or "").split())[
        : kb_selectors.MAX_QUERY
    ]


@contact_required
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    q = _query(request)
    page = Paginator(kb_selectors.public_search(q), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/knowledge_list.html",
        {"q": q, "page": page, "query": urlencode({"q": q}) if q else ""},
    )


@contact_required
@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = kb_selectors.public_article_or_404(pk)
    article.files = list(article.attachments.all())  # type: ignore[attr-defined]
    return render(
        request,
        "portal/knowledge_detail.html",
        {"article": article, "q": _query(request), "from_request": request.GET.get("desde") == "solicitud"},
    )


@contact_required
@require_GET
def suggestions(request: HttpRequest) -> JsonResponse:
    """Public articles of the company's products sharing words with the text typed (``q``)."""
    contact = request.contact  # type: ignore[attr-defined]
    q = _query(request)
    if len(q) < MIN_SUGGEST:
        return JsonResponse({"results": []})
    products = Installation.objects.filter(customer_id=contact.customer_id).values("product_id")
    found = kb_selectors.suggestions(q, product_ids=products)
    return JsonResponse(
        {
            "results": [
                {
                    "id": article.pk,
                    "title": article.title,
                    "product": article.product.name,
                    "problem": article.problem[:180],
                    "url": reverse("portal:knowledge_article", args=[article.pk])
                    + "?"
                    + urlencode({"q": q, "desde": "solicitud"}),
                }
                for article in found
            ]
        }
    )


@contact_required
@require_POST
@idempotent
def article_solved(request: HttpRequest, pk: int) -> HttpResponse:
    """The contact says this article solved it: recorded once per form, and no case is opened."""
    article = kb_selectors.public_article_or_404(pk)
    kb_services.deflection_record(article=article, contact=request.contact, query=_query(request))  # type: ignore[attr-defined]
    messages.success(
        request,
        _("We are glad it is solved. No case was opened; if the problem comes back, send us a new request."),
    )
    return redirect("portal:home")


@contact_required
@require_GET
def article_attachment(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A file of a published public article (any other article's is a 404); always a download."""
    article = kb_selectors.public_article_or_404(pk)
    return attachment_response(get_object_or_404(article.attachments.all(), pk=file_pk))
