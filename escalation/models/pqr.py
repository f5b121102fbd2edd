"""A customer's petition, complaint or claim (PQR) on a case, climbing the escalation matrix one
level at a time. Each level reached is a step that must be acknowledged."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Pqr(models.Model):
    class Kind(models.TextChoices):
        PETITION = "petition", _("Petition")
        COMPLAINT = "complaint", _("Complaint")
        CLAIM = "claim", _("Claim")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("one PQR", "Open")
        RESOLVED = "resolved", pgettext_lazy("one PQR", "Resolved")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="pqrs", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("what the customer asks"))
    contact = models.ForeignKey(
        "contracts.TechnicalContact",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("raised by (customer)"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    raised_at = models.DateTimeField(_("raised at"))
    level = models.ForeignKey(
        "escalation.EscalationLevel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("current level"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.TextField(_("answer to the customer"), blank=True)

    class Meta:
        verbose_name = _("PQR")
        verbose_name_plural = _("PQRs")
        ordering = ["-raised_at", "-id"]
        permissions = [("handle_pqr", _("Can acknowledge, escalate and resolve PQRs"))]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="open"), name="pqr_one_open_per_case"
            ),
        ]
        indexes = [models.Index(fields=["status", "-raised_at"], name="pqr_status_idx")]

    def __str__(self) -> str:
        return f"PQR-{self.pk} · {self.case_id}"

    @property
    def code(self) -> str:
        return f"PQR-{self.pk:05d}"


class PqrStep(models.Model):
    """The PQR reached a level: who was notified, when it must be acknowledged, who did."""

    class Reason(models.TextChoices):
        RAISED = "raised", _("Raised by the customer")
        CUSTOMER = "customer", _("The customer asked to escalate")
        STAFF = "staff", _("Escalated by the level")
        UNACKNOWLEDGED = "unacknowledged", _("Not acknowledged in time")

    pqr = models.ForeignKey(Pqr, on_delete=models.CASCADE, related_name="steps", verbose_name=_("PQR"))
    level = models.ForeignKey(
        "escalation.EscalationLevel", on_delete=models.PROTECT, related_name="+", verbose_name=_("level")
    )
    reason = models.CharField(_("why"), max_length=16, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    reached_at = models.DateTimeField(_("reached at"))
    # Past this instant, unacknowledged, the PQR climbs by itself (None at the top of the matrix).
    ack_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    ack_note = models.TextField(_("acknowledgement"), blank=True)

    class Meta:
        verbose_name = _("PQR step")
        verbose_name_plural = _("PQR steps")
        ordering = ["reached_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pqr", "level"], name="pqrstep_once_per_level"),
        ]
        indexes = [
            models.Index(
                fields=["ack_due_at"],
                name="pqrstep_unacked_idx",
                condition=Q(acknowledged_at__isnull=True, ack_due_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pqr} → N{self.level_id}"
