"""The support certificates a contact may see: their own company's, and no other."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from contracts.models import TechnicalContact
from warranty import certificate_selectors as warranty_selectors
from warranty.models import Certificate


def company_certificates(contact: TechnicalContact) -> QuerySet[Certificate]:
    """The support certificates of the contact's company: current ones first, then the history."""
    return warranty_selectors.customer_certificates(customer=contact.customer)


def company_certificate_or_404(
    contact: TechnicalContact, *, number: str | None = None, pk: int | None = None
) -> Certificate:
    """One of the company's certificates by number or id; another company's is a 404."""
    certificates = company_certificates(contact)
    if number is not None:
        certificate = certificates.filter(number=number).first()
    elif pk is not None:
        certificate = certificates.filter(pk=pk).first()
    else:
        certificate = None
    if certificate is None:
        raise Http404
    return certificate
