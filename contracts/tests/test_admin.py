"""Admins edit the policy table, calendars, holidays, contracts and contacts in the Django admin.

Edits must be seen by the next deadline computed, and bad input refused with a clear message and
nothing saved half-way.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from contracts import sla
from contracts.models import (
    AttentionPolicy,
    CalendarSlot,
    ServiceCalendar,
    SupportContract,
    TechnicalContact,
)
from sma.tests.forms import form_data

from .factories import CustomerFactory, SupportContractFactory, TechnicalContactFactory, gold_plan

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


@pytest.fixture
def admin(admin_client):
    return admin_client


def _change(admin, url: str, **changes: object):
    page = admin.get(url)
    assert page.status_code == 200
    data = form_data(page.content, form_id=None)
    data = {k: v for k, v in data.items() if k not in ("_addanother", "_continue", "_saveasnew")}
    data.update({k: v for k, v in changes.items()})
    return admin.post(url, data)


def test_policy_edit_in_the_admin_changes_the_next_deadline(admin) -> None:
    registered = bog(2026, 11, 24, 17, 0)
    assert sla.attention_deadline(registered, "GOLD_8X5", "P1") == bog(2026, 11, 25, 9, 0)
    policy = AttentionPolicy.objects.get(plan__code="GOLD_8X5", priority="P1")
    response = _change(admin, reverse("admin:contracts_attentionpolicy_change", args=[policy.pk]), hours="4")
    assert response.status_code == 302, response.content.decode()[:2000]
    policy.refresh_from_db()
    assert policy.hours == Decimal("4")
    assert sla.attention_deadline(registered, "GOLD_8X5", "P1") == bog(2026, 11, 25, 11, 0)


def test_holiday_added_in_the_admin_changes_the_next_deadline(admin) -> None:
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    response = admin.post(
        reverse("admin:contracts_holiday_add"),
        {"calendar": office.pk, "date": "25/11/2026", "name": "Día cívico"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sla.attention_deadline(bog(2026, 11, 24, 17, 0), "GOLD_8X5", "P1") == bog(2026, 11, 26, 9, 0)


def test_calendar_slot_edit_in_the_admin_changes_the_next_deadline(admin) -> None:
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    url = reverse("admin:contracts_servicecalendar_change", args=[office.pk])
    page = admin.get(url)
    data = form_data(page.content)
    for i in range(5):
        data[f"slots-{i}-start_time"] = "08:00"
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(CalendarSlot.objects.filter(calendar=office).values_list("start_time", flat=True)) == {time(8)}
    assert sla.attention_deadline(bog(2026, 11, 24, 17, 0), "GOLD_8X5", "P1") == bog(2026, 11, 25, 9, 30)


def test_a_calendar_with_no_business_time_is_refused_in_the_admin(admin) -> None:
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    url = reverse("admin:contracts_servicecalendar_change", args=[office.pk])
    data = form_data(admin.get(url).content)
    for i in range(5):
        data[f"slots-{i}-DELETE"] = "on"
    response = admin.post(url, data)
    assert response.status_code == 200
    assert (
        "no business time" in response.content.decode()
        or "no tendría tiempo hábil" in response.content.decode()
    )
    assert CalendarSlot.objects.filter(calendar=office).count() == 5


def test_a_slot_closing_before_it_opens_is_refused_in_the_admin(admin) -> None:
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    url = reverse("admin:contracts_servicecalendar_change", args=[office.pk])
    data = form_data(admin.get(url).content)
    data["slots-0-end_time"] = "06:00"
    response = admin.post(url, data)
    assert response.status_code == 200
    assert CalendarSlot.objects.get(pk=data["slots-0-id"]).end_time == time(17, 30)


def test_a_contract_ending_before_it_starts_is_refused_in_the_admin(admin) -> None:
    customer = CustomerFactory()
    response = admin.post(
        reverse("admin:contracts_supportcontract_add"),
        {
            "number": "CT-ADM-1",
            "customer": customer.pk,
            "plan": gold_plan().pk,
            "start_date": "01/06/2026",
            "end_date": "01/05/2026",
            "max_technical_contacts": "3",
            "preventive_maintenances_per_year": "2",
            "software_assurance": "on",
        },
    )
    assert response.status_code == 200
    assert not SupportContract.objects.filter(number="CT-ADM-1").exists()
    assert "antes de empezar" in response.content.decode() or "before it starts" in response.content.decode()


def test_a_contract_with_a_duration_gets_its_end_date_in_the_admin(admin) -> None:
    customer = CustomerFactory()
    response = admin.post(
        reverse("admin:contracts_supportcontract_add"),
        {
            "number": "CT-ADM-2",
            "customer": customer.pk,
            "plan": gold_plan().pk,
            "start_date": "01/06/2026",
            "duration_months": "12",
            "preventive_maintenances_per_year": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    contract = SupportContract.objects.get(number="CT-ADM-2")
    assert contract.end_date == date(2027, 5, 31)
    assert contract.max_technical_contacts == gold_plan().max_technical_contacts


def _contact_post(customer, email: str, phone: str = "+57 601 6356535") -> dict[str, object]:
    return {
        "customer": customer.pk,
        "full_name": "Nuevo Contacto",
        "position": "TI",
        "phone": phone,
        "extension": "911",
        "email": email,
        "is_active": "on",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
    }


def test_a_contact_beyond_the_maximum_is_refused_in_the_admin(admin) -> None:
    contract = SupportContractFactory(max_technical_contacts=1)
    TechnicalContactFactory(customer=contract.customer)
    response = admin.post(
        reverse("admin:contracts_technicalcontact_add"), _contact_post(contract.customer, "b@c.example")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "contrato" in body or "contract allows" in body
    assert TechnicalContact.objects.filter(customer=contract.customer).count() == 1


def test_a_contact_with_an_invalid_phone_is_refused_in_the_admin(admin) -> None:
    contract = SupportContractFactory()
    response = admin.post(
        reverse("admin:contracts_technicalcontact_add"),
        _contact_post(contract.customer, "c@c.example", phone="12345"),
    )
    assert response.status_code == 200
    assert not TechnicalContact.objects.filter(customer=contract.customer).exists()


def test_a_contact_designated_in_the_admin_is_audited(admin, admin_user) -> None:
    contract = SupportContractFactory()
    response = admin.post(
        reverse("admin:contracts_technicalcontact_add"), _contact_post(contract.customer, "d@c.example")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    contact = TechnicalContact.objects.get(customer=contract.customer)
    assert contact.changes.get().changed_by == admin_user


def test_admin_pages_render(admin) -> None:
    SupportContractFactory()
    for name in [
        "contracts_servicecalendar",
        "contracts_holiday",
        "contracts_supportplan",
        "contracts_attentionpolicy",
        "contracts_customer",
        "contracts_product",
        "contracts_installation",
        "contracts_supportcontract",
        "contracts_technicalcontact",
    ]:
        assert admin.get(reverse(f"admin:{name}_changelist")).status_code == 200
        assert admin.get(reverse(f"admin:{name}_add")).status_code == 200
    assert (
        admin.get(reverse("admin:contracts_supportcontract_changelist") + "?status=in_force").status_code
        == 200
    )


def test_an_inactive_contact_over_the_maximum_is_saved_inactive_not_a_500(admin) -> None:
    contract = SupportContractFactory(max_technical_contacts=1)
    TechnicalContactFactory(customer=contract.customer)
    data = _contact_post(contract.customer, "inactivo@c.example")
    data.pop("is_active")
    response = admin.post(reverse("admin:contracts_technicalcontact_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert TechnicalContact.objects.get(email="inactivo@c.example").is_active is False


def test_a_contacts_customer_cannot_be_changed(admin) -> None:
    contact = TechnicalContactFactory(customer=SupportContractFactory().customer)
    other = SupportContractFactory().customer
    url = reverse("admin:contracts_technicalcontact_change", args=[contact.pk])
    _change(admin, url, customer=other.pk)
    contact.refresh_from_db()
    assert contact.customer != other


def test_a_contract_maximum_below_its_active_contacts_is_refused(admin) -> None:
    contract = SupportContractFactory(max_technical_contacts=3)
    TechnicalContactFactory.create_batch(2, customer=contract.customer)
    url = reverse("admin:contracts_supportcontract_change", args=[contract.pk])
    response = _change(admin, url, max_technical_contacts="1")
    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.max_technical_contacts == 3


def test_attention_times_cannot_be_deleted(admin) -> None:
    policy = AttentionPolicy.objects.first()
    assert admin.get(reverse("admin:contracts_attentionpolicy_delete", args=[policy.pk])).status_code == 403


def test_holiday_country_is_normalised_and_validated(admin) -> None:
    url = reverse("admin:contracts_servicecalendar_add")
    base = {
        "name": "Soporte Cali",
        "code": "soporte-cali",
        "time_zone": "America/Bogota",
        "description": "",
        "slots-TOTAL_FORMS": "1",
        "slots-INITIAL_FORMS": "0",
        "slots-0-weekday": "0",
        "slots-0-start_time": "08:00",
        "slots-0-end_time": "12:00",
        "holidays-TOTAL_FORMS": "0",
        "holidays-INITIAL_FORMS": "0",
    }
    assert admin.post(url, {**base, "holiday_country": "XX"}).status_code == 200
    assert not ServiceCalendar.objects.filter(code="soporte-cali").exists()
    response = admin.post(url, {**base, "holiday_country": "co"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ServiceCalendar.objects.get(code="soporte-cali").holiday_country == "CO"
