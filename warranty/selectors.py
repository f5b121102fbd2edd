"""Reads of the warranty app: the assets list (filtered and paginated in SQL), a case's RMAs with
their steps, and the business-time countdown to a replacement's delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from contracts import sla

from .deadlines import business_time_left
from .models import HardwareAsset, Rma, RmaStatus, RmaStep
from .models.assets import WarrantyState
from .models.rma import AWAITING_DELIVERY, FINISHED

STATE_FILTERS = ("in_force", "expired", "void", "all")


def assets_queryset(
    *, today: date, customer_id: int | None = None, state: str = "all", q: str = ""
) -> QuerySet[HardwareAsset]:
    """Assets with what the list shows, filtered in SQL; ``open_rma`` says whether one is in progress."""
    rows = HardwareAsset.objects.select_related("customer", "installation__product").annotate(
        open_rma=Exists(Rma.objects.filter(asset=OuterRef("pk")).exclude(status__in=FINISHED))
    )
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    if state == WarrantyState.IN_FORCE:
        rows = rows.filter(voided_at__isnull=True, warranty_start__lte=today, warranty_end__gte=today)
    elif state == WarrantyState.EXPIRED:
        rows = rows.filter(voided_at__isnull=True, warranty_end__lt=today)
    elif state == WarrantyState.VOID:
        rows = rows.filter(voided_at__isnull=False)
    if q:
        rows = rows.filter(
            Q(serial_number__icontains=q) | Q(model__icontains=q) | Q(customer__name__icontains=q)
        )
    return rows.order_by("customer__name", "warranty_end", "id")


def customer_assets(*, customer_id: int) -> list[HardwareAsset]:
    return list(
        HardwareAsset.objects.filter(customer_id=customer_id)
        .select_related("installation__product")
        .order_by("model", "serial_number")
    )


def case_rmas(*, case_id: int) -> list[Rma]:
    """A case's RMAs, newest first, with their steps (two queries)."""
    return list(
        Rma.objects.filter(case_id=case_id)
        .select_related("asset", "opened_by")
        .prefetch_related(Prefetch("steps", queryset=RmaStep.objects.select_related("actor")))
        .order_by("-started_at", "-id")
    )


@dataclass(frozen=True)
class DeliveryCountdown:
    """Business time left to the replacement's delivery (negative once overdue), for display."""

    state: str  # "pending", "at_risk", "breached", "met", "missed", "rejected"
    remaining: timedelta | None = None


def delivery_countdown(rma: Rma, *, now: datetime) -> DeliveryCountdown:
    if rma.status == RmaStatus.REJECTED:
        return DeliveryCountdown("rejected")
    if rma.status not in AWAITING_DELIVERY:
        return DeliveryCountdown("met" if rma.delivery_met else "missed")
    calendar = sla.snapshot().calendar(settings.SMA_OFFICE_CALENDAR)
    left = business_time_left(now, rma.delivery_due_at, calendar)
    if now >= rma.delivery_due_at:
        return DeliveryCountdown("breached", left)
    return DeliveryCountdown("at_risk" if now >= rma.warning_at else "pending", left)
