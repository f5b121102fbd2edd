"""Helpers for the certificate tests: an installation covered by a contract in force, and a\ncertificate row written directly for tests about access."""

from __future__ import annotations

import itertools
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from contracts.models import Customer, Installation
from contracts.tests.factories import (
    CustomerFactory,
    InstallationFactory,
    ProductFactory,
    SupportContractFactory,
)
from warranty.codes import code_new
from warranty.models import Certificate


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


_serial = itertools.count(90001)


def certificate_row(*, installation: Installation, actor: Any) -> Certificate:
    """A current certificate written directly, with a small placeholder PDF (no rendering): for
    tests about who may reach a certificate, where the document's content does not matter."""
    contract = installation.contracts.select_related("plan").order_by("-end_date").first()
    assert contract is not None, "the installation needs a contract"
    number = f"CS-2026-{next(_serial):05d}"
    certificate = Certificate(
        number=number,
        installation=installation,
        contract=contract,
        customer=installation.customer,
        code=code_new(),
        customer_name=installation.customer.name,
        customer_nit=installation.customer.nit,
        product_name=installation.product.name,
        product_version=installation.version,
        plan_name=contract.plan.name,
        contract_number=contract.number,
        start_date=contract.start_date,
        end_date=contract.end_date,
        issued_at=timezone.now(),
        issued_by=actor,
        issuer_name=actor.get_full_name() or actor.username,
    )
    certificate.pdf.save(f"{number}.pdf", ContentFile(b"%PDF-1.4\n%% " + number.encode() + b"\n"), save=False)
    certificate.save()
    return certificate
