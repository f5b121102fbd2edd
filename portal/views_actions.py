"""What a contact does on a case of their company: comment with files, accept or reject the
proposed solution, ask to reopen, raise a PQR and climb it. Each is a POST with CSRF and a one-time
form token (``idempotent``), to a case looked up among the company's cases only (404 otherwise,
before anything is read from the form). The service applies the rule; the engineer following the
case is told; the page answers with a redirect to the case, or shows the errors in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import services as case_services
from cases.idempotency import idempotent
from cases.models import ActivityKind, Case, CaseActivity
from contracts.actors import request_actor
from contracts.models import TechnicalContact
from escalation import services as escalation_services
from escalation.models import Pqr, PqrStep

from .access import company_case_view
from .case_actions import FORMS, CaseActions
from .views import detail_context


@dataclass(frozen=True)
class Action:
    # (request, case, contact, cleaned data) → the activity the engineer is told of, or None
    run: Callable[[Any, Case, TechnicalContact, dict[str, Any]], CaseActivity | None]
    done: Any  # a lazy translation, said after it worked


def _latest(case: Case, kind: str) -> CaseActivity:
    return CaseActivity.objects.filter(case=case, kind=kind).latest("created_at", "id")


def _comment(user: Any, case: Case, contact: TechnicalContact, d: dict[str, Any]) -> CaseActivity:
    return case_services.case_add_contact_comment(
        case=case, contact=contact, actor=user, body=d["body"], attachments=d["attachments"] or []
    )


def _accept(user: Any, case: Case, contact: TechnicalContact, d: dict[str, Any]) -> CaseActivity:
    case = case_services.case_accept_solution(case=case, contact=contact, actor=user, note=d["note"])
    return _latest(case, ActivityKind.CLOSURE)


def _reject(user: Any, case: Case, contact: TechnicalContact, d: dict[str, Any]) -> CaseActivity:
    return case_services.case_reject_solution(case=case, contact=contact, actor=user, reason=d["reason"])


def _reopen(user: Any, case: Case, contact: TechnicalContact, d: dict[str, Any]) -> CaseActivity:
    case = case_services.case_request_reopen(case=case, contact=contact, actor=user, reason=d["reason"])
    return _latest(case, ActivityKind.REOPENING)


def _pqr_raise(user: Any, case: Case, contact: TechnicalContact, d: dict[str, Any]) -> None:
    escalation_services.pqr_raise(
        actor=user, case=case, contact=contact, kind=d["kind"], description=d["description"]
    )


def _pqr_climb(user: Any, case: Case, contact: TechnicalContact, d: dict[str, Any]) -> None:
    pqr = Pqr.objects.filter(case=case, status=Pqr.Status.OPEN).first()
    if pqr is None:
        raise ValidationError(_("This case has no open PQR to escalate."), code="no_pqr")
    escalation_services.pqr_escalate(actor=user, pqr=pqr, reason=PqrStep.Reason.CUSTOMER, note=d["note"])


def _copy(user: Any, case: Case, contact: TechnicalContact, d: dict[str, Any]) -> None:
    case_services.case_copy_add(case=case, actor=user, email=d["email"], by_contact=contact)


def _uncopy(user: Any, case: Case, contact: TechnicalContact, d: dict[str, Any]) -> None:
    case_services.case_copy_remove(case=case, actor=user, contact_id=d["contact"], by_contact=contact)


ACTIONS: dict[str, Action] = {
    "comment": Action(_comment, gettext_lazy("Your comment was added to the case.")),
    "accept": Action(_accept, gettext_lazy("Thank you: the solution was accepted and the case is closed.")),
    "reject": Action(
        _reject,
        gettext_lazy(
            "The solution was rejected and the engineer keeps working on the case. If you want, you can "
            "also escalate it (PQR) below."
        ),
    ),
    "reopen": Action(_reopen, gettext_lazy("The case was reopened; the engineer was told.")),
    "pqr": Action(_pqr_raise, gettext_lazy("Your PQR was recorded and level N1 was notified.")),
    "pqr_climb": Action(_pqr_climb, gettext_lazy("Your PQR was escalated to the next level.")),
    "copy": Action(_copy, gettext_lazy("Your colleague is copied on this case's e-mails.")),
    "uncopy": Action(_uncopy, gettext_lazy("Your colleague is no longer copied on this case's e-mails.")),
}

# URL slugs (Spanish, like the rest of the portal's addresses) → actions.
SLUGS = {
    "comentar": "comment",
    "aceptar": "accept",
    "rechazar": "reject",
    "reabrir": "reopen",
    "pqr": "pqr",
    "pqr-escalar": "pqr_climb",
    "copiar": "copy",
    "quitar-copia": "uncopy",
}


@company_case_view("POST")
@idempotent
def case_action(request: HttpRequest, case: Case, action: str) -> HttpResponse:
    name = SLUGS.get(action)
    if name is None:
        raise Http404
    contact = request.contact  # type: ignore[attr-defined]
    form = FORMS[name](request.POST, request.FILES, prefix=name)
    if form.is_valid():
        try:
            activity = ACTIONS[name].run(request_actor(request), case, contact, form.cleaned_data)
        except ValidationError as error:
            target = "attachments" if getattr(error, "code", "") == "attachments_refused" else None
            form.add_error(target if target in form.fields else None, error)
        else:
            if activity is not None:
                escalation_services.notify_customer_message(activity=activity)
            messages.success(request, str(ACTIONS[name].done))
            return redirect(f"{case_url(case)}#historial")
    case.refresh_from_db()
    context = detail_context(request, case, bound={name: form})
    actions = context["actions"]
    if isinstance(actions, CaseActions) and not actions.shows(name):
        # The case moved on (or the action does not apply to it): say why on top of the page.
        for field_errors in form.errors.as_data().values():
            for refused in field_errors:
                for message in refused.messages:
                    messages.error(request, message)
    return render(request, "portal/case_detail.html", context, status=400)


def case_url(case: Case) -> str:
    return reverse("portal:case_detail", args=[case.number])
