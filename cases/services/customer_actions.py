"""What a customer's technical contact does on a case of their company (the portal calls these):
write a comment with files, accept or reject the proposed solution, ask to reopen a closed case.

The actor is the contact's own account; the contact must belong to the case's customer (the portal
scopes its pages to one company as well: this is the rule, not the only guard). None of these is a
first response: the attention clock stops only on the first customer-facing activity by staff.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import TechnicalContact

from ..errors import CaseError
from ..models import ActivityKind, Case, CaseActivity, CaseStatus, Channel, CloseReason
from .attachments import attachments_check
from .common import add_activity, lock_case, require_open
from .lifecycle import _set_status, case_close, case_reopen
from .messages import case_add_customer_message
from .registration import requester_may_request


def _require_contact_of(case: Case, contact: TechnicalContact) -> None:
    if contact.customer_id != case.customer_id:
        raise CaseError(_("This case belongs to another company."), code="other_customer")


def _require_solution_pending(case: Case) -> None:
    if case.status != CaseStatus.SOLUTION_PROPOSED:
        raise CaseError(
            _("Case %(number)s has no proposed solution waiting for your answer.") % {"number": case.number},
            code="no_solution_pending",
        )


@transaction.atomic
def case_add_contact_comment(
    *,
    case: Case,
    contact: TechnicalContact,
    actor: User,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> CaseActivity:
    """A comment (and files) from the contact on an open case of their company. The files are a
    batch, all or nothing: one refused file refuses the comment and nothing is kept, so the contact
    can fix it and send again. A case waiting on the customer goes back to in progress."""
    now = now or timezone.now()
    _require_contact_of(case, contact)
    if not body.strip() and not attachments:
        raise CaseError(_("Write a comment or attach a file."), code="empty")
    case = lock_case(case)
    require_open(case)
    attachments_check(attachments)  # before anything is written
    return case_add_customer_message(
        case=case,
        requester=contact,
        body=body,
        attachments=attachments,
        actor=actor,
        data={"channel": Channel.PORTAL},
        now=now,
    )


@transaction.atomic
def case_accept_solution(
    *,
    case: Case,
    contact: TechnicalContact,
    actor: User,
    note: str = "",
    now: datetime | None = None,
) -> Case:
    """The contact accepts the proposed solution: the case closes (reason: accepted) and a
    satisfaction survey is owed. Accepting a case already closed on its accepted solution changes
    nothing."""
    now = now or timezone.now()
    _require_contact_of(case, contact)
    case = lock_case(case)
    if case.status == CaseStatus.CLOSED and case.close_reason == CloseReason.ACCEPTED:
        return case
    _require_solution_pending(case)
    said = _("%(name)s accepted the proposed solution.") % {"name": contact.full_name}
    return case_close(
        case=case,
        actor=actor,
        reason=CloseReason.ACCEPTED,
        note=f"{said}\n\n{note.strip()}" if note.strip() else said,
        survey_contact=contact,
        now=now,
    )


@transaction.atomic
def case_reject_solution(
    *,
    case: Case,
    contact: TechnicalContact,
    actor: User,
    reason: str,
    now: datetime | None = None,
) -> CaseActivity:
    """The contact does not accept the proposed solution, and says why: work resumes (in progress)
    and the proposal is withdrawn (it stays on the timeline). From then on the customer may
    escalate a PQR (the answer was not accepted)."""
    now = now or timezone.now()
    _require_contact_of(case, contact)
    if not reason.strip():
        raise CaseError(_("Say why the solution does not solve the problem."), code="no_reason")
    case = lock_case(case)
    _require_solution_pending(case)
    rejected = {"solution_kind": case.solution_kind, "solution": case.solution}
    _set_status(case, actor, CaseStatus.IN_PROGRESS, now)
    case.solution_kind, case.solution = "", ""
    activity = add_activity(
        case=case,
        actor=actor,
        kind=ActivityKind.SOLUTION_REJECTED,
        now=now,
        is_public=True,
        body=reason.strip(),
        data={"contact": contact.pk, "rejected": rejected},
    )
    case.save()
    return activity


@transaction.atomic
def case_request_reopen(
    *,
    case: Case,
    contact: TechnicalContact,
    actor: User,
    reason: str,
    now: datetime | None = None,
) -> Case:
    """The contact asks to reopen a closed case of their company. It reopens while the conditions
    hold: the contact is still designated and the customer has a contract in force."""
    now = now or timezone.now()
    _require_contact_of(case, contact)
    if not requester_may_request(customer=case.customer, requester=contact):
        raise CaseError(
            _("%(name)s is no longer a designated technical contact of %(customer)s.")
            % {"name": contact.full_name, "customer": case.customer.name},
            code="not_designated",
        )
    said = _("%(name)s asked to reopen it: %(reason)s") % {
        "name": contact.full_name,
        "reason": reason.strip(),
    }
    return case_reopen(case=case, actor=actor, reason=said if reason.strip() else "", now=now)


__all__ = [
    "case_accept_solution",
    "case_add_contact_comment",
    "case_reject_solution",
    "case_request_reopen",
]
