"""Reads of the contracts app. "In force" is computed here, never stored."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Customer, Installation, SupportContract, TechnicalContact


def _today() -> date:
    return timezone.localdate()


def in_force_q(on: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": on, f"{prefix}end_date__gte": on})


def contracts_in_force(
    *, on: date | None = None, customer: Customer | None = None
) -> QuerySet[SupportContract]:
    qs = SupportContract.objects.filter(in_force_q(on or _today())).select_related("plan", "customer")
    if customer is not None:
        qs = qs.filter(customer=customer)
    return qs


def contract_in_force(
    *, customer: Customer, installation: Installation | None = None, on: date | None = None
) -> SupportContract | None:
    """The contract that serves this customer (and installation, when given) on that day.

    With several, the one covering the installation wins, then the latest to end.
    """
    qs = contracts_in_force(on=on, customer=customer)
    if installation is not None:
        covering = qs.filter(installations=installation).order_by("-end_date", "-pk").first()
        if covering is not None:
            return covering
    return qs.order_by("-end_date", "-pk").first()


def contract_is_in_force(contract: SupportContract, *, on: date | None = None) -> bool:
    day = on or _today()
    return contract.start_date <= day <= contract.end_date


def customer_contracts_not_ended(*, customer: Customer, on: date | None = None) -> QuerySet[SupportContract]:
    """Contracts in force or still to start: the ones a contact designation is measured against."""
    return SupportContract.objects.filter(customer=customer, end_date__gte=on or _today())


def technical_contacts_allowed(*, customer: Customer, on: date | None = None) -> int:
    """How many active technical contacts the customer may designate (0 without a contract)."""
    limits = customer_contracts_not_ended(customer=customer, on=on).values_list(
        "max_technical_contacts", flat=True
    )
    return max(limits, default=0)


def active_technical_contacts(*, customer: Customer) -> QuerySet[TechnicalContact]:
    return TechnicalContact.objects.filter(customer=customer, is_active=True)


def customer_by_number(*, customer_number: str) -> Customer | None:
    return Customer.objects.filter(customer_number=customer_number, is_active=True).first()
