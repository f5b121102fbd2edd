"""Customers and contracts change only through the services, which audit every change (who, when,
before and after); the admin calls them. The contact maximum is a service rule."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services
from contracts.models import ChangeRecord, Customer, SupportContract
from contracts.validators import nit_check_digit
from sma.tests.forms import form_data

from .factories import (
    CustomerFactory,
    InstallationFactory,
    SupportContractFactory,
    TechnicalContactFactory,
    UserFactory,
    gold_plan,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("America/Bogota"))


def _contract(**kwargs) -> SupportContract:
    return SupportContractFactory(start_date=date(2026, 1, 1), end_date=date(2026, 12, 31), **kwargs)


def _change(client, url: str, **changes: object):
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content, form_id=None)
    data = {k: v for k, v in data.items() if k not in ("_addanother", "_continue", "_saveasnew")}
    data.update(changes)
    return client.post(url, data)


# --- the services ---------------------------------------------------------------------------------


def test_lowering_the_contact_maximum_below_the_active_contacts_is_refused_by_the_service() -> None:
    contract = _contract(max_technical_contacts=3)
    TechnicalContactFactory.create_batch(2, customer=contract.customer)
    with pytest.raises(ValidationError) as refused:
        services.contract_update(actor=None, contract=contract, max_technical_contacts=1, now=NOW)
    message = refused.value.message_dict["max_technical_contacts"][0]
    assert contract.customer.name in message and "2" in message
    contract.refresh_from_db()
    assert (
        contract.max_technical_contacts == 3 and not ChangeRecord.objects.filter(contract=contract).exists()
    )


def test_another_contract_in_force_may_carry_the_contacts() -> None:
    contract = _contract(max_technical_contacts=3)
    _contract(customer=contract.customer, max_technical_contacts=2)
    TechnicalContactFactory.create_batch(2, customer=contract.customer)
    services.contract_update(actor=None, contract=contract, max_technical_contacts=1, now=NOW)
    contract.refresh_from_db()
    assert contract.max_technical_contacts == 1


def test_designating_beyond_the_maximum_is_refused_by_the_service() -> None:
    contract = _contract(max_technical_contacts=1)
    TechnicalContactFactory(customer=contract.customer)
    with pytest.raises(ValidationError) as refused:
        services.technical_contact_designate(
            actor=None,
            customer=contract.customer,
            full_name="Otra Persona",
            position="TI",
            phone="+57 601 6356535",
            email="otra@cliente.example",
            now=NOW,
        )
    assert refused.value.code == "too_many_contacts"
    assert "el máximo que permite su contrato" in refused.value.messages[0]


def test_contract_edits_are_recorded_with_before_and_after() -> None:
    admin = UserFactory()
    contract = _contract(max_technical_contacts=3)
    extra = InstallationFactory(customer=contract.customer)
    services.contract_update(
        actor=admin,
        contract=contract,
        max_technical_contacts=5,
        special_conditions="Visita semestral",
        installations=[extra],
        now=NOW,
    )
    record = ChangeRecord.objects.get(contract=contract)
    assert record.action == "updated" and record.changed_by == admin and record.changed_at == NOW
    assert record.customer == contract.customer
    assert record.before == {"max_technical_contacts": 3, "special_conditions": "", "installations": []}
    assert record.after == {
        "max_technical_contacts": 5,
        "special_conditions": "Visita semestral",
        "installations": [extra.pk],
    }
    services.contract_update(actor=admin, contract=contract, max_technical_contacts=5, now=NOW)
    assert ChangeRecord.objects.filter(contract=contract).count() == 1  # nothing changed, nothing recorded


def test_a_new_contract_and_customer_are_recorded() -> None:
    customer = services.customer_create(
        actor=None,
        name="Nueva S.A.S.",
        nit=f"900123456-{nit_check_digit('900123456')}",
        customer_number="7788",
        city="Cali",
        now=NOW,
    )
    created = ChangeRecord.objects.get(customer=customer, contract=None)
    assert created.action == "created" and created.after["name"] == "Nueva S.A.S." and created.before == {}
    contract = services.contract_create(
        actor=None,
        customer=customer,
        plan=gold_plan(),
        number="CT-REC-1",
        start_date=date(2026, 3, 1),
        duration_months=12,
        now=NOW,
    )
    record = ChangeRecord.objects.get(contract=contract)
    assert record.action == "created" and record.after["end_date"] == "2027-02-28"


def test_customer_edits_are_recorded() -> None:
    customer = CustomerFactory(city="Bogotá")
    services.customer_update(actor=None, customer=customer, city="Medellín", now=NOW)
    record = ChangeRecord.objects.get(customer=customer)
    assert (record.before, record.after) == ({"city": "Bogotá"}, {"city": "Medellín"})


# --- the admin goes through them -----------------------------------------------------------------


def test_an_admin_edit_of_a_contract_leaves_an_audit_record(admin_client, admin_user) -> None:
    contract = _contract(max_technical_contacts=3)
    url = reverse("admin:contracts_supportcontract_change", args=[contract.pk])
    response = _change(admin_client, url, max_technical_contacts="4")
    assert response.status_code == 302, response.content.decode()[:3000]
    record = ChangeRecord.objects.get(contract=contract)
    assert record.action == "updated" and record.changed_by == admin_user
    assert (record.before, record.after) == ({"max_technical_contacts": 3}, {"max_technical_contacts": 4})
    page = admin_client.get(url).content.decode()
    assert "historial de cambios" in page.lower()
    assert "<strong>máximo de contactos técnicos</strong>: 3 → 4" in page.lower()


def test_an_admin_edit_of_a_customer_leaves_an_audit_record(admin_client, admin_user) -> None:
    customer = CustomerFactory(city="Bogotá")
    url = reverse("admin:contracts_customer_change", args=[customer.pk])
    response = _change(admin_client, url, city="Cartagena")
    assert response.status_code == 302, response.content.decode()[:3000]
    customer.refresh_from_db()
    assert customer.city == "Cartagena"
    record = ChangeRecord.objects.get(customer=customer)
    assert record.changed_by == admin_user and record.after == {"city": "Cartagena"}


def test_a_contract_added_and_deleted_in_the_admin_is_recorded(admin_client, admin_user) -> None:
    customer = CustomerFactory()
    response = admin_client.post(
        reverse("admin:contracts_supportcontract_add"),
        {
            "number": "CT-ADM-9",
            "customer": customer.pk,
            "plan": gold_plan().pk,
            "start_date": "01/06/2026",
            "duration_months": "12",
            "preventive_maintenances_per_year": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    contract = SupportContract.objects.get(number="CT-ADM-9")
    assert ChangeRecord.objects.get(contract=contract).changed_by == admin_user
    response = admin_client.post(
        reverse("admin:contracts_supportcontract_delete", args=[contract.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not SupportContract.objects.filter(number="CT-ADM-9").exists()
    deleted = ChangeRecord.objects.get(action="deleted")
    assert deleted.customer == customer and deleted.object_repr.startswith("CT-ADM-9")
    assert deleted.before["number"] == "CT-ADM-9"


def test_a_customer_deleted_in_the_admin_keeps_its_record(admin_client) -> None:
    customer = CustomerFactory(name="Efímera S.A.S.")
    response = admin_client.post(
        reverse("admin:contracts_customer_delete", args=[customer.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not Customer.objects.filter(pk=customer.pk).exists()
    record = ChangeRecord.objects.get(action="deleted")
    assert record.object_repr == "Efímera S.A.S." and record.before["name"] == "Efímera S.A.S."
