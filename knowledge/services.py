"""Everything that changes an article, a deflection or a canned reply. Keyword-only, explicit
actor, atomic, ``now`` injectable; every state change writes an ArticleEvent.

States: draft → in review → published (``TRANSITIONS``); a published article can be withdrawn to
draft, one in review returned to draft. Publishing needs the ``knowledge.publish_article``
permission (managers, admins), and is refused for an article copied from a case and not edited
since, or one whose text still holds the customer's data found when it was copied.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import PurePath

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Product, TechnicalContact

from .errors import KnowledgeError
from .models import Article, ArticleAttachment, ArticleEvent, ArticleState, Deflection, Visibility
from .search import article_document, fold

TEXT_FIELDS = ("title", "problem", "symptoms", "error_codes", "solution")

Action = ArticleEvent.Action
# (from, to) → the event it records.
TRANSITIONS: dict[tuple[str, str], str] = {
    (ArticleState.DRAFT, ArticleState.REVIEW): Action.SUBMITTED,
    (ArticleState.REVIEW, ArticleState.DRAFT): Action.RETURNED,
    (ArticleState.REVIEW, ArticleState.PUBLISHED): Action.PUBLISHED,
    (ArticleState.PUBLISHED, ArticleState.DRAFT): Action.UNPUBLISHED,
}
PUBLISHER_ONLY = {Action.PUBLISHED, Action.UNPUBLISHED}

REDACTED = "[dato del cliente]"
REDACTED_EMAIL = "[correo]"
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A Colombian NIT or a long phone number in any punctuation: 900.123.456-7, 3101234567, 601 635 6535.
_NUMBER_RE = re.compile(r"(?<![\w-])\+?\d[\d .-]{6,}\d(?![\w-])")
ERROR_CODE_RE = re.compile(r"\b(?:[A-Z]{2,}[-_]?\d{2,}|0x[0-9A-Fa-f]{4,})\b")


def _digest(article: Article) -> str:
    text = "\x1f".join(str(getattr(article, name)) for name in TEXT_FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()


def _reindex(article: Article) -> None:
    article.search_title = fold(article.title)[:200]
    article.search_document = article_document(
        title=article.title,
        problem=article.problem,
        symptoms=article.symptoms,
        error_codes=article.error_codes,
        solution=article.solution,
        product=article.product.name,
        versions=article.versions,
    )


def _event(
    article: Article, action: str, actor: User, now: datetime, *, before: str = "", note: str = ""
) -> None:
    ArticleEvent.objects.create(
        article=article,
        action=action,
        from_state=before,
        to_state=article.state,
        actor=actor,
        at=now,
        note=note,
    )


@transaction.atomic
def article_create(
    *,
    actor: User,
    product: Product,
    title: str,
    problem: str,
    solution: str,
    symptoms: str = "",
    error_codes: str = "",
    versions: str = "",
    visibility: str = Visibility.INTERNAL,
    now: datetime | None = None,
) -> Article:
    now = now or timezone.now()
    article = Article(
        product=product,
        versions=versions.strip(),
        title=title.strip(),
        problem=problem.strip(),
        symptoms=symptoms.strip(),
        error_codes=error_codes.strip(),
        solution=solution.strip(),
        visibility=visibility,
        author=actor,
        created_at=now,
        updated_at=now,
    )
    _reindex(article)
    article.save()
    _event(article, Action.CREATED, actor, now)
    return article


def _guarded_terms(customer_terms: Sequence[str]) -> set[str]:
    """The customer's data worth looking for: at least 3 characters, and a number only when it has
    at least 6 digits (a NIT, a phone; not a short customer number that any text may contain)."""
    kept = set()
    for raw in customer_terms:
        term = (raw or "").strip()
        digits = sum(ch.isdigit() for ch in term)
        if len(term) < 3 or (not any(ch.isalpha() for ch in term) and digits < 6):
            continue
        kept.add(term)
    return kept


def scrub(text: str, customer_terms: Sequence[str]) -> tuple[str, list[str]]:
    """The text without the customer's data (names, NIT, contacts' names and addresses given in
    ``customer_terms``; any e-mail address; long numbers such as a NIT or a phone), and what was
    found. Case-insensitive; longest terms first so a full name goes before a first name."""
    found: list[str] = list(EMAIL_RE.findall(text))
    text = EMAIL_RE.sub(REDACTED_EMAIL, text)
    for term in sorted(_guarded_terms(customer_terms), key=len, reverse=True):
        pattern = re.compile(re.escape(term), re.IGNORECASE)
        if pattern.search(text):
            found.append(term)
            text = pattern.sub(REDACTED, text)
    for match in _NUMBER_RE.findall(text):
        found.append(match.strip())
    text = _NUMBER_RE.sub(REDACTED, text)
    return text, found


@transaction.atomic
def article_draft_from_case(
    *,
    actor: User,
    case_number: str,
    product: Product,
    version: str,
    subject: str,
    description: str,
    solution: str,
    customer_terms: Sequence[str],
    now: datetime | None = None,
) -> Article:
    """A draft pre-filled from a case: its subject, description and solution with the customer's
    data replaced by placeholders, the error codes it mentions, internal. It keeps the digest of
    that copied text and what customer data was found: it cannot be published until its author
    edits it, nor while any of that data is back in its text."""
    title, found_title = scrub(subject, customer_terms)
    problem, found_problem = scrub(description, customer_terms)
    steps, found_solution = scrub(solution, customer_terms)
    codes = list(dict.fromkeys(ERROR_CODE_RE.findall(f"{subject}\n{description}")))
    article = article_create(
        actor=actor,
        product=product,
        versions=version,
        title=title[:200],
        problem=problem,
        symptoms="",
        error_codes=", ".join(codes)[:300],
        solution=steps or _("(Write the steps that solved it.)"),
        visibility=Visibility.INTERNAL,
        now=now,
    )
    article.source_case_number = case_number
    article.copied_digest = _digest(article)
    article.customer_data_found = sorted(set(found_title + found_problem + found_solution))
    article.customer_terms = sorted(_guarded_terms(customer_terms))
    article.save(
        update_fields=["source_case_number", "copied_digest", "customer_data_found", "customer_terms"]
    )
    return article


def _require_editable(article: Article) -> None:
    if article.state == ArticleState.PUBLISHED:
        raise KnowledgeError(
            _("A published article cannot be edited: withdraw it to draft first."), code="published"
        )


@transaction.atomic
def article_update(
    *, article: Article, actor: User, now: datetime | None = None, **fields: str | Product
) -> Article:
    now = now or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    _require_editable(article)
    allowed = {*TEXT_FIELDS, "versions", "visibility", "product"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown article fields: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(article, name) != value]
    if not changed:
        return article
    for name in changed:
        value = fields[name]
        setattr(article, name, value.strip() if isinstance(value, str) else value)
    if article.copied_digest and _digest(article) != article.copied_digest:
        article.copied_digest = ""  # the author edited the text copied from the case
    article.updated_at = now
    _reindex(article)
    article.save()
    _event(article, Action.EDITED, actor, now, before=article.state, note=", ".join(sorted(changed)))
    return article


@transaction.atomic
def article_attach(
    *,
    article: Article,
    actor: User,
    files: Sequence[tuple[UploadedFile, str]],
    now: datetime | None = None,
) -> list[ArticleAttachment]:
    """Keep files on an article that is not published. ``files``: (upload, content type) pairs the
    desk already checked with the case attachments' rules (size, allowed types, content)."""
    now = now or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    _require_editable(article)
    kept = []
    for upload, content_type in files:
        name = PurePath(upload.name or "archivo").name[:200]
        attachment = ArticleAttachment(
            article=article,
            original_name=name,
            content_type=content_type[:100],
            size=upload.size or 0,
            uploaded_by=actor,
            uploaded_at=now,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        kept.append(attachment)
    if kept:
        article.updated_at = now
        article.save(update_fields=["updated_at"])
        _event(
            article,
            Action.EDITED,
            actor,
            now,
            before=article.state,
            note=", ".join(a.original_name for a in kept),
        )
    return kept


def customer_data_left(article: Article) -> list[str]:
    """The customer's data (found when it was copied from a case) still in the article's text."""
    text = fold(" ".join(str(getattr(article, name)) for name in TEXT_FIELDS))
    return [term for term in article.customer_terms if fold(term) and fold(term) in text]


@transaction.atomic
def article_transition(
    *, article: Article, actor: User, to: str, note: str = "", now: datetime | None = None
) -> Article:
    now = now or timezone.now()
    article = Article.objects.select_for_update().select_related("product").get(pk=article.pk)
    before = article.state
    action = TRANSITIONS.get((before, to))
    if action is None:
        raise KnowledgeError(
            _("An article cannot go from %(before)s to %(after)s.")
            % {"before": ArticleState(before).label, "after": ArticleState(to).label},
            code="invalid_transition",
        )
    if action in PUBLISHER_ONLY and not actor.has_perm("knowledge.publish_article"):
        raise KnowledgeError(
            _("Only a support manager can publish or withdraw articles."), code="not_publisher"
        )
    if action == Action.PUBLISHED:
        if article.needs_edit:
            raise KnowledgeError(
                _(
                    "This article still has the text copied from case %(case)s as it was: edit it "
                    "(describe the problem in general terms) before publishing."
                )
                % {"case": article.source_case_number},
                code="copied_unedited",
            )
        left = customer_data_left(article)
        if left:
            raise KnowledgeError(
                _("The article still contains the customer's data (%(data)s): remove it before publishing.")
                % {"data": ", ".join(left)},
                code="customer_data",
            )
        article.published_at, article.published_by = now, actor
    if action == Action.UNPUBLISHED:
        article.published_at = None
    article.state = to
    article.updated_at = now
    article.save(update_fields=["state", "updated_at", "published_at", "published_by"])
    _event(article, action, actor, now, before=before, note=note.strip())
    return article


@transaction.atomic
def deflection_record(
    *, article: Article, contact: TechnicalContact, query: str = "", now: datetime | None = None
) -> Deflection:
    """The contact says this article solved it and opens no case. Only a published public article
    can be credited (the portal's selectors never show another)."""
    if not article.is_public:
        raise KnowledgeError(_("This article is not available."), code="not_public")
    return Deflection.objects.create(
        article=article,
        contact=contact,
        query=" ".join(query.split())[:300],
        created_at=now or timezone.now(),
    )
