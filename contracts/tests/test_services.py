"""contracts.services, one by one, on PostgreSQL."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from contracts import selectors, services
from contracts.models import (
    Holiday,
    ServiceCalendar,
    SupportContract,
    TechnicalContact,
    TechnicalContactChange,
)
from contracts.validators import validate_nit

from .clock import TEST_TODAY
from .factories import (
    CustomerFactory,
    InstallationFactory,
    SupportContractFactory,
    UserFactory,
    gold_plan,
    platinum_plan,
)

pytestmark = pytest.mark.django_db


def _designate(customer, n: int, **extra):
    return services.technical_contact_designate(
        actor=None,
        customer=customer,
        full_name=f"Persona {n}",
        position="Jefe de TI",
        phone="+57 310 5551234",
        email=f"persona{n}@cliente.example",
        **extra,
    )


# --- contracts ---------------------------------------------------------------------------------


def test_contract_create_with_duration_fills_the_end_date_and_plan_defaults() -> None:
    customer = CustomerFactory()
    installation = InstallationFactory(customer=customer)
    contract = services.contract_create(
        actor=None,
        customer=customer,
        plan=platinum_plan(),
        number="CT-1",
        start_date=date(2026, 3, 1),
        duration_months=12,
        installations=[installation],
    )
    assert contract.end_date == date(2027, 2, 28)
    assert contract.max_technical_contacts == platinum_plan().max_technical_contacts
    assert contract.preventive_maintenances_per_year == 2
    assert list(contract.installations.all()) == [installation]
    assert contract.covered_tiers == [3, 4]


def test_contract_end_date_handles_month_ends() -> None:
    assert services.contract_end_date(start_date=date(2026, 1, 31), months=1) == date(2026, 2, 27)
    assert services.contract_end_date(start_date=date(2026, 1, 1), months=12) == date(2026, 12, 31)


def test_contract_ending_before_it_starts_is_refused_and_nothing_saved() -> None:
    customer = CustomerFactory()
    with pytest.raises(ValidationError) as error:
        services.contract_create(
            actor=None,
            customer=customer,
            plan=gold_plan(),
            number="CT-2",
            start_date=date(2026, 6, 1),
            end_date=date(2026, 5, 31),
        )
    assert "no puede terminar antes de empezar" in str(error.value)
    assert not SupportContract.objects.filter(number="CT-2").exists()


def test_contract_refuses_another_customers_installation() -> None:
    customer, other = CustomerFactory(), CustomerFactory()
    with pytest.raises(ValidationError, match="pertenecen a otro cliente"):
        services.contract_create(
            actor=None,
            customer=customer,
            plan=gold_plan(),
            number="CT-3",
            start_date=date(2026, 1, 1),
            duration_months=12,
            installations=[InstallationFactory(customer=other)],
        )
    assert not SupportContract.objects.filter(number="CT-3").exists()


def test_the_database_itself_refuses_a_contract_ending_before_it_starts() -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SupportContractFactory(start_date=date(2026, 6, 1), end_date=date(2026, 1, 1))


def test_in_force_is_computed_from_the_dates() -> None:
    customer = CustomerFactory()
    expired = SupportContractFactory(
        customer=customer, start_date=date(2024, 1, 1), end_date=date(2024, 12, 31)
    )
    current = SupportContractFactory(
        customer=customer, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31)
    )
    on = date(2026, 11, 25)
    assert list(selectors.contracts_in_force(customer=customer, on=on)) == [current]
    assert selectors.contract_in_force(customer=customer, on=on) == current
    assert selectors.contract_in_force(customer=customer, on=date(2025, 6, 1)) is None
    assert selectors.contract_is_in_force(current, on=date(2026, 12, 31))
    assert not selectors.contract_is_in_force(current, on=date(2027, 1, 1))
    assert not selectors.contract_is_in_force(expired, on=on)


def test_contract_in_force_prefers_the_one_covering_the_installation() -> None:
    customer = CustomerFactory()
    installation = InstallationFactory(customer=customer)
    covering = SupportContractFactory(
        customer=customer, end_date=TEST_TODAY + timedelta(days=10), installations=[installation]
    )
    SupportContractFactory(customer=customer, end_date=TEST_TODAY + timedelta(days=300))
    assert selectors.contract_in_force(customer=customer, installation=installation) == covering


# --- technical contacts -------------------------------------------------------------------------


def test_designating_records_who_and_when() -> None:
    contract = SupportContractFactory(max_technical_contacts=2)
    engineer = UserFactory()
    contact = services.technical_contact_designate(
        actor=engineer,
        customer=contract.customer,
        full_name="  Ana Gómez ",
        position="Coordinadora TI",
        phone="3105551234",
        extension="204",
        email="Ana.Gomez@Cliente.example",
    )
    assert contact.full_name == "Ana Gómez"
    assert contact.email == "ana.gomez@cliente.example"
    assert contact.phone.as_e164 == "+573105551234"  # a bare Colombian mobile, region CO by default
    change = TechnicalContactChange.objects.get(contact=contact)
    assert change.action == "designated" and change.changed_by == engineer


def test_a_contact_beyond_the_contract_maximum_is_refused() -> None:
    contract = SupportContractFactory(max_technical_contacts=2)
    _designate(contract.customer, 1)
    _designate(contract.customer, 2)
    with pytest.raises(ValidationError) as error:
        _designate(contract.customer, 3)
    assert "el máximo que permite su contrato" in str(error.value)
    assert TechnicalContact.objects.filter(customer=contract.customer).count() == 2


def test_deactivating_frees_a_place_and_reactivating_checks_again() -> None:
    contract = SupportContractFactory(max_technical_contacts=1)
    first = _designate(contract.customer, 1)
    with pytest.raises(ValidationError):
        _designate(contract.customer, 2)
    services.technical_contact_deactivate(actor=None, contact=first)
    second = _designate(contract.customer, 2)
    with pytest.raises(ValidationError):
        services.technical_contact_update(actor=None, contact=first, is_active=True)
    first.refresh_from_db()
    assert not first.is_active and second.is_active
    assert [c.action for c in first.changes.order_by("changed_at", "id")] == ["designated", "deactivated"]


def test_no_contract_means_no_contacts() -> None:
    customer = CustomerFactory()
    SupportContractFactory(customer=customer, start_date=date(2020, 1, 1), end_date=date(2020, 12, 31))
    with pytest.raises(ValidationError, match="no tiene un contrato de soporte vigente"):
        _designate(customer, 1)


def test_an_invalid_phone_number_is_refused_and_nothing_saved() -> None:
    contract = SupportContractFactory()
    with pytest.raises(ValidationError) as error:
        services.technical_contact_designate(
            actor=None,
            customer=contract.customer,
            full_name="Sin Teléfono",
            position="TI",
            phone="12",
            email="x@cliente.example",
        )
    assert "phone" in error.value.message_dict
    assert not TechnicalContact.objects.filter(customer=contract.customer).exists()


def test_update_records_only_what_changed() -> None:
    contract = SupportContractFactory()
    contact = _designate(contract.customer, 1)
    services.technical_contact_update(actor=None, contact=contact, position="Gerente TI")
    services.technical_contact_update(actor=None, contact=contact, position="Gerente TI")  # no-op
    changes = list(contact.changes.filter(action="updated"))
    assert len(changes) == 1 and changes[0].changes == {"position": ["Jefe de TI", "Gerente TI"]}


# --- customers ----------------------------------------------------------------------------------


def test_customer_nit_is_normalised_and_its_check_digit_verified() -> None:
    customer = services.customer_create(
        actor=None, name="DIAN", nit="800.197.268-4", customer_number="5001", city="Bogotá"
    )
    assert customer.nit == "800197268-4"
    with pytest.raises(ValidationError, match="dígito de verificación"):
        services.customer_create(actor=None, name="X", nit="800197268-5", customer_number="5002", city="Cali")
    with pytest.raises(ValidationError):
        validate_nit("ABC")


# --- calendars and holidays ---------------------------------------------------------------------


def test_a_calendar_with_no_business_time_is_refused() -> None:
    with pytest.raises(ValidationError, match="no tendría tiempo hábil"):
        services.calendar_check_slots(slots=[])
    services.calendar_check_slots(slots=[(0, time(0), time(0))])  # 24 h on Mondays is fine


def test_holidays_load_adds_missing_years_only_and_never_undoes_admin_edits() -> None:
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    Holiday.objects.filter(calendar=office, date=date(2026, 12, 8)).delete()  # an admin's edit
    assert services.holidays_load(calendar=office, years=[2026]) == []
    assert not Holiday.objects.filter(calendar=office, date=date(2026, 12, 8)).exists()
    created = services.holidays_load(calendar=office, years=[2030])
    assert date(2030, 12, 25) in {h.date for h in created}
    assert services.holidays_load(calendar=office, years=[2030]) == []
    refreshed = services.holidays_load(calendar=office, years=[2026], only_missing_years=False)
    assert [h.date for h in refreshed] == [date(2026, 12, 8)]


def test_holidays_ensure_upcoming_fills_next_year() -> None:
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    assert services.holidays_ensure_upcoming(today=date(2029, 1, 10)) > 0
    assert Holiday.objects.filter(calendar=office, date=date(2030, 1, 1)).exists()
    assert services.holidays_ensure_upcoming(today=date(2029, 1, 10)) == 0


def test_an_admins_own_holiday_does_not_block_loading_that_year() -> None:
    office = ServiceCalendar.objects.get(code="oficina-8x5")
    Holiday.objects.create(calendar=office, date=date(2032, 3, 15), name="Aniversario Calltech")
    created = services.holidays_load(calendar=office, years=[2032])
    assert len(created) >= 18
    assert Holiday.objects.filter(calendar=office, date=date(2032, 3, 15)).count() == 1


def test_designating_an_inactive_contact_does_not_count_against_the_maximum() -> None:
    contract = SupportContractFactory(max_technical_contacts=1)
    _designate(contract.customer, 1)
    inactive = _designate(contract.customer, 2, is_active=False)
    assert inactive.is_active is False


def test_the_daily_load_survives_a_calendar_with_an_unknown_country(caplog) -> None:
    ServiceCalendar.objects.create(code="raro", name="Raro", holiday_country="ZZ")
    assert services.holidays_ensure_upcoming(today=date(2031, 1, 5)) > 0
    assert "raro" in caplog.text
