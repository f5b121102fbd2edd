"""Factories for cases. ``CaseFactory`` writes rows directly (fast, for lists); ``registered_case``
goes through the registration service (rules, number, deadline, audit) like the product does."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases import services
from cases.models import Case, CaseStatus, Channel
from cases.numbering import format_case_number
from contracts.tests.factories import (
    CustomerFactory,
    InstallationFactory,
    SupportContractFactory,
    TechnicalContactFactory,
    UserFactory,
    gold_plan,
)
from sma import roles


def staff_user(role: str = roles.ENGINEER, **kwargs: Any):
    groups = roles.roles_sync()
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(groups[role] if isinstance(role, str) else Group.objects.get(name=role))
    return user


def engineer(**kwargs: Any):
    return staff_user(roles.ENGINEER, **kwargs)


def manager(**kwargs: Any):
    return staff_user(roles.MANAGER, **kwargs)


def customer_setup(*, plan=None, max_contacts: int = 3, **contract: Any) -> dict[str, Any]:
    """A customer with a contract in force, one installation covered and one designated contact."""
    customer = CustomerFactory()
    installation = InstallationFactory(customer=customer)
    contract_obj = SupportContractFactory(
        customer=customer,
        plan=plan or gold_plan(),
        max_technical_contacts=max_contacts,
        installations=[installation],
        **contract,
    )
    contact = TechnicalContactFactory(customer=customer)
    return {
        "customer": customer,
        "installation": installation,
        "contract": contract_obj,
        "requester": contact,
    }


def registered_case(
    *, actor=None, setup: dict[str, Any] | None = None, now: datetime | None = None, **overrides: Any
) -> Case:
    setup = setup or customer_setup()
    values: dict[str, Any] = {
        "actor": actor,
        "customer": setup["customer"],
        "requester": setup["requester"],
        "installation": setup["installation"],
        "channel": Channel.PHONE,
        "priority": "P2",
        "subject": "La grabación se detiene",
        "description": "Error 0x80040154 al iniciar el servicio de grabación.",
        "now": now,
    }
    values.update(overrides)
    return services.case_register(**values)


class CaseFactory(DjangoModelFactory[Case]):
    """A case row written directly, for list and query-count tests."""

    class Meta:
        model = Case

    class Params:
        setup = factory.LazyFunction(customer_setup)

    number = factory.Sequence(lambda n: format_case_number(2026, 500000 + n))
    customer = factory.LazyAttribute(lambda o: o.setup["customer"])
    contract = factory.LazyAttribute(lambda o: o.setup["contract"])
    plan = factory.LazyAttribute(lambda o: o.setup["contract"].plan)
    installation = factory.LazyAttribute(lambda o: o.setup["installation"])
    product = factory.LazyAttribute(lambda o: o.setup["installation"].product)
    requester = factory.LazyAttribute(lambda o: o.setup["requester"])
    channel = Channel.PHONE
    priority = "P3"
    status = CaseStatus.NEW
    subject = factory.Sequence(lambda n: f"Caso de prueba {n}")
    description = "Descripción"
    product_version = "8.4"
    registered_at = factory.LazyFunction(timezone.now)  # the test's clock (conftest: from TEST_NOW, ticking)
    attention_due_at = factory.LazyAttribute(lambda o: o.registered_at + timedelta(hours=16))
