"""Preventive maintenance: two per support year by default (the contract's number plus the extras
its conditions grant), at least eight calendar days ahead, inside the office calendar, each a case
of kind "preventive maintenance"; every refusal says why, in Spanish."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from cases.models import ActivityKind, CaseKind, CaseStatus, CloseReason, SurveyOwed
from cases.services import case_close
from cases.tests.factories import customer_setup, engineer, registered_case
from contracts.tests.clock import BOGOTA
from warranty.errors import WarrantyError
from warranty.models import MaintenanceTerms, PreventiveMaintenance
from warranty.services.maintenance import (
    maintenance_cancel,
    maintenance_quota,
    maintenance_request,
    support_year_of,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=BOGOTA)  # Wednesday
THURSDAY = datetime(2026, 12, 10, 9, 0, tzinfo=BOGOTA)  # eight days later


@pytest.fixture
def setup():
    # Contract year runs 1 February → 31 January.
    return customer_setup(start_date=date(2026, 2, 1), end_date=date(2028, 1, 31))


def request(setup, when: datetime, **extra):
    return maintenance_request(
        contract=setup["contract"],
        installation=setup["installation"],
        requester=setup["requester"],
        scheduled_for=when,
        actor=engineer(),
        now=NOW,
        **extra,
    )


def test_a_maintenance_is_a_case_of_its_kind(setup) -> None:
    maintenance = request(setup, THURSDAY)
    assert maintenance.case.kind == CaseKind.PREVENTIVE_MAINTENANCE
    assert maintenance.case.customer == setup["customer"]
    assert maintenance.ends_at == THURSDAY + timedelta(hours=2)
    assert maintenance.support_year == 1
    assert "Mantenimiento preventivo 1 de 2 del año de soporte 1" in maintenance.case.description


def test_fewer_than_eight_days_ahead_is_refused(setup) -> None:
    with pytest.raises(WarrantyError) as refused:
        request(setup, THURSDAY - timedelta(days=1))
    assert refused.value.messages == [
        "Un mantenimiento preventivo se solicita con al menos 8 días de antelación: la fecha más "
        "próxima ahora es el 10/12/2026."
    ]
    assert not PreventiveMaintenance.objects.exists()


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 12, 10, 6, 0, tzinfo=BOGOTA),  # before opening
        datetime(2026, 12, 10, 16, 0, tzinfo=BOGOTA),  # runs past 17:30
        datetime(2026, 12, 12, 9, 0, tzinfo=BOGOTA),  # Saturday
        datetime(2026, 12, 25, 9, 0, tzinfo=BOGOTA),  # Christmas
    ],
)
def test_outside_the_office_calendar_is_refused(setup, when) -> None:
    with pytest.raises(WarrantyError, match="dentro del horario de oficina") as refused:
        request(setup, when)
    assert refused.value.code == "outside_hours"


def test_the_quota_of_the_support_year_is_enforced_and_counted(setup) -> None:
    request(setup, THURSDAY)
    request(setup, THURSDAY + timedelta(days=1))
    quota = maintenance_quota(contract=setup["contract"], day=THURSDAY.date())
    assert (quota.used, quota.entitled, quota.support_year) == (2, 2, 1)
    with pytest.raises(WarrantyError) as refused:
        request(setup, THURSDAY + timedelta(days=6))
    assert refused.value.messages == [
        "Se alcanzó el cupo de mantenimientos preventivos del año de soporte 1 del contrato "
        f"{setup['contract'].number} (01/02/2026 – 31/01/2027): 2 de 2."
    ]
    # The next support year has its own quota.
    next_year = request(setup, datetime(2027, 2, 2, 9, 0, tzinfo=BOGOTA))
    assert next_year.support_year == 2


def test_the_contracts_number_and_its_extras_set_the_quota(setup) -> None:
    contract = setup["contract"]
    contract.preventive_maintenances_per_year = 1
    contract.save()
    MaintenanceTerms.objects.create(contract=contract, extra_per_year=1, onsite=True)
    assert maintenance_quota(contract=contract, day=THURSDAY.date()).entitled == 2
    request(setup, THURSDAY, onsite=True)
    request(setup, THURSDAY + timedelta(days=1))
    with pytest.raises(WarrantyError, match="2 de 2"):
        request(setup, THURSDAY + timedelta(days=4))  # Monday 14


def test_an_extra_the_conditions_do_not_grant_is_refused(setup) -> None:
    with pytest.raises(WarrantyError) as refused:
        request(setup, THURSDAY, onsite=True)
    assert refused.value.messages == [
        f"Las condiciones del contrato {setup['contract'].number} no incluyen mantenimiento presencial."
    ]


def test_extended_hours_allow_a_saturday(setup) -> None:
    MaintenanceTerms.objects.create(contract=setup["contract"], extended_hours=True)
    saturday = datetime(2026, 12, 12, 20, 0, tzinfo=BOGOTA)
    assert request(setup, saturday, extended_hours=True).extended_hours


def test_a_contract_not_in_force_is_refused() -> None:
    setup = customer_setup(start_date=date(2025, 1, 1), end_date=date(2026, 11, 30))
    with pytest.raises(WarrantyError, match="no está vigente"):
        request(setup, THURSDAY)


def test_support_years_follow_the_contract_start(setup) -> None:
    contract = setup["contract"]
    assert support_year_of(contract, date(2026, 2, 1)) == (1, date(2026, 2, 1), date(2027, 1, 31))
    assert support_year_of(contract, date(2027, 1, 31))[0] == 1
    assert support_year_of(contract, date(2027, 2, 1)) == (2, date(2027, 2, 1), date(2028, 1, 31))


def test_cancelling_before_it_happens_frees_the_quota_and_closes_its_case_as_cancelled(setup) -> None:
    first = request(setup, THURSDAY)
    request(setup, THURSDAY + timedelta(days=1))
    who = engineer()
    cancelled = maintenance_cancel(
        maintenance=first, actor=who, reason="  El cliente cambia la fecha ", now=NOW + timedelta(days=1)
    )
    assert (cancelled.cancelled_at, cancelled.cancelled_by) == (NOW + timedelta(days=1), who)
    assert cancelled.cancel_reason == "El cliente cambia la fecha"
    quota = maintenance_quota(contract=setup["contract"], day=THURSDAY.date())
    assert (quota.used, quota.entitled) == (1, 2)
    case = cancelled.case
    case.refresh_from_db()
    assert (case.status, case.close_reason) == (CaseStatus.CLOSED, CloseReason.CANCELLED)
    closure = case.activities.get(kind=ActivityKind.CLOSURE)
    assert closure.is_public and closure.author == who
    assert closure.body == (
        "Mantenimiento preventivo del 10/12/2026 09:00 cancelado: El cliente cambia la fecha. Ya no cuenta "
        "en el cupo del año de soporte 1 (1 de 2 usados)."
    )
    assert not SurveyOwed.objects.filter(case=case).exists()  # nothing to rate
    # the freed place can be used again
    request(setup, THURSDAY + timedelta(days=5))


def test_a_maintenance_that_began_cannot_be_cancelled(setup) -> None:
    maintenance = request(setup, THURSDAY)
    with pytest.raises(WarrantyError) as refused:
        maintenance_cancel(maintenance=maintenance, actor=engineer(), reason="tarde", now=THURSDAY)
    assert refused.value.messages == [
        "El mantenimiento programado para el 10/12/2026 09:00 ya se realizó o comenzó: solo se puede "
        "cancelar uno que aún no ha ocurrido."
    ]
    maintenance.refresh_from_db()
    assert maintenance.cancelled_at is None


def test_cancelling_needs_a_reason_and_happens_once(setup) -> None:
    maintenance = request(setup, THURSDAY)
    with pytest.raises(WarrantyError) as refused:
        maintenance_cancel(maintenance=maintenance, actor=engineer(), reason="  ", now=NOW)
    assert refused.value.messages == ["Diga por qué se cancela el mantenimiento."]
    maintenance_cancel(maintenance=maintenance, actor=engineer(), reason="Ya no se necesita", now=NOW)
    with pytest.raises(WarrantyError) as again:
        maintenance_cancel(maintenance=maintenance, actor=engineer(), reason="otra vez", now=NOW)
    assert again.value.messages == ["Este mantenimiento ya se había cancelado el 02/12/2026 10:00."]


def test_only_a_maintenance_case_closes_as_cancelled(setup) -> None:
    ordinary = registered_case(setup=setup, now=NOW)
    with pytest.raises(ValidationError) as refused:
        case_close(case=ordinary, actor=engineer(), reason=CloseReason.CANCELLED, now=NOW)
    assert refused.value.messages == ["Solo un mantenimiento preventivo se cierra como cancelado."]
