"""Copies on a case: other designated contacts of the case's company who receive its e-mails."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts.models import TechnicalContact


class CaseCopy(models.Model):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="copies", verbose_name=_("case")
    )
    contact = models.ForeignKey(
        TechnicalContact, on_delete=models.CASCADE, related_name="+", verbose_name=_("contact copied")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("copy on a case")
        verbose_name_plural = _("copies on cases")
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "contact"], name="case_copy_unique_contact")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.contact_id}"
