"""A new request from the portal: registered by the desk's own service with channel "portal", for
the contact's company and the contact themself (never taken from the form), about one of the
products the company licensed with support in force. The clock starts at submission (on a Gold
plan, outside its hours, at the next opening); the priority is the contact's suggestion, which an
engineer confirms or changes (the deadline is then recomputed from the submission). A company
without a contract in force is told so, with whom to call to renew it, and the refusal is recorded.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import services as case_services
from cases.errors import CaseError, RegistrationRefused
from cases.idempotency import idempotent
from cases.models import Channel, RefusedRequest
from contracts import selectors as contract_selectors
from contracts.actors import request_actor
from contracts.models import Customer
from escalation import selectors as escalation_selectors

from .access import contact_required
from .forms_act import PortalRequestForm

# Service errors shown next to the field they are about (the rest above the form).
_ERROR_FIELDS = {
    "attachments_refused": "attachments",
    "no_priority": "suggested_priority",
    "bad_priority": "suggested_priority",
}


def _unserved(customer: Customer, installations: list[Any], *, now: Any) -> str | None:
    """Why the company cannot open requests at all now, or None."""
    if installations:
        return None
    if contract_selectors.contract_in_force(customer=customer, on=timezone.localdate(now)) is None:
        return case_services.no_contract_message(customer)
    return _(
        "None of %(customer)s's products has support in force, so the request cannot be served. "
        "Please contact comercial@calltechsa.com."
    ) % {"customer": customer.name}


def _refused_page(request: HttpRequest, reason: str, *, status: int) -> HttpResponse:
    return render(
        request,
        "portal/case_new.html",
        {"refusal": reason, "renewal_contacts": escalation_selectors.account_managers()},
        status=status,
    )


@contact_required
@require_http_methods(["GET", "POST"])
@idempotent
def case_new(request: HttpRequest) -> HttpResponse:
    """The request form (GET), or the request sent (POST, once per form token)."""
    return _submit(request) if request.method == "POST" else _show(request)


def _show(request: HttpRequest) -> HttpResponse:
    contact = request.contact  # type: ignore[attr-defined]
    now = timezone.now()
    installations = case_services.installations_open_to_requests(customer=contact.customer, on=now)
    refusal = _unserved(contact.customer, installations, now=now)
    if refusal:
        return _refused_page(request, refusal, status=200)
    form = PortalRequestForm(installations=installations)
    return render(request, "portal/case_new.html", {"form": form})


def _submit(request: HttpRequest) -> HttpResponse:
    contact = request.contact  # type: ignore[attr-defined]
    customer = contact.customer
    now = timezone.now()
    installations = case_services.installations_open_to_requests(customer=customer, on=now)
    refusal = _unserved(customer, installations, now=now)
    if refusal:
        case_services.refused_request_record(
            reason=RefusedRequest.Reason.NO_CONTRACT,
            message=refusal,
            channel=Channel.PORTAL,
            subject=str(request.POST.get("subject", ""))[:200],
            customer=customer,
            requester=contact,
            now=now,
        )
        return _refused_page(request, refusal, status=400)
    form = PortalRequestForm(request.POST, request.FILES, installations=installations)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = case_services.case_register(
                actor=request_actor(request),
                customer=customer,
                requester=contact,
                installation=data["installation"],
                channel=Channel.PORTAL,
                scope=data["scope"],
                priority=data["suggested_priority"],
                subject=data["subject"],
                description=data["description"],
                product_version=data["product_version"],
                product_build=data["product_build"],
                operating_system=data["operating_system"],
                os_version=data["os_version"],
                reproducer=data["reproducer"],
                attachments=data["attachments"] or [],
                now=now,
            )
        except RegistrationRefused as refused:
            form.add_error(
                None, _("Your request was not registered: %(reason)s") % {"reason": refused.messages[0]}
            )
        except CaseError as error:
            field = _ERROR_FIELDS.get(str(error.code))
            form.add_error(field, error)
        else:
            messages.success(
                request,
                _("Your request was registered as case %(number)s. Keep this number to follow it.")
                % {"number": case.number},
            )
            return redirect("portal:case_detail", number=case.number)
    return render(request, "portal/case_new.html", {"form": form}, status=400)
