"""Reads of certificates: their status on a day, what a verification finds, what is left to issue."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from contracts.models import Customer, Installation, SupportContract
from contracts.selectors import in_force_q

from .models import Certificate

VALID, EXPIRED, REPLACED, REVOKED, UNKNOWN = "valid", "expired", "replaced", "revoked", "unknown"


def certificate_status(certificate: Certificate, *, on: date | None = None) -> str:
    """valid, expired (a current certificate past its end date), replaced or revoked."""
    if certificate.status == Certificate.Status.REPLACED:
        return REPLACED
    if certificate.status == Certificate.Status.REVOKED:
        return REVOKED
    return EXPIRED if certificate.end_date < (on or timezone.localdate()) else VALID


def certificate_by_code(*, code: str | None) -> Certificate | None:
    """The certificate with this normalised code. One indexed equality query whatever the input
    (a malformed code is looked up as the empty string, which no certificate has), so a malformed
    and an unknown code cost the same."""
    return Certificate.objects.filter(code=code or "").first()


def contract_covering(*, installation: Installation, on: date) -> SupportContract | None:
    """The contract in force that covers the installation (the latest to end when several do)."""
    return (
        SupportContract.objects.filter(in_force_q(on), installations=installation)
        .select_related("plan__calendar", "customer")
        .order_by("-end_date", "-pk")
        .first()
    )


def installations_to_certify(*, on: date, customer: Customer | None = None) -> QuerySet[Installation]:
    """Installations covered by a contract in force whose current certificate is missing or was
    issued under another contract (a renewal): what a bulk issue certifies."""
    covering = SupportContract.objects.filter(in_force_q(on), installations=OuterRef("pk"))
    certified = Certificate.objects.filter(
        installation=OuterRef("pk"),
        status=Certificate.Status.CURRENT,
        contract__in=SupportContract.objects.filter(in_force_q(on), installations=OuterRef(OuterRef("pk"))),
    )
    qs = Installation.objects.filter(Exists(covering)).exclude(Exists(certified))
    if customer is not None:
        qs = qs.filter(customer=customer)
    return qs.select_related("customer", "product").order_by("customer__name", "product__name", "pk")


def customer_certificates(*, customer: Customer) -> QuerySet[Certificate]:
    """A company's certificates, current ones first, newest first (what its contacts may download)."""
    return Certificate.objects.filter(customer=customer).order_by(
        "status", "product_name", "-issued_at", "-pk"
    )


def customer_certificate(*, customer: Customer, number: str) -> Certificate | None:
    return Certificate.objects.filter(Q(customer=customer) & Q(number=number)).first()


def installations_covered(*, on: date) -> QuerySet[Installation]:
    """Installations a contract in force covers: the ones a certificate can be issued for."""
    covering = SupportContract.objects.filter(in_force_q(on), installations=OuterRef("pk"))
    return (
        Installation.objects.filter(Exists(covering))
        .select_related("customer", "product")
        .order_by("customer__name", "product__name", "pk")
    )
