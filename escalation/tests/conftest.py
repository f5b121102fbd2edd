"""Fixtures of the escalation app's tests: the customer whose contact writes to the support
address, and an open case of theirs."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from cases.models import Case
from cases.tests.factories import registered_case
from contracts.tests.factories import (
    CustomerFactory,
    InstallationFactory,
    ProductFactory,
    SupportContractFactory,
    TechnicalContactFactory,
)

from .mail_helpers import ANA, NOW


@pytest.fixture
def andes() -> SimpleNamespace:
    customer = CustomerFactory(name="Clínica de los Andes")
    ctlog = InstallationFactory(customer=customer, product=ProductFactory(name="CTLog"), version="8.4")
    ctvox = InstallationFactory(customer=customer, product=ProductFactory(name="CTVox"), version="7.1")
    contract = SupportContractFactory(
        customer=customer,
        start_date=date(2026, 1, 1),
        end_date=date(2027, 12, 31),
        installations=[ctlog, ctvox],
    )
    ana = TechnicalContactFactory(customer=customer, full_name="Ana Rodríguez", email=ANA)
    return SimpleNamespace(customer=customer, ctlog=ctlog, ctvox=ctvox, contract=contract, ana=ana)


@pytest.fixture
def open_case(andes) -> Case:
    setup = {"customer": andes.customer, "requester": andes.ana, "installation": andes.ctlog}
    return registered_case(setup=setup, now=NOW - timedelta(days=1))
