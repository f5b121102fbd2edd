"""Following a case: interactions, assignment, priority, tier, status, solution, closing, reopening."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts import selectors as contract_selectors
from contracts.models import TechnicalContact

from .. import transitions
from ..errors import CaseError
from ..models import (
    CUSTOMER_FACING_KINDS,
    INTERACTION_KINDS,
    ActivityKind,
    Case,
    CaseActivity,
    CaseKind,
    CaseStatus,
    CloseReason,
    OnsiteVisitAuthorization,
    SolutionKind,
    SupportTier,
    SurveyOwed,
)
from .attachments import attachments_check, attachments_store
from .common import (
    activity_row,
    add_activity,
    apply_deadlines,
    deadline_move,
    lock_case,
    refresh_case_state,
    require_open,
)
from .deadlines import business_seconds, record_first_response
from .hour_bank import hour_bank_draw

# One activity's time: at most a working day and a half (a longer job is logged as several).
MAX_MINUTES_PER_ACTIVITY = 16 * 60

# Statuses from which logging work with the customer means the case is being worked on.
_STARTS_WORK = {CaseStatus.NEW, CaseStatus.ASSIGNED, CaseStatus.REOPENED}


def _set_status(case: Case, actor: User | None, new: str, now: datetime, note: str = "") -> None:
    old = case.status
    if old == new:
        return
    transitions.check_transition(old, new)
    case.status = new
    add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.STATUS_CHANGE,
        now=now,
        is_public=True,
        body=note,
        data={"from": old, "to": new},
    )


@transaction.atomic
def case_log_activity(
    *,
    case: Case,
    actor: User | None,
    kind: str,
    body: str,
    is_public: bool | None = None,
    attachments: Sequence[UploadedFile] = (),
    minutes_spent: int = 0,
    audit: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> CaseActivity:
    """Record an interaction and the time it took. The first one with the customer stops the
    attention clock; time logged at tiers 1 and 2 draws from the contract's hour bank, if any.

    ``audit``: what the audit row keeps of who logged it when that is not a user (e.g.
    ``{"api_key": "CRM"}`` for an integration; ``actor`` is then None)."""
    now = now or timezone.now()
    if kind not in INTERACTION_KINDS:
        raise CaseError(_("Unknown kind of activity."), code="bad_kind")
    if not isinstance(minutes_spent, int) or not 0 <= minutes_spent <= MAX_MINUTES_PER_ACTIVITY:
        raise CaseError(
            _("Give the time spent in minutes, from 0 to %(most)s.") % {"most": MAX_MINUTES_PER_ACTIVITY},
            code="bad_minutes",
        )
    if not body.strip():
        raise CaseError(_("Describe what was done or said."), code="empty")
    case = lock_case(case)
    require_open(case)
    checked = attachments_check(attachments)  # all or nothing, before anything is written
    public = kind != ActivityKind.INTERNAL_NOTE if is_public is None else bool(is_public)
    if kind == ActivityKind.INTERNAL_NOTE:
        public = False
    authorization = None
    if kind == ActivityKind.ONSITE_VISIT:
        authorization = (
            OnsiteVisitAuthorization.objects.select_for_update()
            .filter(case=case, used_by__isnull=True)
            .order_by("authorized_at")
            .first()
        )
        if authorization is None:
            raise CaseError(
                _("An on-site visit needs the support manager's authorisation first."),
                code="visit_not_authorized",
            )
    activity = add_activity(
        case=case,
        actor=actor,
        kind=kind,
        now=now,
        body=body.strip(),
        is_public=public,
        minutes_spent=minutes_spent,
        data=dict(audit) if audit else None,
    )
    hour_bank_draw(case=case, activity=activity, actor=actor, now=now)
    if authorization is not None:
        authorization.used_by = activity
        authorization.save(update_fields=["used_by"])
    attachments_store(case=case, actor=actor, checked=checked, activity=activity, is_public=public, now=now)
    if public and kind in CUSTOMER_FACING_KINDS:
        record_first_response(case, now)
        if case.status in _STARTS_WORK:
            _set_status(case, actor, CaseStatus.IN_PROGRESS, now)
            refresh_case_state(activity, case)
    case.save()
    return activity


@transaction.atomic
def case_assign(*, case: Case, actor: User, assignee: User | None, now: datetime | None = None) -> Case:
    """Assign (or take) a case. Moving it away from someone else needs ``cases.reassign_case``."""
    now = now or timezone.now()
    case = lock_case(case)
    require_open(case)
    if case.assigned_to_id == getattr(assignee, "pk", None):
        return case
    taking_free_case = case.assigned_to_id is None and assignee is not None and assignee.pk == actor.pk
    if not taking_free_case and not actor.has_perm("cases.reassign_case"):
        raise CaseError(
            _("Only a support manager can reassign a case; you can take unassigned cases."),
            code="forbidden",
        )
    if assignee is not None and not assignee.has_perm("cases.change_case"):
        raise CaseError(
            _("%(name)s is not a support engineer.") % {"name": assignee.get_username()}, code="not_engineer"
        )
    previous = case.assigned_to
    case.assigned_to = assignee
    add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.ASSIGNMENT,
        now=now,
        body=_("Assigned to %(to)s (was %(from)s).")
        % {
            "to": (assignee.get_full_name() or assignee.get_username()) if assignee else _("nobody"),
            "from": (previous.get_full_name() or previous.get_username()) if previous else _("unassigned"),
        },
        data={"from": getattr(previous, "pk", None), "to": getattr(assignee, "pk", None)},
    )
    if assignee is not None and case.status in (CaseStatus.NEW, CaseStatus.REOPENED):
        _set_status(case, actor, CaseStatus.ASSIGNED, now)
    case.save()
    return case


@transaction.atomic
def case_escalate_tier(
    *,
    case: Case,
    actor: User,
    tier: int,
    analysis: str,
    evidence: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> Case:
    """Move the case up a support tier, handing over the analysis and evidence."""
    now = now or timezone.now()
    case = lock_case(case)
    require_open(case)
    if tier not in SupportTier.values or tier <= case.tier:
        raise CaseError(_("A case only moves up the support tiers (N1 → N4)."), code="bad_tier")
    if not analysis.strip():
        raise CaseError(
            _("Write the analysis done so far: the next tier continues from it."), code="no_analysis"
        )
    checked = attachments_check(evidence)  # all or nothing, before anything is written
    old = case.tier
    case.tier = tier
    activity = add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.TIER_CHANGE,
        now=now,
        body=analysis.strip(),
        data={"from": old, "to": tier},
    )
    attachments_store(case=case, actor=actor, checked=checked, activity=activity, is_public=False, now=now)
    case.save()
    return case


@transaction.atomic
def case_change_status(
    *, case: Case, actor: User, status: str, note: str = "", now: datetime | None = None
) -> Case:
    """Manual status changes (in progress, waiting on the customer); the rest have their own actions."""
    now = now or timezone.now()
    if status not in transitions.MANUAL:
        raise CaseError(_("That status is set by its own action."), code="not_manual")
    case = lock_case(case)
    require_open(case)
    _set_status(case, actor, status, now, note.strip())
    case.save()
    return case


@transaction.atomic
def case_propose_solution(
    *, case: Case, actor: User, solution_kind: str, solution: str, now: datetime | None = None
) -> Case:
    now = now or timezone.now()
    if solution_kind not in SolutionKind.values:
        raise CaseError(_("Choose the kind of solution."), code="bad_solution_kind")
    if not solution.strip():
        raise CaseError(_("Describe the solution proposed to the customer."), code="empty")
    case = lock_case(case)
    require_open(case)
    case.solution_kind, case.solution = solution_kind, solution.strip()
    _set_status(case, actor, CaseStatus.SOLUTION_PROPOSED, now)
    add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.SOLUTION_PROPOSED,
        now=now,
        is_public=True,
        body=case.solution,
        data={"solution_kind": solution_kind},
    )
    record_first_response(case, now)
    case.save()
    return case


@transaction.atomic
def case_close(
    *,
    case: Case,
    actor: User | None,
    reason: str,
    note: str = "",
    duplicate_of: Case | None = None,
    survey_contact: TechnicalContact | None = None,
    now: datetime | None = None,
) -> Case:
    """Close on an accepted solution, or without acceptance for the scheme's reasons. The
    satisfaction survey goes to ``survey_contact`` (the contact who accepted the solution) or,
    by default, to the case's requester."""
    now = now or timezone.now()
    if reason not in CloseReason.values:
        raise CaseError(_("Choose why the case is closed."), code="bad_reason")
    case = lock_case(case)
    require_open(case)
    if reason == CloseReason.ACCEPTED and not case.solution:
        raise CaseError(
            _("Propose a solution first: a case closes on a solution the customer accepted."),
            code="no_solution",
        )
    if reason == CloseReason.CANCELLED and case.kind != CaseKind.PREVENTIVE_MAINTENANCE:
        raise CaseError(_("Only a preventive maintenance is closed as cancelled."), code="bad_reason")
    if reason == CloseReason.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == case.pk:
            raise CaseError(_("Give the case this one duplicates."), code="no_original")
        if duplicate_of.customer_id != case.customer_id:
            raise CaseError(_("A duplicate must be of a case of the same customer."), code="other_customer")
    elif duplicate_of is not None:
        raise CaseError(_("Only a duplicate links to another case."), code="unexpected_original")
    _set_status(case, actor, CaseStatus.CLOSED, now)
    case.closed_at, case.close_reason, case.duplicate_of = now, reason, duplicate_of
    case.resolution_business_seconds = business_seconds(case, now)
    case.warn_at = None
    closure = add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.CLOSURE,
        now=now,
        is_public=True,
        body=note.strip(),
        data={"reason": reason, "duplicate_of": duplicate_of.number if duplicate_of else None},
    )
    if reason not in (CloseReason.DUPLICATE, CloseReason.CANCELLED):
        # The survey is owed once per closure; the unique closure link makes a retry harmless.
        SurveyOwed.objects.get_or_create(
            closure=closure,
            defaults={"case": case, "contact": survey_contact or case.requester, "created_at": now},
        )
    case.save()
    return case


@transaction.atomic
def case_reopen(*, case: Case, actor: User | None, reason: str, now: datetime | None = None) -> Case:
    """Reopen at the customer's request, while the conditions hold (a contract in force)."""
    now = now or timezone.now()
    if not reason.strip():
        raise CaseError(_("Say why the case is reopened."), code="no_reason")
    case = lock_case(case)
    if case.is_open:
        raise CaseError(_("The case is already open."), code="open")
    if contract_selectors.contract_in_force(customer=case.customer, on=timezone.localdate(now)) is None:
        raise CaseError(
            _("%(customer)s has no support contract in force, so the case cannot be reopened.")
            % {"customer": case.customer.name},
            code="no_contract",
        )
    _set_status(case, actor, CaseStatus.REOPENED, now)
    case.closed_at, case.close_reason = None, ""
    case.resolution_business_seconds = None
    case.reopen_count += 1
    # Still waiting for its first response: the deadline in force now (tables edited while it was
    # closed count) and the watch looks at it again. An answered case keeps its result.
    before = case.attention_due_at
    apply_deadlines(case, now=now)
    due = case.attention_due_at
    moved = {"deadline": deadline_move(before, due)} if due != before else {}
    add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.REOPENING,
        now=now,
        is_public=True,
        body=reason.strip(),
        data=moved,
    )
    case.save()
    return case


@transaction.atomic
def case_authorize_visit(
    *,
    case: Case,
    actor: User,
    reason: str,
    scheduled_for: datetime | None = None,
    now: datetime | None = None,
) -> OnsiteVisitAuthorization:
    """The support manager authorises an on-site visit (Bogotá; only plans that allow it)."""
    now = now or timezone.now()
    if not actor.has_perm("cases.authorize_onsite_visit"):
        raise CaseError(_("Only the support manager can authorise on-site visits."), code="forbidden")
    case = lock_case(case)
    require_open(case)
    if not case.plan.onsite_allowed:
        raise CaseError(
            _("The %(plan)s plan does not include on-site support.") % {"plan": case.plan.name},
            code="plan_no_onsite",
        )
    if not reason.strip():
        raise CaseError(_("Say why the visit is needed."), code="no_reason")
    authorization = OnsiteVisitAuthorization.objects.create(
        case=case, authorized_by=actor, authorized_at=now, scheduled_for=scheduled_for, reason=reason.strip()
    )
    add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.VISIT_AUTHORIZED,
        now=now,
        body=reason.strip(),
        data={"scheduled_for": scheduled_for.isoformat() if scheduled_for else None},
    )
    return authorization


def case_record_notification(
    *, case: Case, body: str, data: dict, now: datetime | None = None, actor: User | None = None
) -> CaseActivity:
    """Put a notification sent about the case on its timeline (internal); ``actor`` when a person
    sent it (a manager's breach report), None when SMA did."""
    return add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.NOTIFICATION,
        now=now or timezone.now(),
        body=body,
        data=data,
    )


def cases_record_notifications(
    *, entries: list[tuple[Case, str, dict]], now: datetime | None = None
) -> list[CaseActivity]:
    """Put many notifications on their cases' timelines at once (internal; one INSERT): the
    deadline sweep records every notification of a batch this way. ``entries`` are (case, body,
    data), in the order they should appear."""
    now = now or timezone.now()
    rows = [
        activity_row(case=case, actor=None, kind=ActivityKind.NOTIFICATION, now=now, body=body, data=data)
        for case, body, data in entries
    ]
    return CaseActivity.objects.bulk_create(rows) if rows else []


def case_record_pqr(
    *,
    case: Case,
    actor: User | None,
    body: str,
    data: dict,
    is_public: bool = True,
    now: datetime | None = None,
) -> CaseActivity:
    """Put a step of a customer escalation (PQR) on the case's timeline; the customer sees it."""
    return add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.PQR,
        now=now or timezone.now(),
        body=body,
        data=data,
        is_public=is_public,
    )
