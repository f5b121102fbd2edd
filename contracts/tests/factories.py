"""Factories for the contracts app. Plans, calendars and the policy come from the seed migration;
``gold_plan()`` / ``platinum_plan()`` fetch them."""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from contracts.models import (
    Customer,
    Installation,
    Product,
    SupportContract,
    SupportPlan,
    TechnicalContact,
)
from contracts.validators import nit_check_digit

# Tests own their clock: a contract runs over fixed years that cover every instant the tests use
# (2026 and 2027), whatever the day the suite runs on.
CONTRACT_START = date(2025, 1, 1)
CONTRACT_END = date(2028, 12, 31)


def gold_plan() -> SupportPlan:
    return SupportPlan.objects.get(code="GOLD_8X5")


def platinum_plan() -> SupportPlan:
    return SupportPlan.objects.get(code="PLATINUM_24X7")


def _nit(n: int) -> str:
    number = str(900_000_000 + n)
    return f"{number}-{nit_check_digit(number)}"


class UserFactory(DjangoModelFactory[object]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("s3cret-pass")


class CustomerFactory(DjangoModelFactory[Customer]):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Empresa {n} S.A.S.")
    nit = factory.Sequence(_nit)
    customer_number = factory.Sequence(lambda n: f"{1000 + n}")
    city = "Bogotá"
    address = "Calle 100 # 10-20"


class ProductFactory(DjangoModelFactory[Product]):
    class Meta:
        model = Product
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"CTProduct{n}")


class InstallationFactory(DjangoModelFactory[Installation]):
    class Meta:
        model = Installation

    customer = factory.SubFactory(CustomerFactory)
    product = factory.SubFactory(ProductFactory)
    version = "5.2"
    build = "1045"
    operating_system = "Windows Server"
    os_version = "2022"


class SupportContractFactory(DjangoModelFactory[SupportContract]):
    class Meta:
        model = SupportContract
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"CT-{2026}-{n:04d}")
    customer = factory.SubFactory(CustomerFactory)
    plan = factory.LazyFunction(gold_plan)
    start_date = CONTRACT_START
    end_date = CONTRACT_END
    max_technical_contacts = 3

    @factory.post_generation
    def installations(self, create: bool, extracted: list[Installation] | None, **kwargs: object) -> None:
        if create and extracted:
            self.installations.set(extracted)


class TechnicalContactFactory(DjangoModelFactory[TechnicalContact]):
    class Meta:
        model = TechnicalContact

    customer = factory.SubFactory(CustomerFactory)
    full_name = factory.Sequence(lambda n: f"Contacto {n}")
    position = "Administrador de plataforma"
    phone = "+57 601 6356535"
    extension = "100"
    email = factory.Sequence(lambda n: f"contacto{n}@cliente.example")
