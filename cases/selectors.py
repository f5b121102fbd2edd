"""Reads of cases: the filtered, sorted, paginated lists and the detail page's data.

Lists stay fast at a million cases: every filter has an index, sorting is on indexed columns,
pagination is LIMIT/OFFSET in SQL and the total is counted only up to a cap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet

from contracts import sla

from .models import Case, CaseActivity, CaseStatus
from .search import filter_search

COUNT_CAP = 1000

SORTS = {
    "due": ("attention_due_at", "id"),
    "-due": ("-attention_due_at", "-id"),
    "registered": ("registered_at", "id"),
    "-registered": ("-registered_at", "-id"),
    "priority": ("priority", "attention_due_at", "id"),
    "number": ("number",),
    "-number": ("-number",),
}
DEFAULT_SORT = "-registered"
OPEN_SORT = "due"

_LIST_COLUMNS = (
    "number",
    "subject",
    "status",
    "priority",
    "tier",
    "channel",
    "registered_at",
    "attention_due_at",
    "attention_at_risk_at",
    "first_response_at",
    "attention_met",
    "closed_at",
    "customer__name",
    "plan__code",
    "plan__name",
    "product__name",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
)


@dataclass
class CaseFilters:
    status: str = ""  # "open" (default), "all", or one CaseStatus value
    priority: str = ""
    plan: str = ""  # plan code
    customer: int | None = None
    assignee: str = ""  # "me", "none" or a user id
    sla: str = ""  # "breached", "at_risk", "missed", "met"
    q: str = ""
    sort: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def case_queryset(*, filters: CaseFilters, user_id: int | None, now: datetime) -> QuerySet[Case]:
    qs = Case.objects.all()
    status = filters.status or "open"
    if status == "open":
        qs = qs.exclude(status=CaseStatus.CLOSED)
    elif status in CaseStatus.values:
        qs = qs.filter(status=status)
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    if filters.plan:
        qs = qs.filter(plan__code=filters.plan)
    if filters.customer:
        qs = qs.filter(customer_id=filters.customer)
    if filters.assignee == "me" and user_id:
        qs = qs.filter(assigned_to_id=user_id)
    elif filters.assignee == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif filters.assignee.isdigit():
        qs = qs.filter(assigned_to_id=int(filters.assignee))
    if filters.sla == "breached":
        # Not attended and past the deadline, or attended late.
        qs = qs.filter(
            Q(first_response_at__isnull=True, attention_due_at__lt=now) & ~Q(status=CaseStatus.CLOSED)
            | Q(attention_met=False)
        )
    elif filters.sla == "at_risk":
        qs = qs.filter(
            first_response_at__isnull=True, attention_at_risk_at__lte=now, attention_due_at__gte=now
        ).exclude(status=CaseStatus.CLOSED)
    elif filters.sla == "missed":
        qs = qs.filter(attention_met=False)
    elif filters.sla == "met":
        qs = qs.filter(attention_met=True)
    qs = filter_search(qs, filters.q)
    sort = filters.sort if filters.sort in SORTS else (OPEN_SORT if status == "open" else DEFAULT_SORT)
    return qs.order_by(*SORTS[sort])


def capped_count(queryset: QuerySet[Case]) -> tuple[int, bool]:
    """How many match, counted only up to COUNT_CAP (a LIMITed subquery), and whether it was hit."""
    found = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    return min(found, COUNT_CAP), found > COUNT_CAP


def case_page_rows(queryset: QuerySet[Case], *, page: int, per_page: int) -> list[Case]:
    """One page: LIMIT/OFFSET in SQL, with the related rows the list shows joined in."""
    offset = (page - 1) * per_page
    return list(
        queryset.select_related("customer", "plan", "product", "assigned_to").only(*_LIST_COLUMNS)[
            offset : offset + per_page
        ]
    )


@dataclass(frozen=True)
class Countdown:
    """Business time left to the attention deadline (negative once breached), for display."""

    state: str  # "pending", "breached", "met", "missed", "no_priority"
    remaining: timedelta | None = None


def countdowns(cases: list[Case], *, now: datetime) -> dict[int, Countdown]:
    """Business-time countdowns for a page of cases: one snapshot, no query per row."""
    snap = sla.snapshot()
    result: dict[int, Countdown] = {}
    for case in cases:
        if case.first_response_at is not None:
            result[case.pk] = Countdown("met" if case.attention_met else "missed")
        elif not case.priority or case.attention_due_at is None:
            result[case.pk] = Countdown("no_priority")
        elif case.status == CaseStatus.CLOSED:
            result[case.pk] = Countdown("met" if case.attention_met is not False else "missed")
        else:
            # Business time to the deadline; negative (business time overdue) once it has passed.
            left = snap.business_time_elapsed(now, case.attention_due_at, case.plan.code, case.priority)
            breached = case.attention_due_at <= now
            result[case.pk] = Countdown("breached" if breached else "pending", left)
    return result


def case_for_detail(*, number: str) -> Case | None:
    return (
        Case.objects.select_related(
            "customer",
            "contract",
            "plan",
            "installation",
            "product",
            "requester",
            "assigned_to",
            "registered_by",
            "duplicate_of",
        )
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=CaseActivity.objects.select_related("author").prefetch_related("attachments"),
            ),
            "attachments",
        )
        .filter(number=number)
        .first()
    )


@dataclass(frozen=True)
class SlaPanel:
    deadline: datetime | None
    attention_time: timedelta | None
    used: timedelta | None
    percent: int | None
    calendar: str


def sla_panel(case: Case, *, now: datetime) -> SlaPanel:
    """Deadline, business time used until the first response (or now) and the share consumed."""
    if not case.priority or case.attention_due_at is None:
        return SlaPanel(None, None, None, None, "")
    snap = sla.snapshot()
    policy = snap.policy(case.plan.code, case.priority)
    until = case.first_response_at or (case.closed_at if case.closed_at else now)
    used = max(
        snap.business_time_elapsed(case.registered_at, until, case.plan.code, case.priority), timedelta(0)
    )
    percent = round(used / policy.amount * 100) if policy.amount else None
    return SlaPanel(case.attention_due_at, policy.amount, used, percent, policy.calendar.name)
