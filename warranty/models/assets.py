"""Hardware under warranty: each unit a customer bought, its warranty plan, term and extras."""

from __future__ import annotations

import unicodedata
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from contracts.models import Customer, Installation

# Replacements are delivered in Bogotá and Colombia's main cities; transport elsewhere is not covered.
MAIN_CITIES = (
    "Bogotá",
    "Medellín",
    "Cali",
    "Barranquilla",
    "Cartagena",
    "Bucaramanga",
    "Pereira",
    "Manizales",
    "Cúcuta",
    "Ibagué",
    "Santa Marta",
    "Villavicencio",
)


def city_key(city: str) -> str:
    """A city's name without accents, case or extra spaces ("Bogota D.C." → "bogota d.c.")."""
    plain = unicodedata.normalize("NFKD", city).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().split())


_MAIN_KEYS = frozenset(city_key(c) for c in MAIN_CITIES)


def is_main_city(city: str) -> bool:
    """Bogotá and the main cities (also written "Bogota D.C.", "Medellín, Antioquia")."""
    key = city_key(city).split(",")[0].strip()
    for suffix in (" d.c.", " d.c", " dc"):
        key = key.removesuffix(suffix)
    return key in _MAIN_KEYS


class WarrantyPlan(models.TextChoices):
    STANDARD = "standard", _("Standard (replacement within 48 h)")
    EXTENDED = "extended", _("Extended (replacement within 8 h)")


# Business hours (office calendar) to deliver the replacement unit.
DELIVERY_HOURS = {WarrantyPlan.STANDARD: 48, WarrantyPlan.EXTENDED: 8}


class WarrantyState(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    NOT_STARTED = "not_started", _("Not started yet")
    VOID = "void", _("Void")


class HardwareAsset(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="hardware_assets", verbose_name=_("customer")
    )
    installation = models.ForeignKey(
        Installation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hardware_assets",
        verbose_name=_("installation served"),
    )
    model = models.CharField(_("model"), max_length=120)
    serial_number = models.CharField(_("serial number"), max_length=80, unique=True)
    warranty_plan = models.CharField(
        _("warranty plan"), max_length=10, choices=WarrantyPlan.choices, default=WarrantyPlan.STANDARD
    )
    warranty_start = models.DateField(_("warranty starts"))
    warranty_end = models.DateField(
        _("warranty ends"),
        blank=True,
        help_text=_(
            "Last day covered (inclusive). Empty: one year, unless the offer or certificate says otherwise."
        ),
    )
    nbd_24x7 = models.BooleanField(_("24x7 next business day"), default=False)
    spare_kit = models.BooleanField(_("spare kit"), default=False)
    backup_unit = models.BooleanField(_("redundant backup unit"), default=False)
    delivery_city = models.CharField(_("delivery city"), max_length=80)
    voided_at = models.DateTimeField(_("warranty voided at"), null=True, blank=True)
    void_reason = models.TextField(_("why the warranty was voided"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("hardware asset")
        verbose_name_plural = _("hardware assets")
        ordering = ["customer__name", "model", "serial_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(warranty_end__gte=F("warranty_start")),
                name="asset_warranty_ends_after_start",
                violation_error_message=_("A warranty cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "warranty_end", "id"], name="asset_customer_idx"),
            models.Index(fields=["warranty_end", "id"], name="asset_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.model} · {self.serial_number}"

    @property
    def transport_covered(self) -> bool:
        return is_main_city(self.delivery_city)

    @property
    def delivery_hours(self) -> int:
        return DELIVERY_HOURS[WarrantyPlan(self.warranty_plan)]

    def state_on(self, day: date) -> str:
        if self.voided_at is not None:
            return WarrantyState.VOID
        if day < self.warranty_start:
            return WarrantyState.NOT_STARTED
        if day > self.warranty_end:
            return WarrantyState.EXPIRED
        return WarrantyState.IN_FORCE


class AssetChange(models.Model):
    """Who registered, changed or voided an asset's warranty, when, and what changed."""

    class Action(models.TextChoices):
        CREATED = "created", _("registered")
        UPDATED = "updated", _("updated")
        VOIDED = "voided", _("warranty voided")

    asset = models.ForeignKey(
        HardwareAsset, on_delete=models.CASCADE, related_name="changes", verbose_name=_("hardware asset")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"))
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("hardware asset change")
        verbose_name_plural = _("hardware asset changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.asset_id} · {self.get_action_display()}"
