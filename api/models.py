"""Integrations' API keys: one per integration, scoped to reading or to reading and writing.

Only a hash of the key is stored (djangorestframework-api-key); the admin shows the whole key once,
when it is issued, and afterwards only its prefix.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey


class ApiScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiKey(AbstractAPIKey):
    """An integration's key. Its name is what the audit trail records for every write it makes."""

    # The package's fields again, with our labels (the admin speaks Spanish).
    id = models.CharField(_("key id"), max_length=150, unique=True, primary_key=True, editable=False)
    hashed_key = models.CharField(_("key hash"), max_length=150, editable=False)
    prefix = models.CharField(_("prefix"), max_length=8, unique=True, editable=False)
    created = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    name = models.CharField(
        _("integration"),
        max_length=50,
        unique=True,
        help_text=_('Who uses this key (e.g. "CRM", "Monitoring"). The audit trail records it.'),
    )
    revoked = models.BooleanField(
        _("revoked"),
        default=False,
        help_text=_("A revoked key is refused at once. This cannot be undone."),
    )
    expiry_date = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Refused from this moment on (optional).")
    )
    scope = models.CharField(_("scope"), max_length=5, choices=ApiScope.choices, default=ApiScope.READ)

    class Meta:
        ordering = ("-created",)
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    @property
    def may_write(self) -> bool:
        return self.scope == ApiScope.WRITE


class ApiWrite(models.Model):
    """A write sent with an ``Idempotency-Key`` header, by which key, and the answer it got.

    Claimed in the transaction of the change (unique per key): the same request sent again — a
    retry after a timeout — waits for the first and gets its answer, never a second case."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="+", verbose_name=_("API key"))
    token = models.CharField(_("idempotency key"), max_length=64)
    method = models.CharField(_("method"), max_length=8)
    path = models.TextField(_("address"))
    status = models.PositiveSmallIntegerField(_("status"), null=True)
    response = models.JSONField(_("answer"), null=True)
    created_at = models.DateTimeField(_("first sent at"), db_index=True)

    class Meta:
        verbose_name = _("API write")
        verbose_name_plural = _("API writes")
        constraints = [models.UniqueConstraint(fields=["api_key", "token"], name="api_write_once")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.token})"
