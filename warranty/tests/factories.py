"""Helpers for the certificate tests: an installation covered by a contract in force."""

from __future__ import annotations

from typing import Any

from contracts.models import Customer, Installation
from contracts.tests.factories import (
    CustomerFactory,
    InstallationFactory,
    ProductFactory,
    SupportContractFactory,
)


def covered_installation(
    *, customer: Customer | None = None, product: str = "CTLog", **contract: Any
) -> Installation:
    """An installation (version 5.2 build 1045) covered by a Gold contract 2025–2028; of Banco
    Andino S.A. unless another customer is given."""
    customer = (
        customer
        or Customer.objects.filter(nit="900123456-8").first()
        or CustomerFactory(name="Banco Andino S.A.", nit="900123456-8")
    )
    installation = InstallationFactory(customer=customer, product=ProductFactory(name=product))
    SupportContractFactory(customer=customer, installations=[installation], **contract)
    return installation
