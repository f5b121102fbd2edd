"""The PQR pages: a case's escalations (raise, acknowledge, escalate, resolve) and the managers'
queue of open PQRs. Every action is a plain POST form; errors come back in the page, input kept."""

from __future__ import annotations

from collections.abc import Callable
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

from cases.display import duration
from cases.idempotency import idempotent
from cases.models import Case
from contracts.actors import request_actor

from . import selectors, services
from .forms import (
    PQR_QUEUE_TABS,
    PqrAcknowledgeForm,
    PqrEscalateForm,
    PqrQueueForm,
    PqrRaiseForm,
    PqrResolveForm,
)
from .models import Pqr

view_required = permission_required("escalation.view_pqr", raise_exception=True)
work_required = permission_required("cases.change_case", raise_exception=True)

# action → (form, what it does with the user, the PQR and the form's data)
ACTIONS: dict[str, tuple[type, Callable[[Any, Pqr, dict[str, Any]], object]]] = {
    "acknowledge": (
        PqrAcknowledgeForm,
        lambda user, pqr, d: services.pqr_acknowledge(actor=user, pqr=pqr, note=d["note"]),
    ),
    "escalate": (
        PqrEscalateForm,
        lambda user, pqr, d: services.pqr_escalate(actor=user, pqr=pqr, reason=d["reason"], note=d["note"]),
    ),
    "resolve": (
        PqrResolveForm,
        lambda user, pqr, d: services.pqr_resolve(actor=user, pqr=pqr, resolution=d["resolution"]),
    ),
}


def _attempt(request: HttpRequest, form: Any, run: Callable[[dict[str, Any]], object]) -> object | None:
    """Run the service on valid input. A rule that refuses is said at the top of the page, where it
    is seen even when the form is not on the page (an action this user may not take, a PQR resolved
    meanwhile); what was typed stays in the form. None when nothing was done."""
    if not form.is_valid():
        return None
    try:
        return run(form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None


def _page(
    request: HttpRequest,
    case: Case,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
    pqr: Pqr | None = None,
) -> HttpResponse:
    pqrs = selectors.case_pqrs(case_id=case.pk)
    current = next((p for p in pqrs if p.status == Pqr.Status.OPEN), None)
    can_handle = request.user.has_perm(services.pqr.HANDLE_PERMISSION)
    forms = forms or {}
    for name, form in forms.items():
        if form.is_bound and form.errors:
            shown = _form_shown(name, current=current, pqr=pqr, can_handle=can_handle)
            _say_invalid(request, form, shown=shown)
    context = {
        "case": case,
        "pqrs": pqrs,
        "current": current,
        "refusal": None if current else services.pqr_refusal(case=case, now=timezone.now()),
        "raise_form": forms.get("raise") or PqrRaiseForm(case=case, prefix="raise"),
        "acknowledge_form": forms.get("acknowledge") or PqrAcknowledgeForm(prefix="acknowledge"),
        "escalate_form": forms.get("escalate") or PqrEscalateForm(prefix="escalate"),
        "resolve_form": forms.get("resolve") or PqrResolveForm(prefix="resolve"),
        "can_handle": can_handle,
        "can_work": request.user.has_perm("cases.change_case"),
    }
    return render(request, "escalation/case_pqr.html", context, status=status)


def _form_shown(name: str, *, current: Pqr | None, pqr: Pqr | None, can_handle: bool) -> bool:
    """Whether case_pqr.html shows this form: raising while no PQR is open; the open PQR's actions,
    acknowledge and resolve only to those who handle PQRs."""
    if name == "raise":
        return current is None
    if current is None or pqr is None or current.pk != pqr.pk:
        return False
    return name == "escalate" or can_handle


def _say_invalid(request: HttpRequest, form: Any, *, shown: bool) -> None:
    """Input errors are shown next to their fields; when the form is not on the page, at the top."""
    if shown:
        if isinstance(form, PqrRaiseForm):
            messages.error(request, _("The PQR was not recorded; see the errors below."))
        else:
            messages.error(request, _("The action was not saved; see the errors below."))
        return
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


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
@idempotent
def case_pqr_raise(request: HttpRequest, number: str) -> HttpResponse:
    case = _case(number)
    form = PqrRaiseForm(request.POST, case=case, prefix="raise")
    pqr = _attempt(request, form, lambda d: services.pqr_raise(actor=request_actor(request), case=case, **d))
    if isinstance(pqr, Pqr):
        messages.success(
            request,
            _("%(code)s recorded; level N%(level)d was notified.")
            % {"code": pqr.code, "level": pqr.level.number},
        )
        return redirect("escalation:case_pqr", number=case.number)
    return _page(request, case, forms={"raise": form}, status=400)


@login_required
@work_required
@require_POST
@idempotent
def pqr_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    form_class, run = ACTIONS[action]
    pqr = get_object_or_404(
        Pqr.objects.select_related("case__customer", "case__plan", "case__requester"), pk=pk
    )
    form = form_class(request.POST, prefix=action)
    if _attempt(request, form, lambda d: run(request_actor(request), pqr, d)) is not None:
        messages.success(request, _("Saved."))
        return redirect("escalation:case_pqr", number=pqr.case.number)
    return _page(request, pqr.case, forms={action: form}, status=400, pqr=pqr)


@login_required
@view_required
@require_GET
def pqr_queue(request: HttpRequest) -> HttpResponse:
    form = PqrQueueForm(request.GET)
    status = form.cleaned_data.get("status") or "open" if form.is_valid() else "open"
    paginator = Paginator(selectors.pqr_queue(status=status), 50)
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(pqr, _clock_text(pqr, selectors.pqr_clock(pqr, now=now))) for pqr in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "tabs": PQR_QUEUE_TABS,
        "now": now,
    }
    return render(request, "escalation/pqr_queue.html", context)


def _clock_text(pqr: Pqr, clock: selectors.PqrClock) -> tuple[str, str]:
    """(state, text) of a queue row's acknowledgement countdown."""
    if pqr.status != Pqr.Status.OPEN:
        return "met", _("resolved")
    if clock.state == "met":
        return "met", _("acknowledged by its level")
    if clock.remaining is None:
        return "pending", _("awaiting acknowledgement (top level)")
    if clock.state == "breached":
        return "breached", _("acknowledgement overdue by %(time)s") % {"time": duration(clock.remaining)}
    return "pending", _("to acknowledge within %(time)s") % {"time": duration(clock.remaining)}
