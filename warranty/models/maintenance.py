"""Preventive maintenance: by default two remote maintenances per support year (the contract's
number), on the office calendar, requested at least eight days ahead, each handled as a case of
kind "preventive maintenance". Extras (more maintenances, on-site, extended hours, cable cleaning)
come from the contract's conditions (``MaintenanceTerms``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from contracts.models import Installation, SupportContract, TechnicalContact


class MaintenanceTerms(models.Model):
    """What a contract's conditions (the commercial offer, the support certificate) add to the
    default preventive maintenance."""

    contract = models.OneToOneField(
        SupportContract,
        on_delete=models.CASCADE,
        related_name="maintenance_terms",
        verbose_name=_("support contract"),
    )
    extra_per_year = models.PositiveSmallIntegerField(_("extra maintenances per support year"), default=0)
    onsite = models.BooleanField(_("on-site maintenance"), default=False)
    extended_hours = models.BooleanField(_("extended hours 24x7"), default=False)
    cable_cleaning = models.BooleanField(_("cable or supplies cleaning"), default=False)
    reference = models.CharField(
        _("documented in"),
        max_length=200,
        blank=True,
        help_text=_("The commercial offer or support certificate that grants these extras."),
    )

    class Meta:
        verbose_name = _("preventive maintenance terms")
        verbose_name_plural = _("preventive maintenance terms")

    def __str__(self) -> str:
        return str(self.contract)


class PreventiveMaintenance(models.Model):
    contract = models.ForeignKey(
        SupportContract,
        on_delete=models.PROTECT,
        related_name="preventive_maintenances",
        verbose_name=_("support contract"),
    )
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="preventive_maintenance",
        verbose_name=_("case"),
    )
    installation = models.ForeignKey(
        Installation, on_delete=models.PROTECT, related_name="+", verbose_name=_("installation")
    )
    scheduled_for = models.DateTimeField(_("scheduled for"))
    ends_at = models.DateTimeField(_("ends at"))
    # The support year of the contract it counts against (1 = the contract's first year).
    support_year = models.PositiveSmallIntegerField(_("support year"))
    onsite = models.BooleanField(_("on-site maintenance"), default=False)
    extended_hours = models.BooleanField(_("extended hours 24x7"), default=False)
    cable_cleaning = models.BooleanField(_("cable or supplies cleaning"), default=False)
    requested_by = models.ForeignKey(
        TechnicalContact, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    # Cancelled before it took place (by an engineer on the desk or a contact in the portal): it no
    # longer counts against the quota; who, when and why are kept (its case is closed as cancelled).
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("preventive maintenance")
        verbose_name_plural = _("preventive maintenances")
        ordering = ["-scheduled_for", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("scheduled_for")), name="maintenance_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["contract", "support_year"], name="maintenance_quota_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} · {self.scheduled_for:%Y-%m-%d}"
