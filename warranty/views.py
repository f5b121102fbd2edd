"""The warranty desk: the customers' hardware under warranty, and a warranty-claim case's RMA
(open it, move it through its steps, its delivery countdown). Views check input and permissions,
call a service, render; every change is a POST with a one-time token."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.display import duration
from cases.forms import parse_id
from cases.idempotency import idempotent
from cases.models import Case, CaseKind
from contracts.actors import request_actor
from contracts.models import Customer

from . import selectors, services
from .forms import AssetFilterForm, RmaOpenForm, RmaRejectForm, RmaStepForm
from .models import Rma, RmaStep
from .models.assets import WarrantyState
from .services.rma import possible_steps

PER_PAGE = 25

assets_required = permission_required("warranty.view_hardwareasset", raise_exception=True)
rma_view_required = permission_required("warranty.view_rma", raise_exception=True)
rma_work_required = permission_required("warranty.change_rma", raise_exception=True)


def countdown_text(countdown: selectors.DeliveryCountdown) -> str:
    if countdown.state == "pending":
        return _("replacement due in %(time)s business time") % {"time": duration(countdown.remaining)}
    if countdown.state == "at_risk":
        return _("at risk: replacement due in %(time)s business time") % {
            "time": duration(countdown.remaining)
        }
    if countdown.state == "breached":
        return _("replacement overdue by %(time)s business time") % {"time": duration(countdown.remaining)}
    if countdown.state == "met":
        return _("replacement delivered in time")
    if countdown.state == "missed":
        return _("replacement delivered late")
    return _("rejected")


# --- assets -------------------------------------------------------------------------------------


@login_required
@assets_required
@require_GET
def asset_list(request: HttpRequest) -> HttpResponse:
    form = AssetFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    customer_id = data.get("customer")
    customer = Customer.objects.filter(pk=customer_id).first() if customer_id else None
    rows = selectors.assets_queryset(
        today=today, customer_id=customer_id, state=data.get("state") or "all", q=data.get("q") or ""
    )
    page = Paginator(rows, PER_PAGE).get_page(parse_id(request.GET.get("page")) or 1)
    query = request.GET.copy()
    query.pop("page", None)
    items = [(asset, asset.state_on(today)) for asset in page.object_list]
    return render(
        request,
        "warranty/asset_list.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "customer": customer,
            "customers": Customer.objects.filter(hardware_assets__isnull=False).distinct().order_by("name"),
            "query": query.urlencode(),
            "states": WarrantyState,
            "today": today,
        },
    )


# --- a case's RMA -------------------------------------------------------------------------------


def _warranty_case(number: str) -> Case:
    case = Case.objects.select_related("customer", "requester").filter(number=number).first()
    if case is None:
        raise Http404
    return case


def _panel_context(
    request: HttpRequest,
    case: Case,
    *,
    open_form: RmaOpenForm | None = None,
    bound: tuple[int, str, Any] | None = None,
) -> dict[str, Any]:
    now = timezone.now()
    today = timezone.localdate(now)
    rmas = selectors.case_rmas(case_id=case.pk)
    entries = []
    for rma in rmas:
        steps = possible_steps(rma) if request.user.has_perm("warranty.change_rma") else []
        forms = []
        for step in steps:
            form_class = RmaRejectForm if step == RmaStep.Kind.REJECTED else RmaStepForm
            if bound and bound[0] == rma.pk and bound[1] == step:
                form = bound[2]
            else:
                form = form_class(prefix=f"rma{rma.pk}-{step}")
            forms.append((step, RmaStep.Kind(step).label, form))
        countdown = selectors.delivery_countdown(rma, now=now)
        entries.append(
            {"rma": rma, "forms": forms, "countdown": countdown, "countdown_text": countdown_text(countdown)}
        )
    assets = [(a, a.state_on(today)) for a in selectors.customer_assets(customer_id=case.customer_id)]
    may_open = (
        case.kind == CaseKind.WARRANTY_CLAIM
        and case.is_open
        and request.user.has_perm("warranty.add_rma")
        and bool(assets)
    )
    return {
        "case": case,
        "entries": entries,
        "assets": assets,
        "states": WarrantyState,
        "may_open": may_open,
        "open_form": open_form or RmaOpenForm(customer_id=case.customer_id, prefix="rma-open"),
        "now": now,
    }


@login_required
@rma_view_required
@require_GET
def case_rma(request: HttpRequest, number: str) -> HttpResponse:
    """The case's hardware warranty on its own page (what the case page loads into its panel;
    without JavaScript, the page its link leads to)."""
    case = _warranty_case(number)
    template = (
        "warranty/partials/rma_panel.html" if request.headers.get("HX-Request") else "warranty/case_rma.html"
    )
    return render(request, template, _panel_context(request, case))


@login_required
@rma_view_required
@require_GET
def rma_countdown(request: HttpRequest, pk: int) -> HttpResponse:
    """The live delivery countdown (the panel asks for it every minute)."""
    rma = get_object_or_404(Rma, pk=pk)
    countdown = selectors.delivery_countdown(rma, now=timezone.now())
    return render(
        request,
        "warranty/partials/rma_countdown.html",
        {"rma": rma, "countdown": countdown, "countdown_text": countdown_text(countdown)},
    )


def _done(case: Case) -> HttpResponse:
    return redirect(reverse("cases:detail", kwargs={"number": case.number}) + "#rma")


def _refused(request: HttpRequest, case: Case, error: ValidationError, **bound: Any) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return render(request, "warranty/case_rma.html", _panel_context(request, case, **bound), status=400)


@login_required
@permission_required("warranty.add_rma", raise_exception=True)
@require_POST
@idempotent
def rma_open(request: HttpRequest, number: str) -> HttpResponse:
    case = _warranty_case(number)
    form = RmaOpenForm(request.POST, customer_id=case.customer_id, prefix="rma-open")
    if not form.is_valid():
        messages.error(request, _("The RMA was not opened; see the errors below."))
        return render(
            request, "warranty/case_rma.html", _panel_context(request, case, open_form=form), status=400
        )
    try:
        rma = services.rma_open(
            case=case,
            asset=form.cleaned_data["asset"],
            actor=request_actor(request),
            fault=form.cleaned_data["fault"],
        )
    except ValidationError as error:
        return _refused(request, case, error, open_form=form)
    messages.success(request, _("%(code)s opened; the customer was told by e-mail.") % {"code": rma.code})
    return _done(case)


@login_required
@rma_work_required
@require_POST
@idempotent
def rma_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    rma = get_object_or_404(Rma.objects.select_related("case"), pk=pk)
    if step not in RmaStep.Kind.values or step == RmaStep.Kind.REQUESTED:
        raise Http404
    case = _warranty_case(rma.case.number)
    form_class = RmaRejectForm if step == RmaStep.Kind.REJECTED else RmaStepForm
    form = form_class(request.POST, prefix=f"rma{rma.pk}-{step}")
    if not form.is_valid():
        messages.error(request, _("The step was not recorded; see the errors below."))
        return render(
            request,
            "warranty/case_rma.html",
            _panel_context(request, case, bound=(rma.pk, step, form)),
            status=400,
        )
    try:
        services.rma_advance(
            rma=rma,
            actor=request_actor(request),
            step=step,
            note=form.cleaned_data["note"],
            exclusion=form.cleaned_data.get("exclusion", ""),
        )
    except ValidationError as error:
        return _refused(request, case, error, bound=(rma.pk, step, form))
    messages.success(
        request, _("%(code)s: “%(step)s” recorded.") % {"code": rma.code, "step": RmaStep.Kind(step).label}
    )
    return _done(case)
