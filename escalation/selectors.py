"""Reads of the escalation app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from contracts import business_time, sla
from contracts import selectors as contract_selectors
from contracts.models import Customer

from .models import EscalationContact, EscalationLevel, OnCallShift


def on_duty(*, at: datetime | None = None) -> OnCallShift | None:
    """The shift covering that instant (the most recently started one when shifts overlap)."""
    at = at or timezone.now()
    return (
        OnCallShift.objects.select_related("engineer")
        .filter(starts_at__lte=at, ends_at__gt=at)
        .order_by("-starts_at")
        .first()
    )


def escalation_matrix() -> QuerySet[EscalationLevel]:
    """The matrix as customers see it: every level with its active contacts."""
    from django.db.models import Prefetch

    from .models import EscalationContact

    return EscalationLevel.objects.prefetch_related(
        Prefetch("contacts", queryset=EscalationContact.objects.filter(is_active=True))
    )


def account_managers() -> QuerySet[EscalationContact]:
    """Who a customer calls about their contract (to renew it): the matrix's active contacts whose
    role is account management, lowest level first."""
    return (
        EscalationContact.objects.filter(is_active=True)
        .filter(Q(role__icontains="cuenta") | Q(role__icontains="account"))
        .select_related("level")
        .order_by("level__number", "name")
    )


@dataclass(frozen=True)
class HoursAt:
    within_plan: bool  # the plan's service hours include the instant
    office: bool  # the office-hours calendar is open then (False when it is not configured)
    office_known: bool  # the office-hours calendar exists

    @property
    def after_hours(self) -> bool:
        """Inside the plan's hours but outside the office's: the on-duty engineer answers."""
        return self.within_plan and not self.office


def hours_at(*, instant: datetime, plan: object, snap: sla.SlaSnapshot) -> HoursAt:
    office = snap.calendars.get(settings.SMA_OFFICE_CALENDAR)
    return HoursAt(
        within_plan=business_time.is_open(instant, snap.service_hours(plan)),
        office=bool(office and business_time.is_open(instant, office)),
        office_known=office is not None,
    )


def customer_entitlement(*, customer: Customer, now: datetime) -> dict[str, Any]:
    """What the customer is entitled to right now, as the phone IVR and the REST API answer it
    (JSON-ready): whether a contract is in force, its plan, whether now is inside the plan's hours
    and the office's, and — outside office hours — the engineer on duty to call."""
    contract = contract_selectors.contract_in_force(customer=customer, on=timezone.localdate(now))
    answer: dict[str, Any] = {
        "found": True,
        "customer": customer.name,
        "contract_in_force": contract is not None,
        "plan": contract.plan.code if contract else None,
        "plan_name": contract.plan.name if contract else None,
        "within_plan_hours": False,
        "office_hours": False,
        "on_duty": None,
    }
    if contract is not None:
        hours = hours_at(instant=now, plan=contract.plan, snap=sla.snapshot())
        answer["within_plan_hours"], answer["office_hours"] = hours.within_plan, hours.office
        if hours.after_hours:
            shift = on_duty(at=now)
            if shift is not None:
                answer["on_duty"] = {
                    "name": shift.engineer.get_full_name() or shift.engineer.get_username(),
                    "phone": shift.phone.as_e164 if shift.phone else "",
                    "until": timezone.localtime(shift.ends_at).isoformat(),
                }
    return answer


def case_pqrs(*, case_id: int) -> list:
    """The PQRs of a case, newest first, each with its steps and who acknowledged them (2 queries)."""
    from django.db.models import Prefetch

    from .models import Pqr, PqrStep

    steps = PqrStep.objects.select_related("level", "acknowledged_by").order_by("reached_at", "id")
    return list(
        Pqr.objects.filter(case_id=case_id)
        .select_related("level", "contact", "recorded_by", "resolved_by")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("-raised_at", "-id")
    )


def pqr_queue(*, status: str = "open") -> QuerySet:
    """PQRs for the managers' list: open ones oldest first (they wait longest), else newest first.
    Each carries its current step's acknowledgement deadline and instant (``step_ack_due_at``,
    ``step_acknowledged_at``) for the queue's countdown."""
    from .models import Pqr, PqrStep

    current = PqrStep.objects.filter(pqr=OuterRef("pk"), level=OuterRef("level"))
    queryset = Pqr.objects.select_related("case", "case__customer", "level", "contact").annotate(
        step_ack_due_at=Subquery(current.values("ack_due_at")[:1]),
        step_acknowledged_at=Subquery(current.values("acknowledged_at")[:1]),
    )
    if status in (Pqr.Status.OPEN, Pqr.Status.RESOLVED):
        queryset = queryset.filter(status=status)
    return (
        queryset.order_by("raised_at", "id")
        if status == Pqr.Status.OPEN
        else queryset.order_by("-raised_at", "-id")
    )


@dataclass(frozen=True)
class PqrClock:
    """Where a PQR of the queue stands against its level's acknowledgement deadline."""

    state: str  # "pending", "breached", "met"
    remaining: timedelta | None = None


def pqr_clock(pqr: Any, *, now: datetime) -> PqrClock:
    """For a PQR from pqr_queue(): resolved or acknowledged → met; else time left to acknowledge
    (negative once overdue); at the top of the matrix there is no deadline (pending, no time)."""
    if pqr.status != "open" or pqr.step_acknowledged_at is not None:
        return PqrClock("met")
    if pqr.step_ack_due_at is None:
        return PqrClock("pending")
    left = pqr.step_ack_due_at - now
    return PqrClock("breached" if left <= timedelta(0) else "pending", left)


def inbox_unread_count(*, user_id: int) -> int:
    """The bell's number: one COUNT on the partial index of unread items."""
    from .models import InboxItem

    return InboxItem.objects.filter(user_id=user_id, read_at__isnull=True).count()


def inbox_items(*, user_id: int, unread_only: bool = False) -> QuerySet:
    """A user's inbox, newest first, with each item's notification and case number (one query
    per page; the page is cut in SQL)."""
    from .models import InboxItem

    items = InboxItem.objects.filter(user_id=user_id)
    if unread_only:
        items = items.filter(read_at__isnull=True)
    return (
        items.select_related("notification", "notification__case")
        .only(
            "id",
            "created_at",
            "read_at",
            "notification__id",
            "notification__kind",
            "notification__subject",
            "notification__reached_nobody",
            "notification__case__id",
            "notification__case__number",
            "notification__case__subject",
        )
        .order_by("-created_at", "-id")
    )
