"""The desk's preventive maintenance page: a customer's contracts in force with the quota of their
current support year (used / entitled), their maintenances, and the form that schedules one (a
case of kind "preventive maintenance")."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.forms import parse_id
from cases.idempotency import idempotent
from contracts.actors import request_actor
from contracts.models import Customer
from contracts.selectors import contracts_in_force

from .maintenance_forms import MaintenanceCancelForm, MaintenanceRequestForm
from .models import PreventiveMaintenance
from .services.maintenance import maintenance_cancel as maintenance_cancel_service
from .services.maintenance import maintenance_quota, maintenance_request

view_required = permission_required("warranty.view_preventivemaintenance", raise_exception=True)


def _context(
    request: HttpRequest, customer: Customer | None, form: MaintenanceRequestForm | None = None
) -> dict[str, Any]:
    today = timezone.localdate()
    context: dict[str, Any] = {
        "customer": customer,
        "customers": Customer.objects.filter(is_active=True).order_by("name").only("pk", "name"),
        "today": today,
    }
    if customer is None:
        return context
    contracts = contracts_in_force(customer=customer, on=today).order_by("-end_date", "number")
    context["quotas"] = [(c, maintenance_quota(contract=c, day=today)) for c in contracts]
    context["maintenances"] = list(
        PreventiveMaintenance.objects.filter(contract__customer=customer)
        .select_related("case", "contract", "installation__product", "cancelled_by")
        .order_by("-scheduled_for")[:50]
    )
    context["now"] = timezone.now()
    context["can_cancel"] = request.user.has_perm("warranty.change_preventivemaintenance")
    if request.user.has_perm("warranty.add_preventivemaintenance"):
        context["form"] = form or MaintenanceRequestForm(
            contracts=contracts, customer_id=customer.pk, prefix="pm"
        )
    return context


@login_required
@view_required
@require_GET
def maintenance_list(request: HttpRequest) -> HttpResponse:
    customer_id = parse_id(request.GET.get("customer"))
    customer = Customer.objects.filter(pk=customer_id).first() if customer_id else None
    return render(request, "warranty/maintenance_list.html", _context(request, customer))


@login_required
@permission_required("warranty.add_preventivemaintenance", raise_exception=True)
@require_POST
@idempotent
def maintenance_new(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        return redirect("warranty:maintenance_list")
    contracts = contracts_in_force(customer=customer, on=timezone.localdate())
    form = MaintenanceRequestForm(request.POST, contracts=contracts, customer_id=customer.pk, prefix="pm")
    if form.is_valid():
        data = form.cleaned_data
        try:
            maintenance = maintenance_request(
                contract=data["contract"],
                installation=data["installation"],
                requester=data["requester"],
                scheduled_for=form.scheduled_for(),
                actor=request_actor(request),
                onsite=data["onsite"],
                extended_hours=data["extended_hours"],
                cable_cleaning=data["cable_cleaning"],
                notes=data["notes"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Preventive maintenance scheduled: case %(number)s.") % {"number": maintenance.case.number},
            )
            return redirect("cases:detail", number=maintenance.case.number)
    else:
        messages.error(request, _("The maintenance was not scheduled; see the errors below."))
    return render(request, "warranty/maintenance_list.html", _context(request, customer, form), status=400)


@login_required
@permission_required("warranty.change_preventivemaintenance", raise_exception=True)
@require_POST
@idempotent
def maintenance_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a maintenance still to come (its quota is freed; its case closed as cancelled)."""
    maintenance = PreventiveMaintenance.objects.filter(pk=pk).select_related("contract__customer").first()
    if maintenance is None:
        raise Http404
    customer = maintenance.contract.customer
    form = MaintenanceCancelForm(request.POST, prefix=f"cancel-{pk}")
    if form.is_valid():
        try:
            maintenance_cancel_service(
                maintenance=maintenance, actor=request_actor(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Maintenance %(number)s cancelled; it no longer counts against the quota.")
                % {"number": maintenance.case.number},
            )
            return redirect(f"{reverse('warranty:maintenance_list')}?customer={customer.pk}")
    else:
        messages.error(request, _("Say why the maintenance is cancelled."))
    return render(request, "warranty/maintenance_list.html", _context(request, customer), status=400)
