"""Pieces every case service uses: the audit row, the deadlines, locking."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from contracts import sla

from ..errors import CaseError
from ..models import CASE_STATE_KEY, CUSTOMER_NOTICE_KINDS, ActivityKind, Case, CaseActivity


def user_or_none(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def add_activity(
    *,
    case: Case,
    actor: User | None,
    kind: str,
    now: datetime,
    body: str = "",
    is_public: bool = False,
    data: dict[str, Any] | None = None,
    minutes_spent: int = 0,
) -> CaseActivity:
    activity = activity_row(
        case=case, actor=actor, kind=kind, now=now, body=body, is_public=is_public, data=data
    )
    activity.minutes_spent = minutes_spent
    activity.save(force_insert=True)
    return activity


def activity_row(
    *,
    case: Case,
    actor: User | None,
    kind: str,
    now: datetime,
    body: str = "",
    is_public: bool = False,
    data: dict[str, Any] | None = None,
) -> CaseActivity:
    """The audit row, unsaved (``add_activity`` saves one; batch writers bulk-create many). An
    event the customer is told of by e-mail keeps the case's state at that moment in its data, so
    the e-mail says what was true then, whenever it is written."""
    notice = is_public and kind in CUSTOMER_NOTICE_KINDS
    data = dict(data or {})
    if notice:
        data[CASE_STATE_KEY] = case_state(case)
    return CaseActivity(
        case=case,
        kind=kind,
        author=user_or_none(actor),
        created_at=now,
        body=body,
        is_public=is_public,
        data=data,
        customer_notice_due=notice,
    )


def case_state(case: Case) -> dict[str, Any]:
    """What an e-mail about an event may say of the case, as it stands now (JSON-ready)."""
    assignee = case.assigned_to if case.assigned_to_id else None
    return {
        "status": case.status,
        "priority": case.priority,
        "attention_due_at": case.attention_due_at.isoformat() if case.attention_due_at else None,
        "tier": case.tier,
        "assigned_to": (assignee.get_full_name() or assignee.get_username()) if assignee else "",
        "subject": case.subject,
        "product_version": case.product_version,
        "solution_kind": case.solution_kind,
        "close_reason": case.close_reason,
        "duplicate_of": case.duplicate_of.number if case.duplicate_of is not None else None,
    }


def refresh_case_state(activity: CaseActivity, case: Case) -> None:
    """The event changed the case further after its row was written (e.g. a reply that puts the
    case in progress): keep the state the event left the case in."""
    if activity.customer_notice_due:
        activity.data = {**activity.data, CASE_STATE_KEY: case_state(case)}
        activity.save(update_fields=["data"])


def apply_deadlines(case: Case, *, now: datetime | None = None) -> None:
    """Attention deadline and at-risk instant from the registration time, plan and priority (at
    risk: the SLA settings' share, which is the deadline watch's first warning); the deadline watch
    is asked to look again (its rules decide the real next warning).

    Only a case without a first response follows the tables and its priority: once the first
    customer-facing activity exists, the deadline in force then and whether it was met are history
    (reports read them), so this leaves an answered case as it is."""
    if case.first_response_at is not None:
        return
    if not case.priority:
        case.attention_due_at = case.attention_at_risk_at = case.warn_at = None
        return
    if case.status != "closed":
        case.warn_at = now or case.registered_at
    snap = sla.snapshot()
    case.attention_due_at = snap.attention_deadline(case.registered_at, case.plan.code, case.priority)
    case.attention_at_risk_at = snap.at_risk_at(case.registered_at, case.plan.code, case.priority)


def deadline_move(before: datetime | None, after: datetime | None) -> dict[str, str | None]:
    """An audit row's record of a deadline that moved (ISO instants)."""
    return {
        "from": before.isoformat() if before else None,
        "to": after.isoformat() if after else None,
    }


def lock_case(case: Case) -> Case:
    """Re-read the case under a row lock: every state change starts here."""
    return Case.objects.select_for_update().select_related("plan", "customer", "contract").get(pk=case.pk)


def require_open(case: Case) -> None:
    if not case.is_open:
        raise CaseError(
            _("Case %(number)s is closed; reopen it first.") % {"number": case.number}, code="closed"
        )


__all__ = [
    "ActivityKind",
    "add_activity",
    "apply_deadlines",
    "case_state",
    "deadline_move",
    "lock_case",
    "refresh_case_state",
    "require_open",
]
