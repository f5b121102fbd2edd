"""The portal's warranty page: the company's hardware under warranty and its state, a unit's RMAs,
the preventive maintenance quota (used / entitled) of its contracts in force, and the contact's
own request for a preventive maintenance (the warranty room's rules, through its service)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.idempotency import idempotent
from cases.models import Channel
from contracts.actors import request_actor
from contracts.models import SupportContract
from warranty.maintenance_forms import MaintenanceCancelForm, MaintenanceRequestForm
from warranty.models import MaintenanceTerms
from warranty.models.assets import WarrantyState
from warranty.services import maintenance_cancel as maintenance_cancel_service
from warranty.services import maintenance_request

from .access import contact_required
from .selectors_warranty import company_asset_or_404, company_maintenance_or_404, warranty_page


def _form(contact: Any, page: Any, data: Any = None) -> MaintenanceRequestForm:
    contracts = SupportContract.objects.filter(pk__in=[c.pk for c in page.contracts])
    form = MaintenanceRequestForm(data, contracts=contracts, customer_id=contact.customer_id, prefix="pm")
    del form.fields["requester"]  # the contact asks for themselves
    # Extras only where a contract's conditions grant them (the service refuses the others anyway).
    terms = MaintenanceTerms.objects.filter(contract__in=contracts)
    for extra in ("onsite", "extended_hours", "cable_cleaning"):
        if not any(getattr(t, extra) for t in terms):
            del form.fields[extra]
    return form


def _page(
    request: HttpRequest, form: MaintenanceRequestForm | None = None, status: int = 200
) -> HttpResponse:
    contact = request.contact  # type: ignore[attr-defined]
    page = warranty_page(customer=contact.customer, today=timezone.localdate())
    return render(
        request,
        "portal/warranty.html",
        {
            "page": page,
            "contact": contact,
            "states": WarrantyState,
            "form": form or _form(contact, page),
            "now": timezone.now(),
        },
        status=status,
    )


@contact_required
@require_GET
def warranty(request: HttpRequest) -> HttpResponse:
    return _page(request)


@contact_required
def asset(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the company's units and its RMAs; another company's unit is not found, whatever the
    method (404 before 405)."""
    contact = request.contact  # type: ignore[attr-defined]
    unit, rmas = company_asset_or_404(customer=contact.customer, pk=pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(
        request,
        "portal/warranty_asset.html",
        {"asset": unit, "state": unit.state_on(timezone.localdate()), "states": WarrantyState, "rmas": rmas},
    )


@contact_required
@require_POST
@idempotent
def maintenance_new(request: HttpRequest) -> HttpResponse:
    contact = request.contact  # type: ignore[attr-defined]
    page = warranty_page(customer=contact.customer, today=timezone.localdate())
    form = _form(contact, page, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            maintenance = maintenance_request(
                contract=data["contract"],
                installation=data["installation"],
                requester=contact,
                scheduled_for=form.scheduled_for(),
                actor=request_actor(request),
                channel=Channel.PORTAL,
                onsite=data.get("onsite", False),
                extended_hours=data.get("extended_hours", False),
                cable_cleaning=data.get("cable_cleaning", False),
                notes=data["notes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Preventive maintenance requested: case %(number)s.") % {"number": maintenance.case.number},
            )
            return redirect("portal:case_detail", number=maintenance.case.number)
    return _page(request, form, status=400)


@contact_required
@idempotent
def maintenance_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """A contact cancels one of the company's maintenances before it takes place; another company's
    is not found, whatever the method (404 before 405; a 404 rolls the form token's claim back)."""
    contact = request.contact  # type: ignore[attr-defined]
    maintenance = company_maintenance_or_404(customer=contact.customer, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MaintenanceCancelForm(request.POST, prefix=f"cancel-{maintenance.pk}")
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
            return redirect("portal:warranty")
    else:
        messages.error(request, _("Say why the maintenance is cancelled."))
    return _page(request, status=400)
