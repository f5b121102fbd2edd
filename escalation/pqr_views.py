"""The PQR pages: a case's escalations (raise, acknowledge, escalate, resolve) and the managers'
queue of open PQRs. Every action is a plain POST form; errors come back in the page, input kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.models import Case

from . import selectors, services
from .forms import PqrAcknowledgeForm, PqrEscalateForm, PqrQueueForm, PqrRaiseForm, PqrResolveForm
from .models import Pqr

view_required = permission_required("escalation.view_pqr", raise_exception=True)
work_required = permission_required("cases.change_case", raise_exception=True)

ACTION_FORMS: dict[str, type] = {
    "acknowledge": PqrAcknowledgeForm,
    "escalate": PqrEscalateForm,
    "resolve": PqrResolveForm,
}


def _page(
    request: HttpRequest, case: Case, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    pqrs = selectors.case_pqrs(case_id=case.pk)
    current = next((p for p in pqrs if p.status == Pqr.Status.OPEN), None)
    forms = forms or {}
    context = {
        "case": case,
        "pqrs": pqrs,
        "current": current,
        "refusal": None if current else services.pqr_refusal(case=case, now=timezone.now()),
        "raise_form": forms.get("raise") or PqrRaiseForm(case=case, prefix="raise"),
        "acknowledge_form": forms.get("acknowledge") or PqrAcknowledgeForm(prefix="acknowledge"),
        "escalate_form": forms.get("escalate") or PqrEscalateForm(prefix="escalate"),
        "resolve_form": forms.get("resolve") or PqrResolveForm(prefix="resolve"),
        "can_handle": request.user.has_perm(services.pqr.HANDLE_PERMISSION),
        "can_work": request.user.has_perm("cases.change_case"),
    }
    return render(request, "escalation/case_pqr.html", context, status=status)


def _case(number: str) -> Case:
    return get_object_or_404(Case.objects.select_related("customer", "plan", "requester"), number=number)


@login_required
@view_required
@require_GET
def case_pqr(request: HttpRequest, number: str) -> HttpResponse:
    return _page(request, _case(number))


@login_required
@work_required
@require_POST
def case_pqr_raise(request: HttpRequest, number: str) -> HttpResponse:
    case = _case(number)
    form = PqrRaiseForm(request.POST, case=case, prefix="raise")
    if form.is_valid():
        try:
            pqr = services.pqr_raise(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("%(code)s recorded; level N%(level)d was notified.")
                % {"code": pqr.code, "level": pqr.level.number},
            )
            return redirect("escalation:case_pqr", number=case.number)
    messages.error(request, _("The PQR was not recorded; see the errors below."))
    return _page(request, case, forms={"raise": form}, status=400)


@login_required
@work_required
@require_POST
def pqr_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    pqr = get_object_or_404(Pqr.objects.select_related("case"), pk=pk)
    case = _case(pqr.case.number)
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "acknowledge":
                services.pqr_acknowledge(actor=request.user, pqr=pqr, note=data["note"])
            elif action == "escalate":
                services.pqr_escalate(actor=request.user, pqr=pqr, reason=data["reason"], note=data["note"])
            else:
                services.pqr_resolve(actor=request.user, pqr=pqr, resolution=data["resolution"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved."))
            return redirect("escalation:case_pqr", number=case.number)
    messages.error(request, _("The action was not saved; see the errors below."))
    return _page(request, case, forms={action: form}, status=400)


@login_required
@view_required
@require_GET
def pqr_queue(request: HttpRequest) -> HttpResponse:
    form = PqrQueueForm(request.GET)
    status = form.cleaned_data.get("status") or "open" if form.is_valid() else "open"
    paginator = Paginator(selectors.pqr_queue(status=status), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "escalation/pqr_queue.html", {"page": page, "status": status, "now": timezone.now()}
    )
