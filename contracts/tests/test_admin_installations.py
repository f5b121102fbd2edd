"""A contract's admin form offers only its customer's own installations."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from contracts.models import SupportContract

from .factories import CustomerFactory, InstallationFactory, ProductFactory, SupportContractFactory, gold_plan

pytestmark = pytest.mark.django_db
ADD = reverse("admin:contracts_supportcontract_add")


@pytest.fixture
def two_customers():
    mine, other = CustomerFactory(name="Banco Propio S.A."), CustomerFactory(name="Ajena S.A.S.")
    return {
        "mine": mine,
        "other": other,
        "my_installation": InstallationFactory(customer=mine, product=ProductFactory(name="CTVox")),
        "their_installation": InstallationFactory(customer=other, product=ProductFactory(name="CTLog")),
    }


def _offered(html: str) -> set[int]:
    select = html.split('name="installations"', 1)[1].split("</select>", 1)[0]
    return {int(value) for value in re.findall(r'<option value="(\d+)"', select)}


def test_an_existing_contract_offers_only_its_customers_installations(admin_client, two_customers) -> None:
    contract = SupportContractFactory(
        customer=two_customers["mine"], installations=[two_customers["my_installation"]]
    )
    mine_too = InstallationFactory(customer=two_customers["mine"])
    page = admin_client.get(reverse("admin:contracts_supportcontract_change", args=[contract.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert _offered(body) == {two_customers["my_installation"].pk, mine_too.pk}
    assert "Solo las instalaciones del cliente elegido." in body


def test_a_new_contract_offers_installations_once_the_customer_is_chosen(admin_client, two_customers) -> None:
    before = admin_client.get(ADD).content.decode()
    assert _offered(before) == set()
    assert "js/admin-contract-customer.js" in before  # reloads the page when the customer is chosen
    chosen = admin_client.get(ADD, {"customer": two_customers["mine"].pk, "number": "CT-NUEVO-1"})
    body = chosen.content.decode()
    assert _offered(body) == {two_customers["my_installation"].pk}
    assert 'value="CT-NUEVO-1"' in body  # what was typed before choosing is kept
    assert _offered(admin_client.get(ADD, {"customer": "x"}).content.decode()) == set()


def test_another_customers_installation_is_refused_by_name(admin_client, two_customers) -> None:
    response = admin_client.post(
        ADD,
        {
            "number": "CT-AJENA-1",
            "customer": two_customers["mine"].pk,
            "plan": gold_plan().pk,
            "installations": [two_customers["my_installation"].pk, two_customers["their_installation"].pk],
            "start_date": "01/06/2026",
            "duration_months": "12",
            "preventive_maintenances_per_year": "2",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert not SupportContract.objects.filter(number="CT-AJENA-1").exists()
    assert "Estas instalaciones pertenecen a otro cliente" in body and "CTLog" in body
    assert "no es una de las opciones disponibles" not in body
    # The form shown again offers the customer's installations, and keeps the wrong one visible.
    assert _offered(body) == {two_customers["my_installation"].pk, two_customers["their_installation"].pk}


def test_a_new_contract_with_its_own_installations_is_saved(admin_client, two_customers) -> None:
    response = admin_client.post(
        ADD,
        {
            "number": "CT-PROPIA-1",
            "customer": two_customers["mine"].pk,
            "plan": gold_plan().pk,
            "installations": [two_customers["my_installation"].pk],
            "start_date": "01/06/2026",
            "duration_months": "12",
            "preventive_maintenances_per_year": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contract = SupportContract.objects.get(number="CT-PROPIA-1")
    assert list(contract.installations.all()) == [two_customers["my_installation"]]
