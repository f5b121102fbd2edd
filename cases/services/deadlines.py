"""The attention deadline of cases that have no first response yet: it follows the priority and the
SLA tables (attention time, calendars, holidays) until the first customer-facing activity; from then
on the deadline in force and whether it was met are history, and nothing here rewrites them.

The deadline watch (escalation) reads ``warn_at``: every service here that may move a deadline or
what the watch should fire sets it to "now", so the next sweep looks at the case again."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts import sla
from contracts.models import Priority

from ..errors import CaseError
from ..models import ActivityKind, Case, CaseActivity, CaseStatus
from .common import add_activity, apply_deadlines, deadline_move, lock_case, require_open
from .priority import priority_awaits_confirmation


def business_seconds(case: Case, until: datetime) -> int | None:
    """Business time from the case's registration to ``until`` on its plan and priority's calendar,
    in whole seconds (None without a priority: no calendar applies yet)."""
    if not case.priority:
        return None
    elapsed = sla.business_time_elapsed(case.registered_at, until, case.plan.code, case.priority)
    return max(0, int(elapsed.total_seconds()))


def record_first_response(case: Case, at: datetime) -> None:
    """The first customer-facing activity stops the attention clock: the deadline in force at that
    moment (the current tables: an edit the watch has not applied yet counts) and whether it was met
    are kept for good. Audits a deadline that had to be brought up to date. The case is saved by
    the caller."""
    if case.first_response_at is not None:
        return
    before = case.attention_due_at
    apply_deadlines(case, now=at)
    if case.attention_due_at != before:
        add_activity(
            case=case,
            actor=None,
            kind=ActivityKind.DEADLINE_RECOMPUTED,
            now=at,
            body=_("The attention-time table or the service calendar changed."),
            data=deadline_move(before, case.attention_due_at),
        )
    case.first_response_at = at
    case.attention_met = case.attention_due_at is None or at <= case.attention_due_at
    case.first_response_business_seconds = business_seconds(case, at)
    case.warn_at = None  # attention given: no more warnings


@transaction.atomic
def case_change_priority(
    *, case: Case, actor: User, priority: str, reason: str = "", now: datetime | None = None
) -> Case:
    """Set, change or confirm the priority. Before the first response the deadline is recomputed
    from the original registration and the watch looks again; after it the attention result
    (deadline and met/breached) is history and stays as it was. A portal request's priority is the
    contact's suggestion: choosing the same one confirms it, recorded once."""
    now = now or timezone.now()
    if priority not in Priority.values:
        raise CaseError(_("Priority must be one of P1, P2, P3 or P4."), code="bad_priority")
    case = lock_case(case)
    require_open(case)
    confirming = case.priority == priority
    if confirming and not priority_awaits_confirmation(case):
        return case
    old_priority, old_due = case.priority, case.attention_due_at
    case.priority = priority
    apply_deadlines(case, now=now)  # leaves an answered case's deadline alone
    due = case.attention_due_at
    body = reason.strip()
    if confirming and not body:
        body = _("The priority the customer suggested was confirmed.")
    add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.PRIORITY_CHANGE,
        now=now,
        is_public=True,
        body=body,
        data={
            "from": old_priority,
            "to": priority,
            "due_from": old_due.isoformat() if old_due else None,
            "due_to": due.isoformat() if due else None,
            "attention_result_kept": case.first_response_at is not None,
            **({"confirmed": True} if confirming else {}),
        },
    )
    case.save()
    return case


def _unanswered_open() -> Q:
    return Q(first_response_at__isnull=True) & ~Q(status=CaseStatus.CLOSED) & ~Q(priority="")


def cases_recompute_deadlines(*, now: datetime | None = None, batch: int = 2000) -> int:
    """After the attention table, a calendar or the at-risk threshold changed: recompute the
    deadline and at-risk instant of every open case still waiting for its first response (answered
    cases keep theirs: their result is history), audit each deadline that moved, and ask the
    deadline watch to look again. Returns how many cases changed."""
    now = now or timezone.now()
    changed = 0
    unanswered = (
        Case.objects.filter(_unanswered_open())
        .select_related("plan")
        .only(
            "id",
            "registered_at",
            "priority",
            "plan__code",
            "attention_due_at",
            "attention_at_risk_at",
            "first_response_at",
            "status",
            "warn_at",
        )
        .order_by("pk")
    )
    last_pk = 0
    while True:
        with transaction.atomic():
            chunk = list(unanswered.filter(pk__gt=last_pk).select_for_update(of=("self",))[:batch])
            if not chunk:
                return changed
            last_pk = chunk[-1].pk
            moved, audit = [], []
            for case in chunk:
                before, risk_before = case.attention_due_at, case.attention_at_risk_at
                apply_deadlines(case, now=now)
                if case.attention_due_at == before:
                    if case.attention_at_risk_at != risk_before:
                        moved.append(case)  # only the at-risk threshold moved: no new deadline
                    continue
                moved.append(case)
                audit.append(
                    CaseActivity(
                        case=case,
                        kind=ActivityKind.DEADLINE_RECOMPUTED,
                        author=None,
                        created_at=now,
                        body=_("The attention-time table or the service calendar changed."),
                        data=deadline_move(before, case.attention_due_at),
                    )
                )
            Case.objects.bulk_update(
                moved, ["attention_due_at", "attention_at_risk_at", "warn_at"], batch_size=500
            )
            CaseActivity.objects.bulk_create(audit, batch_size=500)
            changed += len(moved)


def cases_watch_again(*, now: datetime | None = None) -> int:
    """The deadline watch's rules changed (one added, removed, switched on or off, or moved to
    another share): every open case still waiting for its first response is looked at by the next
    sweep, which fires what the new rules owe and sets the next instant. A case already due keeps
    its earlier instant. One UPDATE; no deadline or result changes, so no audit row. Returns how
    many cases."""
    now = now or timezone.now()
    return (
        Case.objects.filter(_unanswered_open(), attention_due_at__isnull=False)
        .filter(Q(warn_at__isnull=True) | Q(warn_at__gt=now))
        .update(warn_at=now)
    )


def cases_backfill_business_durations(*, batch: int = 2000, dry_run: bool = False) -> int:
    """Cases answered or closed before the business durations were recorded get them now, from
    their recorded first response and closing instants (one SLA snapshot; batches by id).
    Returns how many cases were (or, dry, would be) filled."""
    missing = (
        Case.objects.exclude(priority="")
        .filter(
            Q(first_response_at__isnull=False, first_response_business_seconds__isnull=True)
            | Q(closed_at__isnull=False, resolution_business_seconds__isnull=True)
        )
        .select_related("plan")
        .only(
            "id",
            "priority",
            "plan__code",
            "registered_at",
            "first_response_at",
            "closed_at",
            "first_response_business_seconds",
            "resolution_business_seconds",
        )
        .order_by("pk")
    )
    if dry_run:
        return missing.count()
    snap = sla.snapshot()
    filled, last_pk = 0, 0
    while True:
        with transaction.atomic():
            chunk = list(missing.filter(pk__gt=last_pk).select_for_update(of=("self",))[:batch])
            if not chunk:
                return filled
            last_pk = chunk[-1].pk
            for case in chunk:
                for at, name in (
                    (case.first_response_at, "first_response_business_seconds"),
                    (case.closed_at, "resolution_business_seconds"),
                ):
                    if at is not None and getattr(case, name) is None:
                        elapsed = snap.business_time_elapsed(
                            case.registered_at, at, case.plan.code, case.priority
                        )
                        setattr(case, name, max(0, int(elapsed.total_seconds())))
            Case.objects.bulk_update(
                chunk, ["first_response_business_seconds", "resolution_business_seconds"], batch_size=500
            )
            filled += len(chunk)
