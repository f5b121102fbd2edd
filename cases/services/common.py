"""Pieces every case service uses: the audit row, the deadlines, locking."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _

from contracts import sla

from ..errors import CaseError
from ..models import CUSTOMER_NOTICE_KINDS, ActivityKind, Case, CaseActivity


def user_or_none(actor: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return actor if actor is not None and actor.is_authenticated else None


def add_activity(
    *,
    case: Case,
    actor: AbstractBaseUser | None,
    kind: str,
    now: datetime,
    body: str = "",
    is_public: bool = False,
    data: dict[str, Any] | None = None,
) -> CaseActivity:
    activity = activity_row(
        case=case, actor=actor, kind=kind, now=now, body=body, is_public=is_public, data=data
    )
    activity.save(force_insert=True)
    return activity


def activity_row(
    *,
    case: Case,
    actor: AbstractBaseUser | None,
    kind: str,
    now: datetime,
    body: str = "",
    is_public: bool = False,
    data: dict[str, Any] | None = None,
) -> CaseActivity:
    """The audit row, unsaved (``add_activity`` saves one; batch writers bulk-create many)."""
    return CaseActivity(
        case=case,
        kind=kind,
        author=user_or_none(actor),
        created_at=now,
        body=body,
        is_public=is_public,
        data=data or {},
        customer_notice_due=is_public and kind in CUSTOMER_NOTICE_KINDS,
    )


def apply_deadlines(case: Case, *, now: datetime | None = None) -> None:
    """Attention deadline and at-risk instant from the registration time, plan and priority (at
    risk: the SLA settings' share, which is the deadline watch's first warning); the deadline watch
    is asked to look again (its rules decide the real next warning)."""
    if not case.priority:
        case.attention_due_at = case.attention_at_risk_at = case.warn_at = None
        return
    if case.first_response_at is None and case.status != "closed":
        case.warn_at = now or case.registered_at
    snap = sla.snapshot()
    case.attention_due_at = snap.attention_deadline(case.registered_at, case.plan.code, case.priority)
    case.attention_at_risk_at = snap.at_risk_at(case.registered_at, case.plan.code, case.priority)


def lock_case(case: Case) -> Case:
    """Re-read the case under a row lock: every state change starts here."""
    return Case.objects.select_for_update().select_related("plan", "customer", "contract").get(pk=case.pk)


def require_open(case: Case) -> None:
    if not case.is_open:
        raise CaseError(
            _("Case %(number)s is closed; reopen it first.") % {"number": case.number}, code="closed"
        )


__all__ = ["ActivityKind", "add_activity", "apply_deadlines", "lock_case", "require_open"]
