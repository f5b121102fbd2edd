"""A case's breach of its attention time, as the report a manager sends to the customer: when it
was registered, its deadline, its first response (or none), the business time late on the case's
own calendar (the SLA facade) and what was done — the public activities only, never an internal
note or a notification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from cases.models import ActivityKind, Case, CaseActivity
from contracts import sla

from .periods import Period
from .selectors import Filters

# Never shown to a customer, whatever their flag says (as the portal's timeline).
HIDDEN_KINDS = (ActivityKind.INTERNAL_NOTE, ActivityKind.NOTIFICATION)
BREACHED_LIST = 20


def breached_q(now: datetime) -> Q:
    """The dashboard's definition: breached at the first response, or still unanswered past the
    deadline while open (or until it was closed)."""
    return Q(attention_met=False) | Q(
        first_response_at__isnull=True, attention_due_at__lt=Coalesce(F("closed_at"), now)
    )


@dataclass(frozen=True)
class Breach:
    case: Case
    until: datetime  # the first response, or the closure / now for a case never answered
    answered: bool
    late: timedelta  # business time from the deadline to ``until``


def breach_of(case: Case, *, now: datetime) -> Breach | None:
    """The case's breach, None when its attention time was met or has not passed."""
    if case.attention_due_at is None or not case.priority:
        return None
    if case.first_response_at is not None:
        if case.attention_met is not False:
            return None
        until, answered = case.first_response_at, True
    else:
        until, answered = case.closed_at or now, False
        if until <= case.attention_due_at:
            return None
    late = sla.business_time_elapsed(case.attention_due_at, until, case.plan.code, case.priority)
    return Breach(case=case, until=until, answered=answered, late=max(late, timedelta(0)))


def breach_case(number: str) -> Case | None:
    return (
        Case.objects.select_related("customer", "plan", "product", "requester", "assigned_to")
        .filter(number=number)
        .first()
    )


def public_activities(case: Case) -> QuerySet[CaseActivity]:
    """What was done on the case that the customer may read, oldest first."""
    return (
        CaseActivity.objects.filter(case=case, is_public=True)
        .exclude(kind__in=HIDDEN_KINDS)
        .select_related("author")
        .order_by("created_at", "id")
    )


def breached_cases(
    *, period: Period, filters: Filters, now: datetime, limit: int = BREACHED_LIST
) -> list[Case]:
    """The period's breached cases, newest first (one query, at most ``limit``)."""
    return list(
        Case.objects.filter(filters.q(), registered_at__gte=period.start, registered_at__lt=period.end)
        .filter(breached_q(now))
        .select_related("customer")
        .only(
            "number",
            "subject",
            "priority",
            "registered_at",
            "attention_due_at",
            "first_response_at",
            "customer__name",
        )
        .order_by("-registered_at", "-id")[:limit]
    )


def _person(user: object) -> str:
    if user is None:
        return ""
    full = f"{getattr(user, 'first_name', '')} {getattr(user, 'last_name', '')}".strip()
    return full or str(getattr(user, "username", ""))


def breach_report_context(breach: Breach, *, now: datetime) -> dict[str, object]:
    """What the breach report says (page and PDF), in Spanish and Bogotá time."""
    from django.conf import settings
    from django.utils import translation

    from .documents import business_hours_text, local_datetime

    case = breach.case
    with translation.override("es-co"):
        activities = [
            {
                "when": local_datetime(a.created_at),
                "kind": str(a.get_kind_display()),
                "author": _person(a.author),
                "body": a.body,
            }
            for a in public_activities(case)
        ]
        calendar_name = sla.snapshot().policy(case.plan.code, case.priority).calendar.name
    return {
        "case": case,
        "breach": breach,
        "registered_text": local_datetime(case.registered_at),
        "due_text": local_datetime(case.attention_due_at),
        "first_response_text": local_datetime(case.first_response_at),
        "until_text": local_datetime(breach.until),
        "late_text": business_hours_text(breach.late),
        "calendar_name": calendar_name,
        "activities": activities,
        "generated_text": local_datetime(now),
        "support_address": settings.SMA_SUPPORT_ADDRESS,
    }


def breach_report_pdf(breach: Breach, *, now: datetime) -> bytes:
    from .documents import render_pdf

    return render_pdf("reports/pdf/breach.html", breach_report_context(breach, now=now))
