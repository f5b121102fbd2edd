"""Software assurance: each update applied to an installation (a minor fix of the installed
version, never a new major one), on a case, by an engineer: the installation's version history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts.models import Installation, SupportContract


class SoftwareUpdate(models.Model):
    class Reason(models.TextChoices):
        CUSTOMER_REQUEST = "request", _("At the customer's request")
        CASE_SOLUTION = "solution", _("Solution of a support case")

    installation = models.ForeignKey(
        Installation,
        on_delete=models.PROTECT,
        related_name="software_updates",
        verbose_name=_("installation"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="software_updates", verbose_name=_("case")
    )
    contract = models.ForeignKey(
        SupportContract, on_delete=models.PROTECT, related_name="+", verbose_name=_("support contract")
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    from_version = models.CharField(_("version before"), max_length=40)
    from_build = models.CharField(_("build before"), max_length=40, blank=True)
    to_version = models.CharField(_("version installed"), max_length=40)
    to_build = models.CharField(_("build installed"), max_length=40, blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"))
    notes = models.TextField(_("notes"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("applied by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("software update")
        verbose_name_plural = _("software updates")
        ordering = ["-scheduled_for", "-id"]
        indexes = [models.Index(fields=["installation", "-scheduled_for"], name="update_installation_idx")]

    def __str__(self) -> str:
        return f"{self.installation_id}: {self.from_version} → {self.to_version}"
