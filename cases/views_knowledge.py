"""The desk's knowledge base at /conocimiento/: engineers write articles (also from a case),
send them for review; managers publish or withdraw them. The rules are the knowledge services'."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts.actors import request_actor
from knowledge import selectors as kb_selectors
from knowledge import services as kb_services
from knowledge.models import Article, ArticleAttachment, ArticleState

from . import services
from .downloads import attachment_response
from .forms_knowledge import ArticleFilterForm, ArticleForm, TransitionForm
from .idempotency import idempotent
from .models import Case

view_required = permission_required("knowledge.view_article", raise_exception=True)
write_required = permission_required("knowledge.change_article", raise_exception=True)
PER_PAGE = 25


@login_required
@view_required
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    articles = kb_selectors.desk_articles(text=data.get("q") or "", state=data.get("state") or "")
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "knowledge/article_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def _article_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in ArticleForm.base_fields if name != "attachments"}


def _checked_files(form: ArticleForm) -> list[tuple[Any, str]] | None:
    """The form's files checked with the case attachments' rules (all or nothing), or None with
    the reason on the form."""
    try:
        checked = services.attachments_check(form.cleaned_data.get("attachments") or [])
    except ValidationError as error:
        form.add_error("attachments", error)
        return None
    return [(item.upload, item.content_type) for item in checked]


@login_required
@permission_required("knowledge.add_article", raise_exception=True)
@require_http_methods(["GET", "POST"])
@idempotent
def article_new(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, request.FILES or None)
    files = _checked_files(form) if request.method == "POST" and form.is_valid() else None
    if files is not None:
        actor = request_actor(request)
        with transaction.atomic():
            article = kb_services.article_create(actor=actor, **_article_fields(form.cleaned_data))
            kb_services.article_attach(article=article, actor=actor, files=files)
        messages.success(request, _("Draft saved. Send it for review when it is ready."))
        return redirect("knowledge:detail", pk=article.pk)
    return render(
        request,
        "knowledge/article_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@view_required
@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("product", "author", "published_by"), pk=pk)
    article.files = list(article.attachments.all())  # type: ignore[attr-defined]
    return render(
        request,
        "knowledge/article_detail.html",
        {
            "article": article,
            "events": article.events.select_related("actor"),
            "customer_data_left": kb_services.customer_data_left(article),
            "transitions": _transitions(request, article),
        },
    )


def _transitions(request: HttpRequest, article: Article) -> list[tuple[str, str, str]]:
    """(target state, button label, style) the user may ask for."""
    publisher = request.user.has_perm("knowledge.publish_article")
    out: list[tuple[str, str, str]] = []
    if not request.user.has_perm("knowledge.change_article"):
        return out
    if article.state == ArticleState.DRAFT:
        out.append((ArticleState.REVIEW, _("Send for review"), "btn-primary"))
    elif article.state == ArticleState.REVIEW:
        if publisher:
            out.append((ArticleState.PUBLISHED, _("Publish"), "btn-success"))
        out.append((ArticleState.DRAFT, _("Return to draft"), "btn-outline-secondary"))
    elif publisher:
        out.append((ArticleState.DRAFT, _("Withdraw (back to draft)"), "btn-outline-danger"))
    return out


@login_required
@write_required
@require_http_methods(["GET", "POST"])
@idempotent
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("product"), pk=pk)
    initial = {name: getattr(article, name) for name in ArticleForm.base_fields if name != "attachments"}
    form = ArticleForm(request.POST or None, request.FILES or None, initial=initial)
    files = _checked_files(form) if request.method == "POST" and form.is_valid() else None
    if files is not None:
        actor = request_actor(request)
        try:
            with transaction.atomic():
                kb_services.article_update(article=article, actor=actor, **_article_fields(form.cleaned_data))
                kb_services.article_attach(article=article, actor=actor, files=files)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Article saved."))
            return redirect("knowledge:detail", pk=article.pk)
    return render(
        request,
        "knowledge/article_form.html",
        {"form": form, "article": article, "customer_data_left": kb_services.customer_data_left(article)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@write_required
@require_POST
@idempotent
def article_transition(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The change was not saved: choose a valid state."))
        return redirect("knowledge:detail", pk=pk)
    try:
        kb_services.article_transition(
            article=article,
            actor=request_actor(request),
            to=form.cleaned_data["to"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("knowledge:detail", pk=pk)
    messages.success(request, _("Article state changed."))
    return redirect("knowledge:detail", pk=pk)


def case_customer_terms(case: Case) -> list[str]:
    """The customer's data a case's text may carry: company name, NIT and number, and the names,
    e-mails and phones of its designated contacts."""
    customer = case.customer
    terms = [customer.name, customer.nit, customer.customer_number]
    for contact in customer.technical_contacts.all():
        terms += [contact.full_name, contact.email, str(contact.phone or "")]
        terms += [part for part in contact.full_name.split() if len(part) >= 4]
    return [t for t in terms if t]


@login_required
@permission_required("knowledge.add_article", raise_exception=True)
@require_POST
@idempotent
def article_from_case(request: HttpRequest, number: str) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("customer", "product"), number=number)
    article = kb_services.article_draft_from_case(
        actor=request_actor(request),
        case_number=case.number,
        product=case.product,
        version=case.product_version,
        subject=case.subject,
        description=case.description,
        solution=case.solution,
        customer_terms=case_customer_terms(case),
    )
    messages.warning(
        request,
        _(
            "Draft written from case %(case)s with the customer's data replaced. Rewrite the copied "
            "text in general terms: it cannot be published until you edit it."
        )
        % {"case": case.number},
    )
    return redirect("knowledge:edit", pk=article.pk)


@login_required
@view_required
@require_GET
def article_attachment(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """An article's file, for staff; always a download."""
    return attachment_response(get_object_or_404(ArticleAttachment, pk=file_pk, article_id=pk))
