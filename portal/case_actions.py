"""What the case page offers the contact to do, and the PQRs they follow: the forms (bound ones
when an action came back with errors), which actions the case's state allows, and whether a PQR
may be raised now (the escalation app's rule, with its reason when not)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django import forms as django_forms

from cases.models import Case, CaseStatus
from cases.services import priority_awaits_confirmation
from escalation import selectors as escalation_selectors
from escalation.models import EscalationContact, Pqr
from escalation.services import pqr_refusal

from .forms_act import (
    AcceptForm,
    CommentForm,
    CopyForm,
    CopyRemoveForm,
    PqrClimbForm,
    PqrRaiseForm,
    RejectForm,
    ReopenForm,
)

FORMS: dict[str, type[django_forms.Form]] = {
    "comment": CommentForm,
    "accept": AcceptForm,
    "reject": RejectForm,
    "reopen": ReopenForm,
    "pqr": PqrRaiseForm,
    "pqr_climb": PqrClimbForm,
    "copy": CopyForm,
    "uncopy": CopyRemoveForm,
}


@dataclass
class CaseActions:
    forms: dict[str, django_forms.Form]
    can_comment: bool
    can_answer_solution: bool
    can_reopen: bool
    pqrs: list[Pqr]
    pqr_open: Pqr | None
    pqr_refusal: str | None
    pqr_people: list[EscalationContact] = field(default_factory=list)
    # The priority is still the contact's suggestion (no engineer confirmed or changed it).
    priority_suggested: bool = False
    # The action whose form came back with errors (its panel is shown open).
    failed: str = ""
    # The contact looking at the page requested the case (only they change who is copied).
    is_requester: bool = False

    @property
    def shows_copy(self) -> bool:
        return self.shows("copy")

    def shows(self, name: str) -> bool:
        """Whether the case page shows this action's form now (else its errors are said on top)."""
        return {
            "comment": self.can_comment,
            "accept": self.can_answer_solution,
            "reject": self.can_answer_solution,
            "reopen": self.can_reopen,
            "pqr": self.pqr_open is None and self.pqr_refusal is None,
            "pqr_climb": self.pqr_open is not None,
            "copy": self.is_requester and self.can_comment,
            "uncopy": self.is_requester,
        }.get(name, False)


def case_actions(
    case: Case,
    *,
    now: datetime,
    bound: dict[str, django_forms.Form] | None = None,
    contact_id: int | None = None,
) -> CaseActions:
    bound = bound or {}
    forms: dict[str, Any] = {name: bound.get(name) or form(prefix=name) for name, form in FORMS.items()}
    pqrs = escalation_selectors.case_pqrs(case_id=case.pk)
    current = next((p for p in pqrs if p.status == Pqr.Status.OPEN), None)
    people = list(current.level.contacts.filter(is_active=True)) if current is not None else []
    return CaseActions(
        forms=forms,
        can_comment=case.is_open,
        can_answer_solution=case.status == CaseStatus.SOLUTION_PROPOSED,
        can_reopen=not case.is_open,
        pqrs=pqrs,
        pqr_open=current,
        pqr_refusal=None if current is not None else pqr_refusal(case=case, now=now),
        pqr_people=people,
        priority_suggested=case.is_open and priority_awaits_confirmation(case),
        failed=next(iter(bound), ""),
        is_requester=contact_id is not None and contact_id == case.requester_id,
    )
