"""The demo's hardware under warranty (seed_demo): a unit in force, an expired one, an Extended one
with every extra, one delivered outside the main cities, and an RMA in progress on a
warranty-claim case, a maintenance scheduled, and a software update recorded (the installation's
version history). Idempotent: nothing is added once any asset exists."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.management.base import OutputWrapper

from contracts.models import Customer


def seed_warranty(*, engineer: Any, now: datetime, today: date, stderr: OutputWrapper) -> None:
    from cases import services as case_services
    from cases.errors import CaseError
    from cases.models import CaseKind
    from warranty import services
    from warranty.models import HardwareAsset, WarrantyPlan

    if HardwareAsset.objects.exists():
        return
    customers = list(Customer.objects.order_by("pk")[:3])
    if len(customers) < 3:
        return
    bank, second, third = customers
    recorder = bank.installations.order_by("pk").first()
    in_force = services.asset_register(
        actor=None,
        customer=bank,
        installation=recorder,
        model="CTLog Plus Appliance R3",
        serial_number="CTA-R3-240117",
        warranty_start=today - timedelta(days=120),
        delivery_city=bank.city,
        now=now,
    )
    services.asset_register(
        actor=None,
        customer=bank,
        model="CTVox Media Gateway MG-30",
        serial_number="CTV-MG30-118842",
        warranty_start=today - timedelta(days=500),
        delivery_city=bank.city,
        now=now,
    )
    services.asset_register(
        actor=None,
        customer=second,
        installation=second.installations.order_by("pk").first(),
        model="CTMail Voice Server VS-2",
        serial_number="CTM-VS2-550931",
        warranty_plan=WarrantyPlan.EXTENDED,
        warranty_start=today - timedelta(days=60),
        warranty_end=today - timedelta(days=60) + timedelta(days=3 * 365),
        nbd_24x7=True,
        spare_kit=True,
        backup_unit=True,
        delivery_city=second.city,
        now=now,
    )
    services.asset_register(
        actor=None,
        customer=third,
        model="CTDialer Appliance D8",
        serial_number="CTD-D8-771204",
        warranty_start=today - timedelta(days=200),
        delivery_city="Yopal",
        now=now,
    )
    requester = bank.technical_contacts.filter(is_active=True).first()
    if recorder is None or requester is None:
        return
    # After the desk's other demo stories (the latest an hour ago), so case numbers follow time.
    opened = now - timedelta(minutes=50)
    try:
        case = case_services.case_register(
            actor=engineer,
            customer=bank,
            requester=requester,
            installation=recorder,
            channel="phone",
            kind=CaseKind.WARRANTY_CLAIM,
            priority="P2",
            subject="El appliance de grabación no enciende",
            description="El equipo CTA-R3-240117 no enciende tras un corte de energía; los LED no prenden.",
            now=opened,
        )
        case_services.case_assign(
            case=case, actor=engineer, assignee=engineer, now=opened + timedelta(minutes=10)
        )
        rma = services.rma_open(
            case=case,
            asset=in_force,
            actor=engineer,
            fault="Fuente de poder averiada: el equipo no enciende (diagnóstico remoto).",
            now=opened + timedelta(minutes=40),
        )
        services.rma_advance(
            rma=rma,
            actor=engineer,
            step="approved",
            note="Se despacha un equipo de reemplazo desde el inventario de Bogotá.",
            now=opened + timedelta(minutes=30),
        )
    except CaseError as error:  # a demo story the rules refuse is skipped, not fatal
        stderr.write(f"  demo warranty claim skipped: {error.messages[0]}")
    _seed_maintenance(bank=bank, second=second, engineer=engineer, now=now, stderr=stderr)
    _seed_update(bank=bank, engineer=engineer, now=now, stderr=stderr)


def _seed_maintenance(
    *, bank: Customer, second: Customer, engineer: Any, now: datetime, stderr: OutputWrapper
) -> None:
    """The second customer's contract grants extras; the bank has one maintenance scheduled."""
    from datetime import time

    from django.utils import timezone

    from cases.errors import CaseError
    from contracts import business_time, sla
    from contracts.selectors import contract_in_force
    from warranty.models import MaintenanceTerms
    from warranty.services import maintenance_request

    granted = contract_in_force(customer=second, on=timezone.localdate(now))
    if granted is not None:
        MaintenanceTerms.objects.get_or_create(
            contract=granted,
            defaults={
                "extra_per_year": 1,
                "onsite": True,
                "cable_cleaning": True,
                "reference": "Oferta comercial OC-2026-114",
            },
        )
    contract = contract_in_force(customer=bank, on=timezone.localdate(now))
    installation = bank.installations.order_by("pk").first()
    requester = bank.technical_contacts.filter(is_active=True).first()
    if contract is None or installation is None or requester is None:
        return
    office = sla.snapshot().calendar("oficina-8x5")
    day = timezone.localdate(now) + timedelta(days=10)
    start = timezone.make_aware(datetime.combine(day, time(9, 0)))
    while not business_time.is_open(start, office):
        day += timedelta(days=1)
        start = timezone.make_aware(datetime.combine(day, time(9, 0)))
    try:
        maintenance_request(
            contract=contract,
            installation=installation,
            requester=requester,
            scheduled_for=start,
            actor=engineer,
            notes="Revisión de discos, logs y respaldo de la configuración.",
            now=now - timedelta(minutes=30),  # part of the demo's history: nobody is e-mailed
        )
    except CaseError as error:
        stderr.write(f"  demo maintenance skipped: {error.messages[0]}")


def _seed_update(*, bank: Customer, engineer: Any, now: datetime, stderr: OutputWrapper) -> None:
    """A minor update of the bank's recorder on a case of kind "software update", scheduled for the
    next office hours: the installation's version history has a row."""
    from datetime import time

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from cases import services as case_services
    from cases.models import CaseKind
    from contracts import sla
    from contracts.selectors import contract_in_force
    from warranty.services import software_update_apply

    contract = contract_in_force(customer=bank, on=timezone.localdate(now))
    installation = bank.installations.order_by("pk").first()
    requester = bank.technical_contacts.filter(is_active=True).first()
    if contract is None or not contract.software_assurance or installation is None or requester is None:
        return
    day = timezone.localdate(now) + timedelta(days=1)
    when = timezone.make_aware(datetime.combine(day, time(10, 0)))
    while not sla.is_within_service_hours(when, contract.plan):
        day += timedelta(days=1)
        when = timezone.make_aware(datetime.combine(day, time(10, 0)))
    try:
        case = case_services.case_register(
            actor=engineer,
            customer=bank,
            requester=requester,
            installation=installation,
            channel="phone",
            kind=CaseKind.SOFTWARE_UPDATE,
            priority="P4",
            subject="Actualización menor de la versión instalada",
            description="El cliente pide instalar la última corrección de su versión (Software Assurance).",
            now=now - timedelta(minutes=20),
        )
        software_update_apply(
            case=case,
            actor=engineer,
            to_version=f"{installation.version}.1",
            to_build=installation.build,
            scheduled_for=when,
            reason="request",
            notes="Corrección menor instalada en remoto; servicio verificado con el cliente.",
            now=now - timedelta(minutes=15),
        )
    except ValidationError as error:  # a demo story the rules refuse is skipped, not fatal
        stderr.write(f"  demo software update skipped: {error.messages[0]}")
