"""RMA rules and steps: opened only from a warranty-claim case by an engineer, refused for a
warranty that does not cover the day (with its end date), rejected with its exclusion, each step
on the case's timeline and e-mailed to the customer."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from cases.models import ActivityKind, CaseKind
from cases.tests.factories import customer_setup, engineer
from contracts.tests.clock import BOGOTA
from contracts.tests.factories import UserFactory
from escalation.models import CustomerEmail
from warranty import services
from warranty.errors import WarrantyError
from warranty.models import HardwareAsset, Rma, RmaExclusion, RmaStatus, RmaStep, WarrantyPlan
from warranty.services.rma import EXCLUSION_NOTICES

from .factories import HardwareAssetFactory, warranty_case

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=BOGOTA)  # a Wednesday


@pytest.fixture
def claim():
    case, setup = warranty_case()
    asset = HardwareAssetFactory(customer=setup["customer"], installation=setup["installation"])
    return case, asset


def test_open_starts_the_delivery_deadline_and_tells_everyone(claim) -> None:
    case, asset = claim
    actor = engineer()
    rma = services.rma_open(case=case, asset=asset, actor=actor, fault="No enciende tras un corte.", now=NOW)
    assert rma.status == RmaStatus.REQUESTED
    assert rma.started_at == NOW
    # 48 h of the office calendar from Wednesday 10:00: Wed 7 h 30, Thu–Fri 20 h, Mon 7 10 h,
    # Tuesday 8 December is a holiday (Inmaculada Concepción), Wed 9 10 h, 30 m on Thursday 10.
    assert rma.delivery_due_at == datetime(2026, 12, 10, 8, 0, tzinfo=BOGOTA)
    assert rma.warn_at == rma.warning_at
    entry = case.activities.get(kind=ActivityKind.RMA)
    assert entry.is_public and entry.author == actor
    assert f"{rma.code} · RMA solicitado para CTLog Appliance R2 {asset.serial_number}" in entry.body
    assert "10/12/2026 08:00" in entry.body
    mail = CustomerEmail.objects.get(key=f"rma-step:{rma.steps.get().pk}")
    assert mail.event == CustomerEmail.Event.RMA and mail.to_email == case.requester.email
    assert "RMA solicitado" in mail.subject and "10/12/2026 08:00" in mail.body_text


def test_only_from_a_warranty_claim_case() -> None:
    incident, _ = warranty_case(kind=CaseKind.INCIDENT, setup=None)
    other_asset = HardwareAssetFactory(customer=incident.customer)
    with pytest.raises(WarrantyError, match="Un RMA solo se abre desde un caso de reclamo de garantía"):
        services.rma_open(case=incident, asset=other_asset, actor=engineer(), fault="x", now=NOW)


def test_only_by_an_engineer(claim) -> None:
    case, asset = claim
    with pytest.raises(WarrantyError, match="Solo un ingeniero de soporte puede hacerlo"):
        services.rma_open(case=case, asset=asset, actor=UserFactory(), fault="x", now=NOW)


def test_an_expired_warranty_is_refused_with_its_end_date(claim) -> None:
    case, asset = claim
    asset.warranty_end = date(2026, 11, 30)
    asset.save()
    with pytest.raises(WarrantyError) as refused:
        services.rma_open(case=case, asset=asset, actor=engineer(), fault="x", now=NOW)
    assert refused.value.messages == [
        f"La garantía de CTLog Appliance R2 {asset.serial_number} venció el 30/11/2026."
    ]
    assert refused.value.code == "warranty_expired"
    assert not Rma.objects.exists()


def test_the_last_day_of_the_warranty_is_covered(claim) -> None:
    case, asset = claim
    asset.warranty_end = date(2026, 12, 2)
    asset.save()
    assert services.rma_open(case=case, asset=asset, actor=engineer(), fault="x", now=NOW).pk


def test_a_warranty_not_started_is_refused(claim) -> None:
    case, asset = claim
    asset.warranty_start, asset.warranty_end = date(2027, 1, 1), date(2027, 12, 31)
    asset.save()
    with pytest.raises(WarrantyError, match="empieza el 01/01/2027"):
        services.rma_open(case=case, asset=asset, actor=engineer(), fault="x", now=NOW)


def test_another_customers_unit_is_refused(claim) -> None:
    case, _ = claim
    stranger = HardwareAssetFactory()
    with pytest.raises(WarrantyError, match="no es de"):
        services.rma_open(case=case, asset=stranger, actor=engineer(), fault="x", now=NOW)


def test_one_rma_in_progress_per_unit(claim) -> None:
    case, asset = claim
    actor = engineer()
    services.rma_open(case=case, asset=asset, actor=actor, fault="x", now=NOW)
    with pytest.raises(WarrantyError, match="ya tiene un RMA en curso"):
        services.rma_open(case=case, asset=asset, actor=actor, fault="x", now=NOW)


def test_the_whole_path_with_reinstall_and_restore(claim) -> None:
    case, asset = claim
    actor = engineer()
    rma = services.rma_open(case=case, asset=asset, actor=actor, fault="x", now=NOW)
    at = NOW
    for step in ("approved", "dispatched", "delivered", "reinstalled", "restored", "received", "closed"):
        at += timedelta(hours=1)
        rma = services.rma_advance(rma=rma, actor=actor, step=step, note="", now=at)
    assert rma.status == RmaStatus.CLOSED
    assert rma.delivery_met is True and rma.warn_at is None
    assert rma.reinstalled_at and rma.backup_restored_at and rma.closed_at
    kinds = list(rma.steps.values_list("kind", flat=True))
    assert kinds == [
        "requested",
        "approved",
        "dispatched",
        "delivered",
        "reinstalled",
        "restored",
        "received",
        "closed",
    ]
    bodies = list(case.activities.filter(kind=ActivityKind.RMA).values_list("body", flat=True))
    assert len(bodies) == 8
    assert any("Equipo de reemplazo entregado a tiempo" in b for b in bodies)
    assert any("Reinstalado remotamente el software/firmware más reciente" in b for b in bodies)
    assert any("Restaurado el último backup del cliente" in b for b in bodies)
    assert CustomerEmail.objects.filter(event=CustomerEmail.Event.RMA).count() == 8


def test_steps_follow_the_order(claim) -> None:
    case, asset = claim
    actor = engineer()
    rma = services.rma_open(case=case, asset=asset, actor=actor, fault="x", now=NOW)
    with pytest.raises(WarrantyError, match="no se puede registrar ahora"):
        services.rma_advance(rma=rma, actor=actor, step="delivered", now=NOW)
    with pytest.raises(WarrantyError, match="no se puede registrar ahora"):
        services.rma_advance(rma=rma, actor=actor, step="reinstalled", now=NOW)


def test_a_late_delivery_says_so(claim) -> None:
    case, asset = claim
    actor = engineer()
    rma = services.rma_open(case=case, asset=asset, actor=actor, fault="x", now=NOW)
    services.rma_advance(rma=rma, actor=actor, step="approved", now=NOW)
    services.rma_advance(rma=rma, actor=actor, step="dispatched", now=NOW)
    late = rma.delivery_due_at + timedelta(minutes=1)
    rma = services.rma_advance(rma=rma, actor=actor, step="delivered", now=late)
    assert rma.delivery_met is False
    assert "Equipo de reemplazo entregado tarde (vencía el 10/12/2026 08:00)." in (
        case.activities.filter(kind=ActivityKind.RMA).last().body
    )


SPANISH_NOTICES = {
    RmaExclusion.ELECTRICAL_DAMAGE: "La garantía de hardware no cubre daños eléctricos.",
    RmaExclusion.SOFTWARE_MISCONFIGURATION: (
        "La garantía de hardware no cubre fallas causadas por una mala configuración del software."
    ),
    RmaExclusion.VIRUS: "La garantía de hardware no cubre la infección por virus informáticos.",
    RmaExclusion.THIRD_PARTY_SOFTWARE: (
        "Se instaló en el equipo software de terceros no autorizado por Calltech: la garantía de "
        "hardware no lo cubre y queda anulada desde ahora."
    ),
    RmaExclusion.BACKUP_MANAGEMENT: "La garantía de hardware no incluye la gestión de backups.",
    RmaExclusion.RECONFIGURATION: "La garantía de hardware no incluye servicios profesionales de reconfiguración.",
}


@pytest.mark.parametrize("exclusion", list(RmaExclusion))
def test_each_exclusion_rejects_with_its_message(claim, exclusion) -> None:
    assert set(SPANISH_NOTICES) == set(EXCLUSION_NOTICES) == set(RmaExclusion)
    case, asset = claim
    actor = engineer()
    rma = services.rma_open(case=case, asset=asset, actor=actor, fault="x", now=NOW)
    rma = services.rma_advance(rma=rma, actor=actor, step="rejected", exclusion=exclusion, now=NOW)
    assert rma.status == RmaStatus.REJECTED and rma.exclusion == exclusion and rma.warn_at is None
    body = case.activities.filter(kind=ActivityKind.RMA).last().body
    assert body == f"{rma.code} · RMA rechazado: {SPANISH_NOTICES[exclusion]}"
    step = rma.steps.get(kind=RmaStep.Kind.REJECTED)
    assert SPANISH_NOTICES[exclusion] in CustomerEmail.objects.get(key=f"rma-step:{step.pk}").body_text
    asset.refresh_from_db()
    voided = exclusion == RmaExclusion.THIRD_PARTY_SOFTWARE
    assert (asset.voided_at is not None) is voided
    assert asset.changes.filter(action="voided").exists() is voided


def test_a_rejection_needs_its_exclusion(claim) -> None:
    case, asset = claim
    actor = engineer()
    rma = services.rma_open(case=case, asset=asset, actor=actor, fault="x", now=NOW)
    with pytest.raises(WarrantyError, match="Elija la exclusión"):
        services.rma_advance(rma=rma, actor=actor, step="rejected", exclusion="", now=NOW)


def test_unauthorised_software_voids_the_warranty_for_later_claims(claim) -> None:
    case, asset = claim
    actor = engineer()
    rma = services.rma_open(case=case, asset=asset, actor=actor, fault="x", now=NOW)
    services.rma_advance(rma=rma, actor=actor, step="rejected", exclusion="third_party", now=NOW)
    with pytest.raises(WarrantyError, match="fue anulada el 02/12/2026") as refused:
        services.rma_open(case=case, asset=asset, actor=actor, fault="otra vez", now=NOW + timedelta(days=1))
    assert refused.value.code == "warranty_void"


def test_elsewhere_transport_is_not_covered_and_the_rma_says_so() -> None:
    case, setup = warranty_case()
    asset = HardwareAssetFactory(customer=setup["customer"], delivery_city="Leticia")
    rma = services.rma_open(case=case, asset=asset, actor=engineer(), fault="x", now=NOW)
    assert rma.transport_covered is False
    assert "El transporte a Leticia no está cubierto por la garantía" in (
        case.activities.get(kind=ActivityKind.RMA).body
    )
    assert "El transporte a Leticia no está cubierto" in CustomerEmail.objects.get(event="rma").body_text


@pytest.mark.parametrize("city", ["Bogotá", "Bogota D.C.", "MEDELLÍN", "Cali, Valle"])
def test_main_cities_are_covered(city: str) -> None:
    assert HardwareAsset(delivery_city=city).transport_covered


def test_extended_with_next_business_day() -> None:
    case, setup = warranty_case()
    asset = HardwareAssetFactory(
        customer=setup["customer"], warranty_plan=WarrantyPlan.EXTENDED, nbd_24x7=True, spare_kit=True
    )
    start = datetime(2026, 12, 2, 17, 0, tzinfo=BOGOTA)
    rma = services.rma_open(case=case, asset=asset, actor=engineer(), fault="x", now=start)
    assert rma.delivery_due_at == datetime(2026, 12, 3, 15, 0, tzinfo=BOGOTA)
    assert rma.warranty_plan == WarrantyPlan.EXTENDED and rma.nbd_24x7


def test_asset_register_defaults_to_one_year_and_is_audited() -> None:
    setup = customer_setup()
    asset = services.asset_register(
        actor=engineer(),
        customer=setup["customer"],
        model="CTVox Gateway",
        serial_number="GW-1",
        warranty_start=date(2026, 3, 15),
        delivery_city="Cali",
        backup_unit=True,
    )
    assert asset.warranty_end == date(2027, 3, 14)
    assert asset.changes.get().action == "created"
    with pytest.raises(WarrantyError, match="ya está registrado"):
        services.asset_register(
            actor=None,
            customer=setup["customer"],
            model="x",
            serial_number="GW-1",
            warranty_start=date(2026, 3, 15),
            delivery_city="Cali",
        )
    services.asset_update(asset=asset, actor=None, changes={"warranty_end": date(2028, 3, 14)})
    change = asset.changes.filter(action="updated").get()
    assert change.changes == {
        "before": {"warranty_end": "2027-03-14"},
        "after": {"warranty_end": "2028-03-14"},
    }
