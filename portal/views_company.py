"""The company page: the contact's own company's contracts, installations, designated contacts,
support hours, channels and escalation matrix; and the contact's request to change their data
(pending until an admin approves it in the admin)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.idempotency import idempotent
from contracts import services as contract_services
from contracts.actors import request_actor
from contracts.models import TechnicalContact

from .access import contact_required
from .selectors_company import company_page, pending_change_request


class ContactDataForm(forms.ModelForm):
    class Meta:
        model = TechnicalContact
        fields = ["full_name", "position", "phone", "extension", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


@contact_required
@require_GET
def company(request: HttpRequest) -> HttpResponse:
    contact = request.contact  # type: ignore[attr-defined]
    return render(
        request,
        "portal/company.html",
        {
            "page": company_page(customer=contact.customer, today=timezone.localdate()),
            "contact": contact,
            "pending": pending_change_request(contact=contact),
            "support_address": settings.SMA_SUPPORT_ADDRESS,
        },
    )


@contact_required
@require_http_methods(["GET", "POST"])
@idempotent
def contact_change(request: HttpRequest) -> HttpResponse:
    contact = request.contact  # type: ignore[attr-defined]
    pending = pending_change_request(contact=contact)
    form = ContactDataForm(request.POST or None, instance=TechnicalContact.objects.get(pk=contact.pk))
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            contract_services.contact_change_request(
                actor=request_actor(request),
                contact=contact,
                **{name: form.cleaned_data[name] for name in ContactDataForm.Meta.fields},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your request was sent. An administrator will review it; your data changes once it is "
                    "approved."
                ),
            )
            return redirect("portal:company")
    return render(
        request, "portal/contact_change.html", {"form": form, "pending": pending, "contact": contact}
    )
