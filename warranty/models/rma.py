"""RMA: the replacement of a unit under warranty, opened from a warranty-claim case.

requested → approved → replacement dispatched → delivered → faulty unit received → closed, or
requested → rejected with its exclusion. The delivery deadline counts from the RMA's start in
business time on the office calendar and is watched by the beat (``RmaAlert``: once per stage)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .assets import HardwareAsset, WarrantyPlan


class RmaStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("rma", "Requested")
    APPROVED = "approved", pgettext_lazy("rma", "Approved")
    REJECTED = "rejected", pgettext_lazy("rma", "Rejected")
    DISPATCHED = "dispatched", _("Replacement dispatched")
    DELIVERED = "delivered", _("Replacement delivered")
    RECEIVED = "received", _("Faulty unit received")
    CLOSED = "closed", pgettext_lazy("rma", "Closed")


# The statuses in which the replacement is still owed: the delivery deadline is watched.
AWAITING_DELIVERY = (RmaStatus.REQUESTED, RmaStatus.APPROVED, RmaStatus.DISPATCHED)
FINISHED = (RmaStatus.REJECTED, RmaStatus.CLOSED)


class RmaExclusion(models.TextChoices):
    """What the hardware warranty does not cover."""

    ELECTRICAL_DAMAGE = "electrical", _("Electrical damage")
    SOFTWARE_MISCONFIGURATION = "misconfig", _("Bad software configuration")
    VIRUS = "virus", _("Computer virus infection")
    THIRD_PARTY_SOFTWARE = "third_party", _("Unauthorised third-party software (voids the warranty)")
    BACKUP_MANAGEMENT = "backup", _("Backup management")
    RECONFIGURATION = "reconfig", _("Reconfiguration services")


class Rma(models.Model):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="rmas", verbose_name=_("case")
    )
    asset = models.ForeignKey(
        HardwareAsset, on_delete=models.PROTECT, related_name="rmas", verbose_name=_("hardware asset")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RmaStatus.choices, default=RmaStatus.REQUESTED
    )
    fault = models.TextField(_("reported fault"))
    # The terms in force when the RMA started: later edits of the asset never move its deadline.
    warranty_plan = models.CharField(_("warranty plan"), max_length=10, choices=WarrantyPlan.choices)
    nbd_24x7 = models.BooleanField(_("24x7 next business day"), default=False)
    delivery_city = models.CharField(_("delivery city"), max_length=80)
    transport_covered = models.BooleanField(_("transport covered"), default=True)
    started_at = models.DateTimeField(_("started at"))
    delivery_due_at = models.DateTimeField(_("replacement due at"))
    warning_at = models.DateTimeField(_("warning at"))
    # The next instant the RMA watch must look at it (None: nothing left to watch).
    warn_at = models.DateTimeField(_("next warning at"), null=True, blank=True)
    exclusion = models.CharField(_("exclusion"), max_length=12, choices=RmaExclusion.choices, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivery_met = models.BooleanField(_("delivered in time"), null=True)
    reinstalled_at = models.DateTimeField(_("software reinstalled at"), null=True, blank=True)
    backup_restored_at = models.DateTimeField(_("backup restored at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )

    class Meta:
        verbose_name = _("RMA")
        verbose_name_plural = _("RMAs")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset"],
                condition=~Q(status__in=["rejected", "closed"]),
                name="rma_one_open_per_asset",
                violation_error_message=_("This unit already has an RMA in progress."),
            ),
        ]
        indexes = [
            models.Index(fields=["warn_at"], name="rma_warn_idx", condition=Q(warn_at__isnull=False)),
            models.Index(fields=["case", "-started_at"], name="rma_case_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"RMA-{self.pk or 0:05d}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED


class RmaStep(models.Model):
    """One step of an RMA, in order: the audit trail of its status changes and of the remote
    reinstall and backup restore."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("RMA requested")
        APPROVED = "approved", pgettext_lazy("rma", "Approved")
        REJECTED = "rejected", pgettext_lazy("rma", "Rejected")
        DISPATCHED = "dispatched", _("Replacement dispatched")
        DELIVERED = "delivered", _("Replacement delivered")
        RECEIVED = "received", _("Faulty unit received")
        CLOSED = "closed", pgettext_lazy("rma", "Closed")
        REINSTALLED = "reinstalled", _("Latest software/firmware reinstalled remotely")
        RESTORED = "restored", _("Customer's last backup restored")

    rma = models.ForeignKey(Rma, on_delete=models.CASCADE, related_name="steps", verbose_name=_("RMA"))
    kind = models.CharField(_("step"), max_length=12, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True)
    exclusion = models.CharField(_("exclusion"), max_length=12, choices=RmaExclusion.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("RMA step")
        verbose_name_plural = _("RMA steps")
        ordering = ["at", "id"]
        constraints = [
            # Each step happens once per RMA (a double submit cannot record it twice).
            models.UniqueConstraint(fields=["rma", "kind"], name="rmastep_once_per_rma"),
        ]

    def __str__(self) -> str:
        return f"{self.rma} · {self.get_kind_display()}"


class RmaAlert(models.Model):
    """A delivery-deadline notification owed about an RMA: once per stage ((rma, stage) unique).
    The message itself is escalation's Notification (the outbox and the staff's log)."""

    class Stage(models.TextChoices):
        WARNING = "warning", _("Delivery deadline about to expire")
        BREACH = "breach", _("Delivery deadline expired")

    rma = models.ForeignKey(Rma, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("RMA"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    notification = models.OneToOneField(
        "escalation.Notification",
        on_delete=models.PROTECT,
        related_name="rma_alert",
        verbose_name=_("notification"),
    )
    due_at = models.DateTimeField(_("due at"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("RMA deadline alert")
        verbose_name_plural = _("RMA deadline alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["rma", "stage"], name="rmaalert_once_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.rma} · {self.get_stage_display()}"
