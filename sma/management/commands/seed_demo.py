"""Load a realistic demo: the scheme's product catalog, a dozen customers with Gold and Platinum
contracts (one expired), their installations and designated contacts, staff users for each role and
portal users for contacts. Idempotent: running it again changes nothing. Prints the logins."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from contracts import services as contracts_services
from contracts.models import Customer, Installation, Product, SupportContract, SupportPlan, TechnicalContact
from contracts.validators import nit_check_digit
from sma import roles

from ._demo_knowledge import seed_knowledge
from ._demo_warranty import seed_warranty

DEMO_PASSWORD = "Calltech.2026"  # noqa: S105 - printed demo logins, local runs only

PRODUCTS = [
    # name, vendor, third party, obsolete, description
    ("CTLog", "Calltech S.A.", False, False, "Grabación de llamadas"),
    ("CTLog Plus", "Calltech S.A.", False, False, "Grabación de llamadas y pantallas"),
    ("CTVox", "Calltech S.A.", False, False, "Respuesta de voz interactiva (IVR)"),
    ("CTMail", "Calltech S.A.", False, False, "Correo de voz y operadora automática"),
    ("CTDialer", "Calltech S.A.", False, False, "Marcador predictivo"),
    ("CTAgent", "Calltech S.A.", False, False, "Escritorio de agente de contact center"),
    ("CTiContRol", "Calltech S.A.", False, False, "Integración CTI y control de llamadas"),
    ("CTMessage", "Calltech S.A.", False, False, "Mensajería SMS y WhatsApp"),
    ("CTPos", "Calltech S.A.", False, False, "Encuestas posllamada"),
    ("CTTranscription", "Calltech S.A.", False, False, "Transcripción de llamadas"),
    ("CTWebRTC", "Calltech S.A.", False, False, "Llamadas desde el navegador"),
    ("Dalí", "Calltech S.A.", False, False, "Analítica de contact center"),
    ("LiteVOX", "Calltech S.A.", False, False, "IVR para pequeñas empresas"),
    ("Telemanagement", "Calltech S.A.", False, False, "Tarificación telefónica"),
    ("Denwa", "Calltech S.A.", False, False, "Central telefónica IP"),
    ("CTVox 3 (legado)", "Calltech S.A.", False, True, "Versión descontinuada del IVR"),
    ("Grandstream UCM6304", "Grandstream Networks", True, False, "Central IP (hardware de terceros)"),
    ("Poly VVX 450", "HP Poly", True, False, "Teléfono IP (hardware de terceros)"),
]

# name, base NIT, city, plan code, products, contacts (name, position, e-mail, mobile), expired
CUSTOMERS: list[tuple[Any, ...]] = [
    (
        "Banco Andino S.A.",
        "860034594",
        "Bogotá",
        "PLATINUM_24X7",
        ["CTLog Plus", "CTVox"],
        [
            (
                "Ana María Rodríguez",
                "Jefe de Infraestructura",
                "ana.rodriguez@bancoandino.example",
                "3104567890",
            ),
            ("Julián Pérez", "Administrador de telefonía", "julian.perez@bancoandino.example", "3157654321"),
        ],
        False,
    ),
    (
        "Clínica San Rafael S.A.S.",
        "900456123",
        "Medellín",
        "GOLD_8X5",
        ["CTLog", "CTAgent"],
        [("Luisa Fernanda Gómez", "Coordinadora de TI", "lgomez@clinicasanrafael.example", "3001234567")],
        False,
    ),
    (
        "Aerolínea del Caribe S.A.S.",
        "901234567",
        "Barranquilla",
        "PLATINUM_24X7",
        ["CTDialer", "CTAgent", "CTWebRTC"],
        [
            (
                "Carlos Andrés Martínez",
                "Gerente de Contact Center",
                "cmartinez@aerocaribe.example",
                "3012223344",
            ),
            ("Paola Herrera", "Ingeniera de soporte interno", "pherrera@aerocaribe.example", "3023334455"),
        ],
        False,
    ),
    (
        "Aseguradora Cóndor S.A.",
        "860002184",
        "Bogotá",
        "GOLD_8X5",
        ["CTMail", "CTVox"],
        [("Jorge Iván Salazar", "Director de Tecnología", "jsalazar@condorseguros.example", "3134445566")],
        False,
    ),
    (
        "Universidad del Valle Alto",
        "890399010",
        "Cali",
        "GOLD_8X5",
        ["Telemanagement"],
        [("Marcela Ortiz", "Jefe de Comunicaciones", "marcela.ortiz@uvalto.example", "3145556677")],
        False,
    ),
    (
        "Alcaldía de Villa Verde",
        "890201222",
        "Bucaramanga",
        "GOLD_8X5",
        ["Denwa", "Grandstream UCM6304"],
        [("Sergio Rincón", "Profesional de Sistemas", "srincon@villaverde.example", "3166667788")],
        False,
    ),
    (
        "Cooperativa Cafetera del Eje",
        "890800456",
        "Manizales",
        "GOLD_8X5",
        ["CTPos", "CTMessage"],
        [("Diana Cardona", "Analista de TI", "dcardona@coopeje.example", "3177778899")],
        False,
    ),
    (
        "Telecomunicaciones Pacífico S.A. E.S.P.",
        "805001157",
        "Cali",
        "PLATINUM_24X7",
        ["CTTranscription", "CTLog Plus", "Dalí"],
        [
            ("Andrés Felipe Mejía", "Líder de Plataformas", "amejia@telepacifico.example", "3188889900"),
            ("Natalia Quintero", "Especialista de Voz", "nquintero@telepacifico.example", "3199990011"),
        ],
        False,
    ),
    (
        "Hotel Bahía Cartagena S.A.S.",
        "806012345",
        "Cartagena",
        "GOLD_8X5",
        ["LiteVOX"],
        [("Ricardo Pájaro", "Jefe de Sistemas", "rpajaro@hotelbahia.example", "3201112233")],
        True,
    ),
    (
        "Distribuidora Montaña S.A.S.",
        "816004321",
        "Pereira",
        "GOLD_8X5",
        ["CTiContRol", "CTVox 3 (legado)"],
        [
            (
                "Camila Restrepo",
                "Coordinadora de Servicio al Cliente",
                "crestrepo@dmontana.example",
                "3212223344",
            )
        ],
        False,
    ),
    (
        "Call Center Nexus S.A.S.",
        "900987654",
        "Bogotá",
        "PLATINUM_24X7",
        ["CTDialer", "CTAgent", "Dalí"],
        [
            ("Felipe Castaño", "Gerente de Operaciones", "fcastano@nexuscc.example", "3223334455"),
            ("Laura Vargas", "Administradora de Plataforma", "lvargas@nexuscc.example", "3234445566"),
        ],
        False,
    ),
    (
        "Energía del Norte S.A. E.S.P.",
        "802007670",
        "Barranquilla",
        "GOLD_8X5",
        ["CTLog", "Poly VVX 450"],
        [("Mauricio Fontalvo", "Jefe de Telecomunicaciones", "mfontalvo@energianorte.example", "3245556677")],
        False,
    ),
]

# More cases for the two companies the portal is shown with, so that each has one in every state:
# customer index, product, priority, hours ago, subject, description, story.
PORTAL_STORIES = [
    (
        1,
        "CTVox",
        "P3",
        4,
        "El IVR no reconoce los dígitos marcados",
        "Los clientes marcan la opción 2 y el IVR repite el menú desde el cambio de proveedor SIP.",
        "assigned",
    ),
    (
        1,
        "CTLog Plus",
        "P2",
        8,
        "Grabaciones de pantalla sin audio",
        "Las grabaciones de pantalla de los asesores no tienen la pista de audio desde el lunes.",
        "in_progress",
    ),
    (
        1,
        "CTVox",
        "P4",
        26,
        "Formato de audio para los mensajes del menú",
        "¿Qué formato de audio se requiere para cargar los nuevos mensajes del IVR?",
        "waiting",
    ),
    (
        1,
        "CTLog Plus",
        "P3",
        40,
        "La búsqueda por agente no devuelve resultados",
        "Al filtrar por agente en la consola no aparecen las grabaciones de la semana pasada.",
        "proposed",
    ),
    (
        1,
        "CTVox",
        "P2",
        120,
        "El IVR no inicia después de un corte de energía",
        "Tras el corte de energía del sábado, CTVox no inicia: 'License server unreachable'.",
        "closed",
    ),
    (
        1,
        "CTLog Plus",
        "P3",
        150,
        "Grabaciones exportadas con el nombre del agente en blanco",
        "Los archivos exportados quedan sin el nombre del agente.",
        "reopened",
    ),
    (
        2,
        "CTAgent",
        "P3",
        5,
        "El escritorio del agente no abre la ficha del paciente",
        "La integración con el sistema de citas no abre la ficha al contestar.",
        "new",
    ),
    (
        2,
        "CTLog",
        "P4",
        12,
        "Consulta sobre la retención de grabaciones",
        "¿Cuánto tiempo se conservan las grabaciones con la configuración actual?",
        "assigned",
    ),
    (
        2,
        "CTAgent",
        "P2",
        22,
        "Agentes desconectados cada 30 minutos",
        "El escritorio CTAgent pierde la sesión cada 30 minutos con 'Token expired'.",
        "in_progress",
    ),
    (
        2,
        "CTLog",
        "P3",
        45,
        "Reporte de llamadas grabadas incompleto",
        "El reporte diario omite las llamadas de la sede El Poblado.",
        "proposed",
    ),
    (
        2,
        "CTAgent",
        "P4",
        90,
        "Procedimiento para crear códigos de pausa",
        "Solicitamos el procedimiento para crear códigos de pausa nuevos.",
        "closed",
    ),
    (
        2,
        "CTLog",
        "P2",
        130,
        "Grabaciones cortadas a los 10 minutos",
        "Las llamadas de más de 10 minutos quedan grabadas solo en parte.",
        "reopened",
    ),
]

STAFF = [
    # username, first, last, role, superuser
    ("ingeniero", "Camilo", "Suárez", roles.ENGINEER, False),
    ("ingeniera", "Valentina", "Moreno", roles.ENGINEER, False),
    ("gerente", "Christian", "Romero Bautista", roles.MANAGER, False),
    ("admin", "Administración", "SMA", roles.ADMIN, True),
]


# Who takes the on-call phone in the demo, and its number while on duty.
ON_CALL_ENGINEERS = {"ingeniero": "+573001112233", "ingeniera": "+573004445566"}
ON_CALL_WEEKS = 4


class Command(BaseCommand):
    help = "Load (idempotently) the demo catalog, customers, contracts, contacts and users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the logins")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        groups = roles.roles_sync()
        products = {row[0]: self._product(*row) for row in PRODUCTS}
        users = [self._staff(groups, *row) for row in STAFF]
        portal_logins = []
        for index, (name, base_nit, city, plan_code, product_names, contacts, expired) in enumerate(
            CUSTOMERS, start=1
        ):
            customer = self._customer(index, name, base_nit, city)
            installations = [
                self._installation(customer, products[p], i) for i, p in enumerate(product_names)
            ]
            self._contract(index, customer, plan_code, installations, expired, today)
            for full_name, role, email, mobile in contacts:
                contact = self._contact(customer, full_name, role, email, mobile, users[-1])
                if not expired:  # every designated contact of a customer in force has a portal login
                    portal_logins.append(self._portal_user(contact))
        self._matrix_reaches_someone(users)
        self._on_call_roster(users, timezone.now())
        self._cases(users)
        self._surveys_and_consents()
        self._certificates(users)
        seed_warranty(engineer=users[0], now=timezone.now(), today=today, stderr=self.stderr)
        self._monthly_report(today)
        seed_knowledge(engineer=users[0], manager=users[2], now=timezone.now())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Customer.objects.count()} customers, "
                f"{SupportContract.objects.count()} contracts, {TechnicalContact.objects.count()} contacts."
            )
        )
        if not options["quiet_logins"]:
            self._print_logins(users, portal_logins)

    # --- pieces ----------------------------------------------------------------------------------

    def _product(self, name: str, vendor: str, third: bool, obsolete: bool, description: str) -> Product:
        product, _ = Product.objects.get_or_create(
            name=name,
            defaults={
                "vendor": vendor,
                "is_third_party": third,
                "is_obsolete": obsolete,
                "description": description,
            },
        )
        return product

    def _staff(self, groups: dict, username: str, first: str, last: str, role: str, superuser: bool):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@calltechsa.com",
                is_staff=True,
                is_superuser=superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(groups[role])
        return user

    def _customer(self, index: int, name: str, base_nit: str, city: str) -> Customer:
        nit = f"{base_nit}-{nit_check_digit(base_nit)}"
        existing = Customer.objects.filter(nit=nit).first()
        if existing:
            return existing
        return contracts_services.customer_create(
            actor=None,
            name=name,
            nit=nit,
            customer_number=f"{1000 + index}",
            city=city,
            address=f"Carrera {10 + index} # {20 + index}-{30 + index}",
        )

    def _installation(self, customer: Customer, product: Product, i: int) -> Installation:
        installation, _ = Installation.objects.get_or_create(
            customer=customer,
            product=product,
            defaults={
                "version": "8.4" if not product.is_third_party else "1.0.27",
                "build": f"{2400 + i * 17}",
                "operating_system": "Windows Server" if i % 2 == 0 else "Rocky Linux",
                "os_version": "2022" if i % 2 == 0 else "9.4",
                "serial_number": f"CT-{customer.customer_number}-{product.pk:03d}",
            },
        )
        return installation

    def _contract(
        self,
        index: int,
        customer: Customer,
        plan_code: str,
        installations: list[Installation],
        expired: bool,
        today: date,
    ) -> SupportContract:
        number = f"CT-SOP-{index:04d}"
        existing = SupportContract.objects.filter(number=number).first()
        if existing:
            return existing
        start = today - timedelta(days=540 if expired else 30 * (index % 10) + 20)
        return contracts_services.contract_create(
            actor=None,
            customer=customer,
            plan=SupportPlan.objects.get(code=plan_code),
            number=number,
            start_date=start,
            duration_months=12,
            installations=installations,
            covers_tier_1=plan_code == "PLATINUM_24X7",
            covers_tier_2=plan_code == "PLATINUM_24X7" or index % 3 == 0,
            # Banco Andino bought tiers 1 and 2 as a bank of 20 hours.
            hour_bank_hours=20 if index == 1 else None,
            special_conditions=(
                "Mantenimiento preventivo presencial semestral en Bogotá." if index % 4 == 1 else ""
            ),
        )

    def _contact(self, customer: Customer, full_name: str, position: str, email: str, mobile: str, admin):
        existing = TechnicalContact.objects.filter(customer=customer, email=email).first()
        if existing:
            return existing
        contract = customer.contracts.order_by("-end_date").first()
        # The expired customer's contacts were designated while its contract was in force.
        designated_at = (
            timezone.now()
            if contract is None or contract.end_date >= timezone.localdate()
            else timezone.make_aware(datetime.combine(contract.start_date, time(9)))
        )
        return contracts_services.technical_contact_designate(
            actor=admin,
            customer=customer,
            full_name=full_name,
            position=position,
            phone=mobile,
            extension="",
            email=email,
            now=designated_at,
        )

    def _portal_user(self, contact: TechnicalContact) -> str:
        if contact.user is not None:
            return contact.user.username
        User = get_user_model()
        username = contact.email.split("@")[0]
        user = User.objects.filter(username=username).first()
        if user is None:
            first, _, last = contact.full_name.partition(" ")
            user = User(username=username, first_name=first, last_name=last, email=contact.email)
            user.set_password(DEMO_PASSWORD)
            user.save()
        contracts_services.technical_contact_update(actor=None, contact=contact, user=user)
        return username

    def _matrix_reaches_someone(self, users: list) -> None:
        """Every contact of the matrix the scheme lists gets a way to be reached: the staff account
        of the same person (the support lead is the demo's manager), else a company e-mail made
        from their name. Contacts an admin already made reachable are left as they are."""
        from django.utils.text import slugify

        from escalation.models import EscalationContact
        from escalation.services import matrix

        staff = {(u.get_full_name() or u.username).casefold(): u for u in users}
        for contact in EscalationContact.objects.filter(is_active=True, user__isnull=True, email=""):
            user = staff.get(contact.name.casefold())
            if user is not None:
                matrix.escalation_contact_reach_set(contact=contact, actor=None, user=user)
                continue
            local = slugify(contact.name).replace("-", ".")
            matrix.escalation_contact_reach_set(contact=contact, actor=None, email=f"{local}@calltechsa.com")

    def _on_call_roster(self, users: list, now: datetime) -> None:
        """Week-long on-call shifts, the two engineers taking turns, from this week's Monday for
        the next ON_CALL_WEEKS weeks (counted from ``now``: a later run adds the weeks missing)."""
        from escalation.models import OnCallShift
        from escalation.services import matrix

        engineers = [u for u in users if u.username in ON_CALL_ENGINEERS]
        monday = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
        for week in range(ON_CALL_WEEKS + 1):
            start = timezone.make_aware(datetime.combine(monday + timedelta(weeks=week), time(0)))
            end = timezone.make_aware(datetime.combine(monday + timedelta(weeks=week + 1), time(0)))
            if OnCallShift.objects.filter(starts_at__lt=end, ends_at__gt=start).exists():
                continue  # that week is covered (by an earlier run or by an admin)
            engineer = engineers[(monday + timedelta(weeks=week)).isocalendar().week % len(engineers)]
            matrix.on_call_shift_create(
                engineer=engineer,
                starts_at=start,
                ends_at=end,
                actor=None,
                phone=ON_CALL_ENGINEERS[engineer.username],
                notes="Turno de demostración (semana completa).",
            )

    def _cases(self, users: list) -> None:
        """A desk with some life in it: cases in every state, some breached, over the last days."""
        from cases import services as case_services
        from cases.errors import CaseError
        from cases.models import Case

        if Case.objects.exists():
            return
        engineer, engineer2, manager = users[0], users[1], users[2]
        now = timezone.now()
        self._history_not_mailed(now)
        stories = [
            # customer index, product, priority, hours ago, subject, description, story
            (
                1,
                "CTLog Plus",
                "P1",
                1,
                "Grabación detenida en todas las troncales",
                "Desde las 8:00 no se graban llamadas. El servicio CTLogSvc muestra 'Error 0x80040154'.",
                "new",
            ),
            (
                3,
                "CTDialer",
                "P2",
                3,
                "El marcador predictivo no respeta la lista de exclusión",
                "Campaña COBRANZA-NOV marca números excluidos. Log adjunto del 24/11.",
                "assigned",
            ),
            (
                8,
                "CTTranscription",
                "P3",
                20,
                "Transcripciones con acentos mal codificados",
                "Las transcripciones exportadas a CSV muestran 'Ã³' en lugar de 'ó'.",
                "in_progress",
            ),
            (
                2,
                "CTLog",
                "P2",
                30,
                "Consulta de grabaciones lenta",
                "La búsqueda por número tarda más de 2 minutos desde la actualización 8.4.",
                "waiting",
            ),
            (
                4,
                "CTMail",
                "P4",
                50,
                "¿Cómo exportar los buzones de voz?",
                "Necesitamos el procedimiento para exportar los mensajes de un buzón a WAV.",
                "proposed",
            ),
            (
                11,
                "CTAgent",
                "P1",
                70,
                "Agentes no pueden iniciar sesión",
                "El escritorio CTAgent muestra 'SIP 503 Service Unavailable' al iniciar sesión.",
                "closed",
            ),
            (
                5,
                "Telemanagement",
                "P3",
                100,
                "Reporte de tarificación con costos en cero",
                "El reporte mensual de octubre muestra costo cero para llamadas a celular.",
                "closed",
            ),
            (
                6,
                "Denwa",
                "P2",
                6,
                "Extensiones remotas con audio en una sola vía",
                "Las extensiones de la sede norte escuchan pero no son escuchadas. NAT en el firewall.",
                "new",
            ),
            (
                7,
                "CTPos",
                "P3",
                10,
                "La encuesta posllamada no se reproduce",
                "Después de colgar el agente, el cliente no escucha la encuesta.",
                "assigned",
            ),
            (
                12,
                "CTLog",
                "P4",
                2,
                "Solicitud de manual de administración",
                "Requerimos el manual de administración de CTLog 8.4.",
                "new",
            ),
        ]
        # The two companies the portal is shown with (Banco Andino: ana.rodriguez and julian.perez;
        # Clínica San Rafael: lgomez) have cases in every state.
        stories += PORTAL_STORIES
        customers = list(Customer.objects.order_by("pk"))
        stories.sort(key=lambda story: -story[3])  # registered in time order, so numbers ascend
        for index, product_name, priority, hours_ago, subject, description, story in stories:
            customer = customers[index - 1]
            installation = customer.installations.filter(product__name=product_name).first()
            requester = customer.technical_contacts.filter(is_active=True).first()
            if installation is None or requester is None:
                continue
            registered = now - timedelta(hours=hours_ago)
            try:
                case = case_services.case_register(
                    actor=engineer2,
                    customer=customer,
                    requester=requester,
                    installation=installation,
                    channel="phone" if index % 3 else "email",
                    priority=priority,
                    subject=subject,
                    description=description,
                    now=registered,
                )
                step = registered
                if story == "new":
                    continue
                step += timedelta(minutes=20)
                case_services.case_assign(case=case, actor=manager, assignee=engineer, now=step)
                if story == "assigned":
                    continue
                step += timedelta(minutes=40)
                case_services.case_log_activity(
                    case=case,
                    actor=engineer,
                    kind="phone_call",
                    now=step,
                    body="Se contactó al cliente y se solicitaron los logs del servidor.",
                    minutes_spent=45,
                )
                if story in ("in_progress", "waiting"):
                    case_services.case_log_activity(
                        case=case,
                        actor=engineer,
                        kind="internal_note",
                        now=step + timedelta(minutes=5),
                        body="Nota interna: revisar si el antivirus del cliente bloquea el servicio.",
                    )
                if story == "waiting":
                    case_services.case_change_status(
                        case=case, actor=engineer, status="waiting_customer", note="Esperando logs.", now=step
                    )
                if story in ("in_progress", "waiting"):
                    continue
                step += timedelta(hours=2)
                case_services.case_propose_solution(
                    case=case,
                    actor=engineer,
                    solution_kind="procedure",
                    now=step,
                    solution="Aplicar el procedimiento KB-1042 y reiniciar el servicio.",
                )
                if story == "proposed":
                    self._pqr(case, engineer, step + timedelta(minutes=30))
                    continue
                step += timedelta(hours=3)
                case_services.case_close(
                    case=case,
                    actor=engineer,
                    reason="accepted",
                    note="El cliente confirmó por teléfono.",
                    now=step,
                )
                if story == "reopened":
                    case_services.case_reopen(
                        case=case,
                        actor=engineer,
                        reason="El cliente informa que el problema volvió a presentarse.",
                        now=step + timedelta(hours=20),
                    )
            except CaseError as error:  # a demo story that the rules refuse is skipped, not fatal
                self.stderr.write(f"  demo case skipped: {error.messages[0]}")

    def _surveys_and_consents(self) -> None:
        """Some closed demo cases were rated by their contacts (the rest of the surveys stay
        unanswered), and one portal contact agreed to receive product news."""
        from cases.models import SurveyOwed, SurveyResponse
        from cases.services.surveys import SurveyAnswers, survey_answer, survey_issue_token
        from contracts.models import NewsConsent
        from contracts.services.news import news_consent_give, news_consent_text

        if SurveyResponse.objects.exists():
            return
        ratings = [
            (5, 5, 5, 4, "Muy buena atención, resolvieron el mismo día."),
            (3, 4, 5, 3, ""),
            (4, 4, 4, 5, ""),
        ]
        owed = SurveyOwed.objects.filter(case__status="closed").select_related("case")
        owed = owed.order_by("created_at", "pk")
        for survey, (attention, knowledge, courtesy, quality, comment) in zip(owed, ratings, strict=False):
            sent = survey.created_at + timedelta(minutes=5)
            token = survey_issue_token(survey=survey, now=sent)
            SurveyOwed.objects.filter(pk=survey.pk).update(sent_at=sent, queued_at=sent)
            survey_answer(
                case_number=survey.case.number,
                token=token,
                answers=SurveyAnswers(attention, knowledge, courtesy, quality, comment),
                now=sent + timedelta(hours=2),
            )
        ana = TechnicalContact.objects.filter(email="ana.rodriguez@bancoandino.example").first()
        if ana is not None:
            news_consent_give(
                contact=ana,
                actor=ana.user,
                consent_text=news_consent_text(),
                source=NewsConsent.Source.PORTAL,
                now=timezone.now() - timedelta(days=10),
            )

    def _certificates(self, users: list) -> None:
        """A few support certificates (valid, replaced, revoked), issued by the admin."""
        from warranty.demo import demo_certificates

        admin = next(u for u, row in zip(users, STAFF, strict=True) if row[3] == roles.ADMIN)
        lines = demo_certificates(actor=admin)
        if lines:
            self.stdout.write("Support certificates (public verification):")
            for line in lines:
                self.stdout.write(line)

    def _monthly_report(self, today: date) -> None:
        """Last month's SLA report of the first demo customer (its contacts download it in the
        portal; managers on the dashboard). The beat job makes everyone's on the first business day.
        The report's aggregates are PostgreSQL's: on the embedded SQLite there is none."""
        from django.db import connection

        from reports import monthly
        from reports.services import monthly_report_generate

        if connection.vendor != "postgresql":
            return
        customer = Customer.objects.filter(name=CUSTOMERS[0][0]).first()
        if customer is not None:
            monthly_report_generate(customer=customer, month=monthly.previous_month(today))

    def _history_not_mailed(self, now) -> None:
        """The stories below happened in the demo's past: nobody is e-mailed about them when the
        desk starts, customers or staff (what happens from now on is mailed as usual)."""
        from escalation import services as escalation_services

        escalation_services.mail_history_until(
            at=now, reason="Datos de demostración: su historia no se envía por correo.", now=now
        )

    def _pqr(self, case, actor, now) -> None:
        """The customer does not accept the proposed procedure: a claim on the escalation matrix."""
        from escalation import services as escalation_services

        escalation_services.pqr_raise(
            actor=actor,
            case=case,
            contact=case.requester,
            kind="claim",
            description="El procedimiento propuesto no exporta los mensajes antiguos; pedimos una solución.",
            now=now,
        )

    def _print_logins(self, users: list, portal: list[str]) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Logins (password for all: {DEMO_PASSWORD})"))
        for user, (_u, _f, _l, role, _s) in zip(users, STAFF, strict=True):
            self.stdout.write(f"  {user.username:<16} {role}")
        for username in portal:
            self.stdout.write(f"  {username:<16} contacto técnico (portal)")
