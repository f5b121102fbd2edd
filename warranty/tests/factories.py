"""Factories for the warranty app: assets over fixed dates (tests own their clock), warranty-claim
cases registered through the cases service."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory
from factory.django import DjangoModelFactory

from cases.models import CaseKind
from cases.tests.factories import customer_setup, registered_case
from contracts.tests.clock import TEST_NOW
from contracts.tests.factories import CustomerFactory
from warranty.models import HardwareAsset, WarrantyPlan

# A warranty in force on TEST_NOW (2 December 2026) and through 2027.
WARRANTY_START = date(2026, 6, 1)
WARRANTY_END = date(2027, 12, 31)


class HardwareAssetFactory(DjangoModelFactory[HardwareAsset]):
    class Meta:
        model = HardwareAsset

    customer = factory.SubFactory(CustomerFactory)
    model = "CTLog Appliance R2"
    serial_number = factory.Sequence(lambda n: f"CTA-{100000 + n}")
    warranty_plan = WarrantyPlan.STANDARD
    warranty_start = WARRANTY_START
    warranty_end = WARRANTY_END
    delivery_city = "Bogotá"
    created_at = TEST_NOW
    updated_at = TEST_NOW


def warranty_case(*, setup: dict[str, Any] | None = None, **overrides: Any):
    """A warranty-claim case registered through the service, and its customer's setup."""
    setup = setup or customer_setup()
    values: dict[str, Any] = {
        "kind": CaseKind.WARRANTY_CLAIM,
        "subject": "El equipo de grabación no enciende",
        "priority": "P2",
    }
    values.update(overrides)
    return registered_case(setup=setup, **values), setup
