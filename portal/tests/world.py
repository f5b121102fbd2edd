"""A small world for portal tests: company A with two contacts who have portal accounts, company
B with one, staff, and one case per company with public and internal activities and files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services as case_services
from cases.models import ActivityKind, Case, CaseActivity, CaseAttachment
from cases.tests.factories import customer_setup, engineer, manager, registered_case
from contracts.models import TechnicalContact
from contracts.tests.factories import TechnicalContactFactory, UserFactory
from warranty.models import Certificate
from warranty.tests.certificate_factories import certificate_row

BOGOTA = ZoneInfo("America/Bogota")
PASSWORD = "s3cret-pass"  # UserFactory's test password
# Wednesday 25 Nov 2026, 09:00: a business day on both calendars.
REGISTERED = datetime(2026, 11, 25, 9, 0, tzinfo=BOGOTA)
INTERNAL_NOTE = "NOTA-INTERNA-7731 el cliente debe la factura"
INTERNAL_FILE = "interno-secreto-7731.txt"
PUBLIC_FILE = "ctlog-publico.log"


def log_file(name: str, content: bytes = b"ERROR 42\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def contact_with_account(customer: Any, username: str, **fields: Any) -> TechnicalContact:
    user = UserFactory(username=username, first_name=fields.pop("first_name", username.title()))
    return TechnicalContactFactory(customer=customer, user=user, **fields)


@dataclass
class World:
    a1: TechnicalContact
    a2: TechnicalContact
    b1: TechnicalContact
    engineer: Any
    manager: Any
    case_a: Case
    case_b: Case
    case_a_waiting: Case  # registered at TEST_NOW, not attended yet: its clock runs
    public_activity: CaseActivity
    internal_note: CaseActivity
    public_file: CaseAttachment
    internal_file: CaseAttachment
    case_b_file: CaseAttachment
    certificate_a: Certificate
    certificate_b: Certificate


def build_world() -> World:
    eng = engineer(username="ingeniera.w", first_name="Laura María", last_name="Gómez")
    mgr = manager(username="gerente.w", first_name="Jorge", last_name="Ruiz")
    setup_a = customer_setup()
    setup_b = customer_setup()
    a1 = setup_a["requester"]
    a1.user = UserFactory(username="ana.w", first_name="Ana", last_name="Rodríguez")
    a1.save()
    a2 = contact_with_account(setup_a["customer"], "julian.w")
    b1 = setup_b["requester"]
    b1.user = UserFactory(username="luis.w", first_name="Luis", last_name="Gómez")
    b1.save()
    case_a = registered_case(setup=setup_a, now=REGISTERED, priority="P2", subject="Grabación detenida A")
    case_b = registered_case(setup=setup_b, now=REGISTERED, priority="P2", subject="Correo de voz caído B")
    case_a_waiting = registered_case(setup=setup_a, priority="P3", subject="Consulta de licencias A")
    case_services.case_assign(case=case_a, actor=eng, assignee=eng, now=REGISTERED)
    public_activity = case_services.case_log_activity(
        case=case_a,
        actor=eng,
        kind=ActivityKind.EMAIL,
        body="Por favor envíenos el log.",
        is_public=True,
        attachments=[log_file(PUBLIC_FILE)],
        now=REGISTERED,
    )
    internal_note = case_services.case_log_activity(
        case=case_a,
        actor=eng,
        kind=ActivityKind.INTERNAL_NOTE,
        body=INTERNAL_NOTE,
        attachments=[log_file(INTERNAL_FILE, b"SECRETO 7731\n")],
        now=REGISTERED,
    )
    b_activity = case_services.case_log_activity(
        case=case_b,
        actor=eng,
        kind=ActivityKind.EMAIL,
        body="Adjunto de B",
        is_public=True,
        attachments=[log_file("solo-de-b.log")],
        now=REGISTERED,
    )
    for case in (case_a, case_b):
        case.refresh_from_db()
    # A unit under warranty of company A (the portal's warranty pages; routes.py looks it up).
    from warranty.tests.factories import HardwareAssetFactory

    HardwareAssetFactory(customer=setup_a["customer"], serial_number="A-UNIT-1")
    return World(
        a1=a1,
        a2=a2,
        b1=b1,
        engineer=eng,
        manager=mgr,
        case_a=case_a,
        case_b=case_b,
        case_a_waiting=case_a_waiting,
        public_activity=public_activity,
        internal_note=internal_note,
        public_file=public_activity.attachments.get(),
        internal_file=internal_note.attachments.get(),
        case_b_file=b_activity.attachments.get(),
        certificate_a=certificate_row(installation=setup_a["installation"], actor=mgr),
        certificate_b=certificate_row(installation=setup_b["installation"], actor=mgr),
    )
