"""The company's support certificates in the portal: a list and the PDFs, only the contact's own
company's (another company's certificate is a 404, by number or by id)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from warranty import certificate_selectors as warranty_selectors
from warranty.codes import code_grouped
from warranty.document import long_date
from warranty.models import Certificate
from warranty.pdf import certificate_pdf_open

from . import selectors_certificates as selectors
from .access import contact_required


@contact_required
@require_GET
def certificate_list(request: HttpRequest) -> HttpResponse:
    contact = request.contact  # type: ignore[attr-defined]
    today = timezone.localdate()
    rows = [
        {
            "certificate": certificate,
            "status": warranty_selectors.certificate_status(certificate, on=today),
            "code": code_grouped(certificate.code),
            "start": long_date(certificate.start_date),
            "end": long_date(certificate.end_date),
            "issued": long_date(timezone.localtime(certificate.issued_at).date()),
        }
        for certificate in selectors.company_certificates(contact)
    ]
    return render(request, "portal/certificate_list.html", {"rows": rows})


def _company_certificate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Look the certificate up among the company's (404 otherwise, whatever the method), then
    allow only GET (405)."""

    @contact_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        contact = request.contact  # type: ignore[attr-defined]
        if "number" in kwargs:
            certificate = selectors.company_certificate_or_404(contact, number=kwargs.pop("number"))
        else:
            certificate = selectors.company_certificate_or_404(contact, pk=kwargs.pop("pk"))
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return view(request, certificate, *args, **kwargs)

    return wrapped


@_company_certificate
def certificate_download(request: HttpRequest, certificate: Certificate) -> HttpResponseBase:
    """The certificate's PDF, always as a download."""
    response = FileResponse(
        certificate_pdf_open(certificate),
        as_attachment=True,
        filename=f"certificado-{certificate.number}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
