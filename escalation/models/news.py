"""Product-news mailings: one mailing, one delivery row per contact who had opted in when it was
sent (the outbox: each sent at most once, failures retried, kept for the admin)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NewsMailing(models.Model):
    subject = models.CharField(_("subject"), max_length=200)
    body_text = models.TextField(
        _("message"), help_text=_("Plain text. Each e-mail adds the way to unsubscribe at the end.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("product-news mailing")
        verbose_name_plural = _("product-news mailings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class NewsDelivery(models.Model):
    mailing = models.ForeignKey(
        NewsMailing, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("mailing")
    )
    contact = models.ForeignKey(
        "contracts.TechnicalContact", on_delete=models.CASCADE, related_name="+", verbose_name=_("contact")
    )
    to_email = models.EmailField(_("e-mail"))
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("product-news delivery")
        verbose_name_plural = _("product-news deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mailing", "contact"], name="newsdelivery_once_per_contact")
        ]
        indexes = [
            models.Index(
                fields=["created_at"], name="newsdelivery_unsent_idx", condition=Q(sent_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.mailing} → {self.to_email}"
