"""Knowledge-base articles per product, their audit trail, the portal's deflections, and the
desk's canned replies.

An article moves draft → in review → published (a manager publishes; the transitions table is in
``services``); only a published public article ever reaches a customer's contact (``selectors``).
``search_document`` holds the article's text folded (lower case, no accents) for the full-text
search; on PostgreSQL the stored generated column ``search_tsv`` (migration 0002) is its Spanish
``tsvector`` with the title weighted first, under a GIN index.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts.models import Product, TechnicalContact


class ArticleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal (engineers only)")
    PUBLIC = "public", _("Public (customers' contacts)")


class Article(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="articles", verbose_name=_("product")
    )
    versions = models.CharField(
        _("versions"),
        max_length=120,
        blank=True,
        help_text=_("The product versions it applies to, e.g. 7.2, 7.3."),
    )
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    symptoms = models.TextField(
        _("symptoms"), blank=True, help_text=_("What the user sees, with the error messages.")
    )
    error_codes = models.CharField(
        _("error codes"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas, e.g. ERR-4012, 0x80070005."),
    )
    solution = models.TextField(_("solution steps"), help_text=_("One step per line."))
    state = models.CharField(
        _("state"), max_length=12, choices=ArticleState.choices, default=ArticleState.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
        verbose_name=_("author"),
    )
    # Written from a case: which one (by number: this room does not know cases), the digest of the
    # text as it was copied (publishing needs an edit of it) and the customer data found in it.
    source_case_number = models.CharField(_("written from case"), max_length=20, blank=True)
    copied_digest = models.CharField(
        _("digest of the copied text"), max_length=64, blank=True, editable=False
    )
    customer_data_found = models.JSONField(_("customer data found"), default=list, blank=True, editable=False)
    # The customer's data (company, NIT, contacts' names, e-mails, phones) that must never be
    # published: checked again when the article is published.
    customer_terms = models.JSONField(
        _("customer data to keep out"), default=list, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    search_document = models.TextField(_("search text"), editable=False, default="")
    search_title = models.CharField(_("search title"), max_length=200, editable=False, default="")

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["-updated_at", "-id"]
        permissions = [("publish_article", _("Can review and publish knowledge articles"))]
        indexes = [
            models.Index(
                fields=["product", "-published_at"],
                name="article_published_idx",
                condition=models.Q(state="published"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state == ArticleState.PUBLISHED and self.visibility == Visibility.PUBLIC

    @property
    def needs_edit(self) -> bool:
        """Copied from a case and not edited since: cannot be published as it is."""
        return bool(self.copied_digest)

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.solution.splitlines() if line.strip()]

    @property
    def codes(self) -> list[str]:
        return [code.strip() for code in self.error_codes.split(",") if code.strip()]


class ArticleEvent(models.Model):
    """Every state change of an article (the audit trail)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Sent for review")
        RETURNED = "returned", _("Returned to draft")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Withdrawn")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="events", verbose_name=_("article")
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=12, choices=ArticleState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=ArticleState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("article event")
        verbose_name_plural = _("article events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.article_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


def article_file_path(instance: ArticleAttachment, filename: str) -> str:
    import secrets

    return f"knowledge/{instance.article_id}/{secrets.token_hex(16)}"


class ArticleAttachment(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("article")
    )
    file = models.FileField(_("file"), upload_to=article_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("article attachment")
        verbose_name_plural = _("article attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Deflection(models.Model):
    """A contact said a suggested article solved it: no case was opened."""

    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="deflections", verbose_name=_("article")
    )
    contact = models.ForeignKey(
        TechnicalContact, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact")
    )
    query = models.CharField(_("what the contact typed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("solved by an article")
        verbose_name_plural = _("solved by articles")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.article_id} · {self.contact_id}"


class CannedReply(models.Model):
    """A reply template the desk offers in its activity and solution forms. Placeholders:
    {contacto}, {caso}, {vence}, {ingeniero} (see ``canned.PLACEHOLDERS``)."""

    title = models.CharField(_("title"), max_length=120)
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="canned_replies",
        verbose_name=_("product"),
        help_text=_("Empty: offered on every case."),
    )
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title
