"""Benchmark the engineers' case list at scale (PostgreSQL only).

    DJANGO_SETTINGS_MODULE=sma.settings.test \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sma_bench \\
    .venv/bin/python manage.py bench_cases --cases 1000000 --open 10000 --generate --runs 30

``--generate`` fills the current database with N cases in a few set-based SQL statements (a few
customers, contracts, installations, contacts and engineers are created with the ORM first), then
VACUUM ANALYZE. It refuses when cases already exist unless ``--force-generate``, which *adds* N cases
after the existing numbers (it never deletes anything). The year sequences (CaseSequence) are moved
to the highest serial handed out, so real registrations continue after the generated numbers.

Then the real case list view is requested through ``django.test.Client`` as a logged-in engineer
(DEBUG off) for the common filter sets: after warm-up requests, ``--runs`` timed requests each. It
prints p50 / p95 / max of the server time, the SQL time, the number of queries and the (capped)
matches as a table, and EXPLAIN (ANALYZE, BUFFERS) of the page and capped-count queries for a few
representative filters and for every filter that misses its target.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus
from cases.search import fold
from contracts import sla
from contracts.models import (
    AttentionPolicy,
    Customer,
    Installation,
    Product,
    SupportContract,
    SupportPlan,
    TechnicalContact,
)
from contracts.validators import nit_check_digit
from sma import roles
from sma.warmup import warm_up

from ._bench_http import nearest_rank, timed_get

BENCH_USERNAME = "bench"
SEARCH_WORD = "licencia"  # in one subject template in 40 and one description sentence in 50: ~8 %
MID_WORD = "integrador"  # in ~1 % of the descriptions
HYPHENATED_TERM = "srv-200"  # a host name, ~0.25 %; the parser also splits it into "srv" and "-200"
LIST_TARGET_MS = 50.0
SEARCH_TARGET_MS = 100.0
MAX_QUERIES = 10
YEARS = 3
BULK_THRESHOLD = 50_000  # from this size, secondary indexes are dropped and rebuilt around the load

# --- vocabulary (Spanish, with accents, so folding and search are exercised) -------------------

SYMPTOMS = [
    "La grabación se detiene",
    "Error al iniciar el servicio de grabación",
    "No hay audio en las llamadas grabadas",
    "El IVR no contesta las llamadas entrantes",
    "El marcador predictivo se cae",
    "Lentitud en la consola de supervisión",
    "Licencia vencida o no reconocida",
    "Los agentes no pueden iniciar sesión",
    "Pérdida de grabaciones del día anterior",
    "Consulta sobre la configuración de colas",
    "Los reportes muestran datos incompletos",
    "Falla en la sincronización con el directorio",
    "El correo de voz no envía notificaciones",
    "Las encuestas posllamada no se registran",
    "Los mensajes de WhatsApp quedan en cola",
    "La transcripción devuelve texto vacío",
    "El navegador no permite usar el micrófono",
    "Tarificación con valores duplicados",
    "La central IP reinicia sin aviso",
    "Teléfonos sin registro en la central",
    "Error de base de datos al exportar",
    "El tablero de analítica no carga",
    "Solicitud de actualización de versión",
    "Mantenimiento preventivo programado",
    "Cortes de audio en llamadas largas",
    "Eco en las llamadas salientes",
    "Las llamadas se transfieren a la extensión equivocada",
    "Certificado SSL vencido en el servidor",
    "Disco lleno en el servidor de grabación",
    "La integración CTI no muestra la ficha del cliente",
    "Caída del servicio después de un corte de energía",
    "Consulta sobre retención de grabaciones",
    "Usuarios bloqueados tras cambio de contraseña",
    "Alarma de temperatura en el servidor",
    "Los menús del IVR reproducen el audio equivocado",
    "Marcación lenta en campañas de cobranza",
    "Búsqueda de grabaciones sin resultados",
    "Fallo de respaldo nocturno",
    "Reclamo de garantía por falla de hardware",
    "Pregunta sobre compatibilidad con Windows Server",
]
CONTEXTS = [
    "desde esta mañana",
    "después de la actualización",
    "en horario pico",
    "en la sede principal",
    "tras reiniciar el servidor",
    "con usuarios remotos",
    "en todas las campañas",
    "solo en algunas extensiones",
    "de forma intermitente",
    "desde el cambio de red",
    "en la sucursal de Medellín",
    "en la sede de Cali",
    "en el centro de datos alterno",
    "al final del mes",
    "con el nuevo proveedor de telefonía",
    "después de migrar a la nube",
    "durante el cierre contable",
    "en el turno de la noche",
    "para los supervisores",
    "en la campaña de ventas",
    "tras instalar el parche",
    "en el ambiente de pruebas",
    "con más de cien agentes",
    "desde el fin de semana",
    "sin cambios recientes",
]
SENTENCES = [
    "El cliente reporta que el problema afecta a todos los agentes.",
    "Se reinició el servicio sin éxito.",
    "El registro de eventos muestra un tiempo de espera agotado.",
    "La falla comenzó después de aplicar las actualizaciones de Windows.",
    "No se observan alarmas en el monitoreo.",
    "El proveedor de red confirma que no hay cortes.",
    "Se adjuntan los registros del servidor.",
    "El usuario indica que el error aparece al abrir la consola.",
    "La base de datos creció más de lo esperado.",
    "El antivirus bloquea algunos archivos del producto.",
    "Se requiere acompañamiento para validar la configuración.",
    "El problema se presenta solo con llamadas entrantes.",
    "El problema se presenta solo con llamadas salientes.",
    "La licencia muestra una fecha de vencimiento incorrecta.",
    "El cliente solicita una visita en sitio.",
    "Se realizó una sesión remota para revisar el caso.",
    "El servidor tiene poco espacio libre en disco.",
    "La memoria del servidor está al límite.",
    "Los agentes escuchan un pitido al contestar.",
    "La central telefónica fue actualizada la semana pasada.",
    "El equipo de TI del cliente cambió las reglas del firewall.",
    "El certificado del portal expiró.",
    "No se generan los archivos de audio.",
    "Los reportes tardan varios minutos en cargar.",
    "La sincronización horaria del servidor está desfasada.",
    "El cliente necesita el procedimiento por escrito.",
    "Se sospecha de una falla en la tarjeta de red.",
    "Los troncales SIP se registran y se caen.",
    "El servicio consume toda la CPU.",
    "Se perdió la comunicación con el servidor de base de datos.",
    "La consola muestra caracteres extraños en los nombres.",
    "Hay llamadas que quedan en silencio.",
    "El cliente pregunta por el tiempo de retención.",
    "El error es reproducible en el ambiente de pruebas.",
    "El error no es reproducible en el ambiente de pruebas.",
    "Se recomendó actualizar a la última versión.",
    "El respaldo nocturno terminó con advertencias.",
    "La integración con el CRM devuelve un error de autenticación.",
    "Los supervisores no ven las estadísticas en tiempo real.",
    "La cola de mensajes tiene miles de elementos pendientes.",
    "El audio se escucha entrecortado.",
    "El cliente autoriza el reinicio fuera de horario.",
    "Se escaló al fabricante para análisis.",
    "Se solicita información sobre el nuevo módulo.",
    "El equipo fue trasladado a otra sede.",
    "El reloj del servidor cambió de zona horaria.",
    "Se actualizó el controlador de la tarjeta de audio.",
    "La aplicación se cierra sin mensaje de error.",
    "Los usuarios de la sede norte no tienen el problema.",
    "La falla coincide con la ventana de respaldo.",
]
PRODUCTS = [
    ("CTLog", False),
    ("CTLog Plus", False),
    ("CTVox", False),
    ("CTMail", False),
    ("CTDialer", False),
    ("CTAgent", False),
    ("CTiContRol", False),
    ("CTMessage", False),
    ("CTPos", False),
    ("CTTranscription", False),
    ("CTWebRTC", False),
    ("Dalí", False),
    ("Telemanagement", False),
    ("Denwa", False),
    ("Grandstream UCM6304", True),
]
NAME_PREFIXES = [
    "Banco",
    "Clínica",
    "Aseguradora",
    "Cooperativa",
    "Universidad",
    "Alcaldía de",
    "Hotel",
    "Distribuidora",
    "Telecomunicaciones",
    "Aerolínea",
    "Laboratorios",
    "Constructora",
]
NAME_PLACES = [
    "Andino",
    "del Caribe",
    "San Rafael",
    "Cóndor",
    "del Pacífico",
    "Montaña",
    "del Eje",
    "Bahía",
    "Sabana",
    "de los Llanos",
    "Nevado",
    "Guadalupe",
    "Río Magdalena",
    "Santa Fe",
    "Orinoquía",
]
CITIES = ["Bogotá", "Medellín", "Cali", "Barranquilla", "Bucaramanga", "Manizales", "Pereira", "Cartagena"]
FIRST_NAMES = ["Camilo", "Laura", "Andrés", "Valentina", "Santiago", "Daniela", "Felipe", "Catalina"]
LAST_NAMES = ["Suárez", "Gómez", "Rodríguez", "Martínez", "López", "Hernández", "Díaz", "Álvarez"]
OS_CHOICES = [("Windows Server", "2019"), ("Windows Server", "2022"), ("Red Hat Enterprise Linux", "9")]

SORT_KEYS = ("due", "-due", "registered", "-registered", "priority", "-number")


def _words(text: str, n: int) -> list[str]:
    """The first n words of a text (a long search as a user pastes it)."""
    return [w.strip(".,") for w in text.split()][:n]


def _short_name(name: str) -> str:
    """A customer's name as typed: without the company suffix, lower case."""
    return name.replace(" S.A.S.", "").replace(" S.A.", "").lower()


# Which filters are EXPLAINed by default (plus every filter that misses its target).
EXPLAIN_DEFAULT = ("default", "assignee=me", "q=word&status=all", "priority=P2&status=all&sort=due")


@dataclass
class Sample:
    label: str
    params: dict[str, Any]
    target_ms: float
    times_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    queries: int = 0
    matches: int | None = None
    page_sql: str = ""
    count_sql: str = ""
    url: str = "cases:list"
    cold_ms: float = float("nan")  # the first request on a fresh connection

    @property
    def path(self) -> str:
        return reverse(self.url) + (f"?{urlencode(self.params)}" if self.params else "")

    def p(self, q: float, values: list[float] | None = None) -> float:
        return nearest_rank(self.times_ms if values is None else values, q)

    @property
    def ok(self) -> bool:
        return (
            self.p(0.95) <= self.target_ms
            and self.queries <= MAX_QUERIES
            and not self.cold_ms > self.target_ms  # NaN (not measured) passes
        )


class Command(BaseCommand):
    help = "Fill the database with N realistic cases (--generate) and time the case list view."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=1_000_000, help="cases to generate (1,000,000)")
        parser.add_argument("--open", type=int, default=None, help="open cases among them (~1 %%)")
        parser.add_argument("--generate", action="store_true", help="fill the database first")
        parser.add_argument(
            "--force-generate",
            action="store_true",
            help="generate even if cases exist: adds N more after the existing numbers",
        )
        parser.add_argument("--runs", type=int, default=30, help="timed requests per filter (30)")
        parser.add_argument("--warmup", type=int, default=2, help="untimed requests per filter (2)")
        parser.add_argument("--seed", type=int, default=42, help="random seed for the generated data")
        parser.add_argument("--no-bench", action="store_true", help="only generate, do not measure")
        parser.add_argument(
            "--explain",
            choices=["auto", "all", "none"],
            default="auto",
            help="EXPLAIN representative filters and misses (auto), every filter, or none",
        )
        parser.add_argument(
            "--pages",
            choices=["no", "also", "only"],
            default="no",
            help="also (or only) time the case page with long timelines and the admin lists; "
            "this writes two long timelines and an admin user into the database",
        )

    # ------------------------------------------------------------------------------------------

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_cases needs PostgreSQL (it uses generate_series, full-text search and "
                f"EXPLAIN (ANALYZE, BUFFERS)); this database is {connection.vendor}. Set DATABASE_URL, "
                "e.g. postgres://postgres@127.0.0.1:5432/sma_bench, and run migrate first."
            )
        n = options["cases"]
        if n < 1:
            raise CommandError("--cases must be at least 1.")
        n_open = options["open"] if options["open"] is not None else max(1, n // 100)
        n_open = max(0, min(n_open, n))
        user = self._bench_user()

        if options["generate"] or options["force_generate"]:
            existing = Case.objects.exists()
            if existing and not options["force_generate"]:
                raise CommandError(
                    f"{connection.settings_dict['NAME']} already has cases; not generating. Run without "
                    "--generate to measure them, or pass --force-generate to add N more."
                )
            self._generate(n=n, n_open=n_open, seed=options["seed"], bench_user=user)

        if options["no_bench"]:
            return
        if options["pages"] != "no":
            from ._bench_pages import bench_pages

            bench_pages(
                bench_user=user,
                runs=max(1, options["runs"]),
                warmup=max(0, options["warmup"]),
                explain=options["explain"] != "none",
                write=self.stdout.write,
            )
            if options["pages"] == "only":
                return
        self._bench(
            user=user,
            runs=max(1, options["runs"]),
            warmup=max(0, options["warmup"]),
            explain=options["explain"],
        )

    # --- generation ----------------------------------------------------------------------------

    def _bench_user(self):
        User = get_user_model()
        groups = roles.roles_sync()
        user, _ = User.objects.get_or_create(
            username=BENCH_USERNAME,
            defaults={"first_name": "Banco", "last_name": "de Pruebas", "is_staff": True},
        )
        if not user.is_staff or not user.is_active:
            user.is_staff = user.is_active = True
            user.save(update_fields=["is_staff", "is_active"])
        user.groups.add(groups[roles.ENGINEER])
        return user

    def _reference_data(self, *, bench_user) -> tuple[list[tuple], list[int]]:
        """Customers, products, contracts, installations, contacts and engineers (get-or-create).

        Returns the installation "slots" the cases are spread over and the engineers' ids.
        """
        User = get_user_model()
        groups = roles.roles_sync()
        engineer_ids = [bench_user.pk]
        for i in range(24):
            eng, _ = User.objects.get_or_create(
                username=f"bench.ing{i + 1:02d}",
                defaults={
                    "first_name": FIRST_NAMES[i % len(FIRST_NAMES)],
                    "last_name": LAST_NAMES[(i * 3) % len(LAST_NAMES)],
                    "is_staff": True,
                    "email": f"bench.ing{i + 1:02d}@calltech.example",
                },
            )
            eng.groups.add(groups[roles.ENGINEER])
            engineer_ids.append(eng.pk)

        products = [
            Product.objects.get_or_create(name=name, defaults={"is_third_party": third})[0]
            for name, third in PRODUCTS
        ]
        plans = {p.code: p for p in SupportPlan.objects.all()}
        if not plans:
            raise CommandError("No support plans: run migrate (the plans are seeded by a migration).")
        gold = plans.get("GOLD_8X5") or next(iter(plans.values()))
        platinum = plans.get("PLATINUM_24X7") or gold
        today = timezone.localdate()
        slots: list[tuple] = []
        for i in range(60):
            base = str(950_000_000 + i)
            name = f"{NAME_PREFIXES[i % 12]} {NAME_PLACES[(i * 7) % 15]}" + (" S.A.S." if i % 3 else " S.A.")
            customer, _ = Customer.objects.get_or_create(
                nit=f"{base}-{nit_check_digit(base)}",
                defaults={
                    "name": name,
                    "customer_number": f"95{i:04d}",
                    "city": CITIES[i % len(CITIES)],
                    "address": f"Calle {10 + i} # {i + 1}-20",
                },
            )
            installations = list(customer.installations.order_by("pk"))
            if not installations:
                for j in range(1 + i % 3):
                    os_name, os_version = OS_CHOICES[(i + j) % len(OS_CHOICES)]
                    installations.append(
                        Installation.objects.create(
                            customer=customer,
                            product=products[(i * 5 + j * 3) % len(products)],
                            version=f"{5 + (i + j) % 4}.{(i * j) % 10}",
                            build=str(1000 + (i * 37 + j) % 900),
                            operating_system=os_name,
                            os_version=os_version,
                            site="Sede principal" if j == 0 else f"Sede {j + 1}",
                        )
                    )
            contract, created = SupportContract.objects.get_or_create(
                number=f"BENCH-{i + 1:03d}",
                defaults={
                    "customer": customer,
                    "plan": platinum if i % 5 in (0, 3) else gold,
                    "start_date": today - timedelta(days=365 * YEARS + 30),
                    "end_date": today + timedelta(days=365),
                    "max_technical_contacts": 3,
                },
            )
            if created:
                contract.installations.set(installations)
            contacts = list(customer.technical_contacts.order_by("pk"))
            if not contacts:
                for j in range(1 + i % 2):
                    contacts.append(
                        TechnicalContact.objects.create(
                            customer=customer,
                            full_name=f"{FIRST_NAMES[(i + j) % 8]} {LAST_NAMES[(i + 2 * j) % 8]}",
                            position="Administrador de plataforma",
                            phone="+57 601 6356535",
                            email=f"contacto{j + 1}@cliente{i + 1:02d}.example",
                        )
                    )
            for inst in installations:
                slots.append(
                    (
                        customer.pk,
                        fold(customer.name),
                        contract.pk,
                        contract.plan_id,
                        inst.pk,
                        inst.product_id,
                        inst.product.name,
                        fold(inst.product.name),
                        inst.version,
                        inst.build,
                        inst.operating_system,
                        inst.os_version,
                        [c.pk for c in contacts],
                    )
                )
        return slots, engineer_ids

    def _policy_rows(self) -> list[tuple[int, str, float, float]]:
        """(plan id, priority, average calendar hours to the deadline) from the real SLA engine."""
        snap = sla.snapshot()
        anchor = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=14)
        samples = [anchor + timedelta(hours=7 * k + 0.5) for k in range(24)]  # across a week
        rows = []
        for policy in AttentionPolicy.objects.select_related("plan"):
            try:
                spans = [
                    (snap.attention_deadline(t, policy.plan.code, policy.priority) - t).total_seconds() / 3600
                    for t in samples
                ]
            except Exception:  # a misconfigured policy: fall back to office hours
                spans = [float(policy.hours) * 168 / 40]
            mean = statistics.fmean(spans)
            # Business hours per calendar hour: the generated business durations (reports) scale
            # calendar spans by it.
            rows.append((policy.plan_id, policy.priority, mean, float(policy.hours) / mean if mean else 1.0))
        return rows

    def _generate(self, *, n: int, n_open: int, seed: int, bench_user) -> None:
        started = time.perf_counter()
        db = connection.settings_dict["NAME"]
        self.stdout.write(f"Generating {n:,} cases (~{n_open:,} open) in {db} …")
        with transaction.atomic():
            slots, engineer_ids = self._reference_data(bench_user=bench_user)
            policy = self._policy_rows()
        t_ref = time.perf_counter()
        self.stdout.write(
            f"  reference data: {len({s[0] for s in slots})} customers, {len(slots)} installations, "
            f"{len(engineer_ids)} engineers ({t_ref - started:.1f} s)"
        )

        now = timezone.now()
        start = now - timedelta(days=365 * YEARS)
        window = min(n, 4 * n_open)
        p_recent = 0.8 * n_open / window if window else 0.0
        p_tail = 0.2 * n_open / max(1, n - window)
        params = {
            "n": n,
            "now": now,
            "start": start,
            "step": timedelta(days=365 * YEARS) / n,
            "tz": settings.TIME_ZONE,
            "nslots": len(slots),
            "skew": 1.6,
            "window": window,
            "p_recent": p_recent,
            "p_tail": p_tail,
            "engineers": engineer_ids,
            "neng": len(engineer_ids),
            "at_risk": sla.snapshot().at_risk_share,
            "syms": SYMPTOMS,
            "syms_f": [fold(s) for s in SYMPTOMS],
            "ctxs": CONTEXTS,
            "ctxs_f": [fold(s) for s in CONTEXTS],
            "sens": SENTENCES,
            "sens_f": [fold(s) for s in SENTENCES],
            "nsym": len(SYMPTOMS),
            "nctx": len(CONTEXTS),
            "nsen": len(SENTENCES),
        }
        with transaction.atomic(), connection.cursor() as cur:
            inserted = self._load(cur, params=params, slots=slots, policy=policy, seed=seed)
        t2 = time.perf_counter()
        with connection.cursor() as cur:
            if connection.in_atomic_block:  # e.g. inside a test transaction: VACUUM cannot run
                cur.execute("ANALYZE cases_case")
            else:
                cur.execute("VACUUM (ANALYZE) cases_case")
        t3 = time.perf_counter()
        self.stdout.write(f"  vacuum/analyze ({t3 - t2:.1f} s)")
        total = Case.objects.count()
        opened = Case.objects.exclude(status=CaseStatus.CLOSED).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {inserted:,} cases in {t3 - started:.1f} s; the database now has {total:,} "
                f"cases, {opened:,} open."
            )
        )

    def _load(
        self, cur, *, params: dict[str, Any], slots: list[tuple], policy: list[tuple], seed: int
    ) -> int:
        """The set-based load, in the caller's transaction; returns the number of rows inserted."""
        n = params["n"]
        cur.execute("SELECT setseed(%s)", [(seed % 2000) / 1000.0 - 1.0])
        cur.execute("SET LOCAL work_mem = '256MB'")
        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cur.execute(DROP_TEMP_SQL)  # ON COMMIT DROP does not fire inside an outer transaction
        cur.execute(
            "CREATE TEMP TABLE bench_slot (k int PRIMARY KEY, customer_id bigint, customer_f text, "
            "contract_id bigint, plan_id bigint, installation_id bigint, product_id bigint, "
            "product_name text, product_f text, version text, build text, os text, os_version text, "
            "requesters bigint[]) ON COMMIT DROP"
        )
        cur.executemany(
            "INSERT INTO bench_slot VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [(k + 1, *slot) for k, slot in enumerate(slots)],
        )
        cur.execute(
            "CREATE TEMP TABLE bench_policy (plan_id bigint, priority text, cal_hours float8, ratio float8) "
            "ON COMMIT DROP"
        )
        cur.executemany("INSERT INTO bench_policy VALUES (%s, %s, %s, %s)", policy)
        # Serials continue after the existing numbers and sequences of each year.
        cur.execute(
            "CREATE TEMP TABLE bench_year_base ON COMMIT DROP AS "
            "SELECT year, max(last) AS base FROM ("
            "  SELECT year::int AS year, last::int AS last FROM cases_casesequence"
            "  UNION ALL"
            "  SELECT substring(number FROM 5 FOR 4)::int, substring(number FROM 10)::int"
            "  FROM cases_case WHERE number ~ '^SMA-[0-9]{4}-[0-9]+$'"
            ") s GROUP BY year"
        )
        dropped = self._drop_secondary_indexes(cur) if n >= BULK_THRESHOLD else []
        replica = n >= BULK_THRESHOLD and self._is_superuser(cur)
        if replica:
            # The rows reference only rows just read, so skip the 9 deferred FK checks per row
            # (and the triggers: the search vocabulary is added below, in one statement).
            cur.execute("SET LOCAL session_replication_role = replica")
        t0 = time.perf_counter()
        cur.execute(INSERT_SQL, params)
        inserted = cur.rowcount
        t1 = time.perf_counter()
        self.stdout.write(f"  inserted {inserted:,} cases ({t1 - t0:.1f} s)")
        cur.execute("SET LOCAL session_replication_role = DEFAULT")
        if replica:
            cur.execute(VOCABULARY_SQL)
            self.stdout.write(f"  search vocabulary ({time.perf_counter() - t1:.1f} s)")
            t1 = time.perf_counter()
        if dropped:
            for name, ddl in dropped:
                t = time.perf_counter()
                cur.execute(ddl)
                self.stdout.write(f"    rebuilt {name} ({time.perf_counter() - t:.1f} s)")
            self.stdout.write(f"  rebuilt {len(dropped)} indexes ({time.perf_counter() - t1:.1f} s)")
        cur.execute(
            "INSERT INTO cases_casesequence (year, last) "
            "SELECT substring(number FROM 5 FOR 4)::int, max(substring(number FROM 10)::int) "
            "FROM cases_case WHERE number ~ '^SMA-[0-9]{4}-[0-9]+$' GROUP BY 1 "
            "ON CONFLICT (year) DO UPDATE SET last = GREATEST(cases_casesequence.last, EXCLUDED.last)"
        )
        cur.execute(DROP_TEMP_SQL)
        return inserted

    @staticmethod
    def _is_superuser(cur) -> bool:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cur.fetchone()
        return bool(row and row[0])

    @staticmethod
    def _drop_secondary_indexes(cur) -> list[tuple[str, str]]:
        """Drop cases_case's indexes that back no constraint (rebuilt, same DDL, in the same
        transaction: a failure rolls the drop back too)."""
        cur.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = 'cases_case'::regclass "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
            "ORDER BY i.relname"
        )
        rows = cur.fetchall()
        for name, _ddl in rows:
            cur.execute(f'DROP INDEX "{name}"')
        return rows

    # --- measurement -----------------------------------------------------------------------------

    def _samples(self, user) -> list[Sample]:
        """Every list the product offers: the case list's filters, sorts and searches, the PQR
        queue (and, added next to these, other lists) — one function per list."""
        return [*self._case_list_samples(user), *self._pqr_queue_samples()]

    def _case_list_samples(self, user) -> list[Sample]:
        """The case list: every filter, every sort, searches short and long, numbers and names."""
        with connection.cursor() as cur:
            cur.execute("SELECT customer_id FROM cases_case GROUP BY customer_id ORDER BY count(*) DESC, 1")
            by_size = [row[0] for row in cur.fetchall()]
        fallback = Customer.objects.values_list("pk", flat=True).first() or 0
        big = by_size[0] if by_size else fallback
        rare = by_size[-1] if by_size else fallback
        rare_name = Customer.objects.filter(pk=rare).values_list("name", flat=True).first() or ""
        big_name = Customer.objects.filter(pk=big).values_list("name", flat=True).first() or ""
        engineer = (
            Case.objects.exclude(assigned_to=None).values_list("assigned_to_id", flat=True).first() or user.pk
        )
        number = (
            Case.objects.exclude(status=CaseStatus.CLOSED)
            .order_by("attention_due_at")
            .values_list("number", flat=True)[:1]
            .first()
            or Case.objects.values_list("number", flat=True).first()
            or "SMA-2026-000001"
        )
        oldest = Case.objects.order_by("registered_at").values_list("number", flat=True).first() or number
        old_prefix = oldest[:8].lower()  # "sma-2023": a year's case numbers
        sample_text = (
            Case.objects.filter(description__contains="0x8004").values_list("description", flat=True).first()
        )
        match = re.search(r"0x8004[0-9A-Fa-f]{4}", sample_text or "")
        rare_code = match.group(0).lower() if match else "0x80040154"
        long_text = " ".join(_words(sample_text or SENTENCES[0], 8))[:200]
        t, s = LIST_TARGET_MS, SEARCH_TARGET_MS
        a = {"status": "all"}
        samples = [
            Sample("default", {}, t),
            Sample("status=all", dict(a), t),
            *(Sample(f"status={v}", {"status": v}, t) for v in CaseStatus.values),
            Sample("status=closed&page=200", {"status": "closed", "page": 200}, t),
            Sample("status=all&page=40&per_page=100", {**a, "page": 40, "per_page": 100}, t),
            Sample("assignee=me", {"assignee": "me"}, t),
            Sample("assignee=none", {"assignee": "none"}, t),
            Sample("assignee=<id>&status=all", {**a, "assignee": engineer}, t),
            Sample("assignee=none&status=all", {**a, "assignee": "none"}, t),
            *(Sample(f"priority={p}", {"priority": p}, t) for p in ("P1", "P2", "P3", "P4")),
            *(Sample(f"priority={p}&status=all", {**a, "priority": p}, t) for p in ("P1", "P4")),
            Sample("plan=GOLD_8X5", {"plan": "GOLD_8X5"}, t),
            Sample("plan=GOLD_8X5&status=all", {**a, "plan": "GOLD_8X5"}, t),
            Sample("plan=PLATINUM_24X7&status=all", {**a, "plan": "PLATINUM_24X7"}, t),
            Sample("customer=<big>&status=all", {**a, "customer": big}, t),
            Sample("customer=<rare>&status=all", {**a, "customer": rare}, t),
            Sample("customer=<rare>", {"customer": rare}, t),
            Sample(
                "priority+plan+customer&status=all",
                {**a, "priority": "P1", "plan": "GOLD_8X5", "customer": big},
                t,
            ),
            Sample(
                "priority+plan+customer<rare>&status=all",
                {**a, "priority": "P2", "plan": "GOLD_8X5", "customer": rare},
                t,
            ),
            Sample(
                "priority+assignee+sla&status=all",
                {**a, "priority": "P2", "assignee": engineer, "sla": "missed"},
                t,
            ),
            *(Sample(f"sla={v}", {"sla": v}, t) for v in ("breached", "at_risk", "met", "missed")),
            *(
                Sample(f"sla={v}&status=all", {**a, "sla": v}, t)
                for v in ("breached", "at_risk", "met", "missed")
            ),
            Sample("sla=missed&customer=<rare>&status=all", {**a, "sla": "missed", "customer": rare}, t),
            *(Sample(f"sort={v}", {"sort": v}, t) for v in SORT_KEYS),
            *(Sample(f"sort={v}&status=all", {**a, "sort": v}, t) for v in SORT_KEYS),
            Sample("sort=priority&priority=P3&status=all", {**a, "sort": "priority", "priority": "P3"}, t),
            Sample("priority=P2&status=all&sort=due", {**a, "priority": "P2", "sort": "due"}, t),
            Sample("sort=due&customer=<rare>&status=all", {**a, "sort": "due", "customer": rare}, t),
            # Searches: what a user types.
            Sample("q=word&status=all", {**a, "q": SEARCH_WORD}, s),
            Sample("q=word", {"q": SEARCH_WORD}, s),
            Sample("q=word&status=all&page=30", {**a, "q": SEARCH_WORD, "page": 30}, s),
            Sample("q=word&sort=priority&status=all", {**a, "q": SEARCH_WORD, "sort": "priority"}, s),
            Sample("q=mid&status=all", {**a, "q": MID_WORD}, s),
            Sample("q=hyphenated&status=all", {**a, "q": HYPHENATED_TERM}, s),
            Sample("q=rare&status=all", {**a, "q": rare_code}, s),
            Sample("q=short 'la'&status=all", {**a, "q": "la"}, s),
            Sample("q=one letter&status=all", {**a, "q": "e"}, s),
            Sample("q=two words&status=all", {**a, "q": "grabación servidor"}, s),
            Sample("q=eight words 200 chars&status=all", {**a, "q": long_text}, s),
            Sample("q=<number>", {"q": number}, s),
            Sample("q=<number, short form>", {"q": number[4:].lstrip("0")}, s),
            Sample("q=old number prefix&status=all", {**a, "q": old_prefix}, s),
            Sample("q=old number prefix", {"q": old_prefix}, s),
            Sample("q=digits '2024'&status=all", {**a, "q": "2024"}, s),
            Sample("q=digits '000338'&status=all", {**a, "q": "000338"}, s),
            Sample("q=customer name&status=all", {**a, "q": _short_name(big_name)}, s),
            Sample("q='banco andino'&status=all", {**a, "q": "banco andino"}, s),
            Sample("q=rare customer name&status=all", {**a, "q": _short_name(rare_name)}, s),
            Sample(
                "q=word+rare customer&status=all", {**a, "q": f"{SEARCH_WORD} {_short_name(rare_name)}"}, s
            ),
            Sample("q=word&customer=<rare>&status=all", {**a, "q": SEARCH_WORD, "customer": rare}, s),
            Sample(
                "q=word&priority=P1&plan&status=all",
                {**a, "q": SEARCH_WORD, "priority": "P1", "plan": "PLATINUM_24X7"},
                s,
            ),
            Sample("q=no match&status=all", {**a, "q": "zzzqqq"}, s),
            Sample("q=1000 chars (refused)&status=all", {**a, "q": ("licencia " * 112)[:1000]}, s),
        ]
        return samples

    def _pqr_queue_samples(self) -> list[Sample]:
        """The managers' PQR queue, each tab."""
        t = LIST_TARGET_MS
        return [
            Sample("pqr: open", {}, t, url="escalation:pqr_queue"),
            Sample("pqr: resolved", {"status": "resolved"}, t, url="escalation:pqr_queue"),
            Sample("pqr: all", {"status": "all"}, t, url="escalation:pqr_queue"),
        ]

    def _bench(self, *, user, runs: int, warmup: int, explain: str) -> None:
        samples = self._samples(user)
        by_label = {s.label: s for s in samples}
        total = Case.objects.count()
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            version = cur.fetchone()[0]
            cur.execute("SHOW jit")
            jit = cur.fetchone()[0]
        self.stdout.write("")
        self.stdout.write(
            f"Case list benchmark · {connection.settings_dict['NAME']} · {total:,} cases · PostgreSQL "
            f"{version} (jit={jit}) · settings {settings.SETTINGS_MODULE} · DEBUG="
            f"{settings.DEBUG} → forced off · {warmup} warm-up + {runs} timed requests per filter"
        )
        self.stdout.write(
            f"  q: word={SEARCH_WORD!r} mid={MID_WORD!r} hyphenated={HYPHENATED_TERM!r} "
            f"rare={by_label['q=rare&status=all'].params['q']!r} "
            f"number={by_label['q=<number>'].params['q']!r}; "
            f"customer: big={by_label['customer=<big>&status=all'].params['customer']} "
            f"rare={by_label['customer=<rare>&status=all'].params['customer']}; "
            f"user={user.username} (id {user.pk}); cold = first request on a fresh connection "
            "(DISCARD ALL; the server's caches stay warm; the process warmed up as sma/wsgi.py does "
            "a web worker; the web keeps a connection DATABASE_CONN_MAX_AGE s, 600 by default)"
        )
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
            warm_up()  # what every web worker does when it starts (sma/wsgi.py)
            client = Client()
            client.force_login(user)
            try:
                for sample in samples:
                    self._measure(client, sample, runs=runs, warmup=warmup)
            finally:
                client.logout()
        self._print_table(samples)
        if explain != "none":
            for sample in samples:
                if explain == "all" or sample.label in EXPLAIN_DEFAULT or not sample.ok:
                    self._explain(sample)

    def _measure(self, client: Client, sample: Sample, *, runs: int, warmup: int) -> None:
        path = sample.path
        if not connection.in_atomic_block:  # (inside a test's transaction the connection stays)
            connection.close()  # cold: a fresh connection (new backend, empty plan and catalog caches)
            with connection.cursor() as cur:
                cur.execute("DISCARD ALL")
        t0 = time.perf_counter()
        client.get(path)
        sample.cold_ms = (time.perf_counter() - t0) * 1000
        for i in range(warmup + runs):
            timed = timed_get(client, path)
            if timed.response.status_code != 200:
                raise CommandError(
                    f"GET {path} → {timed.response.status_code}: {timed.response.content[:300]!r}"
                )
            if i >= warmup:
                sample.times_ms.append(timed.wall_ms)
                sample.sql_ms.append(timed.sql_ms)
                sample.cpu_ms.append(timed.cpu_ms)
        sample.queries = len(timed.queries)
        for query in timed.queries:
            sql = query["sql"]
            if '"cases_case"' not in sql:
                continue
            if sql.startswith("SELECT COUNT(*)"):
                sample.count_sql = sql
            elif "LIMIT" in sql:
                sample.page_sql = sql
        if sample.count_sql:
            with connection.cursor() as cur:
                cur.execute(sample.count_sql)
                sample.matches = cur.fetchone()[0]

    def _print_table(self, samples: list[Sample]) -> None:
        header = (
            f"{'filter':<40} {'matches':>8} {'cold ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
            f"{'sql p50':>8} {'cpu p50':>8} {'queries':>7} {'target':>7}  result"
        )
        self.stdout.write("")
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for s in samples:
            matches = (
                "—" if s.matches is None else (f"{s.matches - 1}+" if s.matches > 1000 else str(s.matches))
            )
            result = "ok" if s.ok else "MISS"
            line = (
                f"{s.label:<40} {matches:>8} {s.cold_ms:>8.1f} {s.p(0.5):>8.1f} {s.p(0.95):>8.1f} "
                f"{max(s.times_ms):>8.1f} "
                f"{statistics.median(s.sql_ms):>8.1f} {statistics.median(s.cpu_ms):>8.1f} "
                f"{s.queries:>7} {s.target_ms:>7.0f}  {result}"
            )
            self.stdout.write(line if s.ok else self.style.WARNING(line))
        misses = [s.label for s in samples if not s.ok]
        self.stdout.write(
            "ms = wall time of the whole request in the view stack (middleware, view, queries, template); "
            "sql = time in the database; cpu = this process's CPU (Python). p95 = nearest rank."
        )
        if misses:
            self.stdout.write(self.style.WARNING(f"{len(misses)} filter(s) missed: {', '.join(misses)}"))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"All {len(samples)} filters within target (p95 ≤ {LIST_TARGET_MS:.0f} ms, "
                    f"≤ {SEARCH_TARGET_MS:.0f} ms with search; ≤ {MAX_QUERIES} queries)."
                )
            )

    def _explain(self, sample: Sample) -> None:
        for kind, sql in (("page", sample.page_sql), ("capped count", sample.count_sql)):
            if not sql:
                continue
            self.stdout.write("")
            self.stdout.write(f"=== EXPLAIN {sample.label} · {kind} query ===")
            self.stdout.write(sql)
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                for (line,) in cur.fetchall():
                    self.stdout.write("  " + line)


# The search vocabulary (migration 0017) of every case, as its INSERT trigger would have added it.
VOCABULARY_SQL = (
    "INSERT INTO cases_searchlexeme (word) "
    "SELECT DISTINCT w FROM cases_case, unnest(tsvector_to_array(search_tsv)) AS w "
    "ON CONFLICT DO NOTHING"
)

DROP_TEMP_SQL = "DROP TABLE IF EXISTS pg_temp.bench_slot, pg_temp.bench_policy, pg_temp.bench_year_base"

# One statement: 1M rows from generate_series, with the distributions documented inline. Every
# random draw is made once per row in the MATERIALIZED CTE, so later CASEs see consistent values.
INSERT_SQL = """
INSERT INTO cases_case (
    number, customer_id, contract_id, plan_id, installation_id, product_id, requester_id,
    channel, kind, priority, tier, status, subject, description, product_version, product_build,
    operating_system, os_version, reproducer, registered_by_id, assigned_to_id, registered_at,
    attention_due_at, attention_at_risk_at, first_response_at, attention_met, solution_kind,
    solution, closed_at, close_reason, duplicate_of_id, updated_at, search_document,
    first_response_business_seconds, resolution_business_seconds, reopen_count
)
WITH src AS MATERIALIZED (
    SELECT g,
        -- strictly increasing over the last YEARS years, one slot of `step` per case
        %(start)s::timestamptz + ((g - 1) + random()) * %(step)s::interval AS reg,
        -- skewed: the first installations (customers) get many more cases than the last
        1 + floor(power(random(), %(skew)s) * %(nslots)s)::int AS k,
        random() AS r_open, random() AS r_status, random() AS r_pri, random() AS r_asg,
        random() AS r_eng, random() AS r_resp, random() AS r_frac, random() AS r_clamp,
        random() AS r_close, random() AS r_reason, random() AS r_chan, random() AS r_kind,
        random() AS r_tier, random() AS r_req, random() AS r_err,
        1 + floor(random() * %(nsym)s)::int AS i_sym,
        1 + floor(random() * %(nctx)s)::int AS i_ctx,
        1 + floor(random() * %(nsen)s)::int AS i_s1,
        1 + floor(random() * %(nsen)s)::int AS i_s2,
        1 + floor(random() * %(nsen)s)::int AS i_s3,
        floor(random() * 65536)::int AS err,
        floor(random() * 400)::int AS host
    FROM generate_series(1, %(n)s) AS g
),
a AS (
    SELECT src.*, sl.customer_id, sl.customer_f, sl.contract_id, sl.plan_id, sl.installation_id,
        sl.product_id, sl.product_name, sl.product_f, sl.version, sl.build, sl.os, sl.os_version,
        sl.requesters,
        -- open: most among the newest 4×open cases, a tail of old ones (waiting, reopened…)
        (src.g > %(n)s - %(window)s AND src.r_open < %(p_recent)s) OR src.r_open < %(p_tail)s AS is_open,
        CASE WHEN r_pri < 0.01 THEN '' WHEN r_pri < 0.06 THEN 'P1' WHEN r_pri < 0.26 THEN 'P2'
             WHEN r_pri < 0.74 THEN 'P3' ELSE 'P4' END AS pri,
        extract(year FROM src.reg AT TIME ZONE %(tz)s)::int AS yr
    FROM src JOIN bench_slot sl ON sl.k = src.k
),
b AS (
    SELECT a.*,
        CASE WHEN NOT a.is_open THEN 'closed'
             WHEN a.reg > %(now)s - interval '2 days' THEN
                CASE WHEN r_status < 0.45 THEN 'new' WHEN r_status < 0.70 THEN 'assigned'
                     WHEN r_status < 0.95 THEN 'in_progress' ELSE 'waiting_customer' END
             ELSE
                CASE WHEN r_status < 0.03 THEN 'new' WHEN r_status < 0.13 THEN 'assigned'
                     WHEN r_status < 0.48 THEN 'in_progress' WHEN r_status < 0.78 THEN 'waiting_customer'
                     WHEN r_status < 0.93 THEN 'solution_proposed' ELSE 'reopened' END
        END AS st,
        a.reg + p.cal_hours * interval '1 hour' AS due,
        a.reg + p.cal_hours * %(at_risk)s * interval '1 hour' AS risk,
        p.ratio AS ratio
    FROM a LEFT JOIN bench_policy p ON p.plan_id = a.plan_id AND p.priority = a.pri
),
c AS (
    SELECT b.*,
        CASE WHEN st = 'closed'
             THEN LEAST(%(now)s, reg + interval '1 hour' + r_close * r_close * interval '30 days') END
             AS closed,
        CASE WHEN st = 'closed' THEN r_resp < 0.97
             WHEN st = 'new' THEN false
             WHEN st = 'assigned' THEN r_resp < 0.5
             ELSE r_resp < 0.95 END AS responded,
        CASE WHEN st = 'new' THEN NULL
             WHEN st = 'closed' AND r_asg < 0.03 THEN NULL
             ELSE (%(engineers)s::bigint[])[1 + floor(r_eng * %(neng)s)::int] END AS assignee
    FROM b
),
d AS (
    SELECT c.*,
        CASE WHEN NOT responded THEN NULL
             -- ~89 %% in time: a share of the attention window up to 1.12
             ELSE LEAST(
                 reg + CASE WHEN due IS NULL THEN r_frac * interval '8 hours'
                            ELSE (due - reg) * (r_frac * 1.12) END,
                 COALESCE(closed, reg + (%(now)s - reg) * r_clamp)
             ) END AS fr
    FROM c
),
e AS (
    SELECT d.*,
        COALESCE(yb.base, 0) + row_number() OVER (PARTITION BY d.yr ORDER BY d.g) AS serial,
        CASE WHEN r_err < 0.6 THEN '0x8004' || lpad(upper(to_hex(err)), 4, '0') END AS errcode
    FROM d LEFT JOIN bench_year_base yb ON yb.year = d.yr
),
f AS (
    SELECT e.*,
        'SMA-' || yr::text || '-'
            || CASE WHEN serial < 1000000 THEN lpad(serial::text, 6, '0') ELSE serial::text END AS num,
        (%(syms)s::text[])[i_sym] || ' en ' || product_name || ' ' || (%(ctxs)s::text[])[i_ctx] AS subj,
        (%(syms_f)s::text[])[i_sym] || ' en ' || product_f || ' ' || (%(ctxs_f)s::text[])[i_ctx]
            AS subj_f,
        (%(sens)s::text[])[i_s1] || ' ' || (%(sens)s::text[])[i_s2]
            || COALESCE(' Código de error ' || errcode || '.', '')
            || ' Servidor srv-' || lpad(host::text, 3, '0') || ', versión ' || version || '. '
            || (%(sens)s::text[])[i_s3]
            || CASE WHEN r_err >= 0.6 AND r_err < 0.61
                    THEN ' Requiere intervención del integrador.' ELSE '' END
            AS descr,
        (%(sens_f)s::text[])[i_s1] || ' ' || (%(sens_f)s::text[])[i_s2]
            || COALESCE(' codigo de error ' || lower(errcode) || '.', '')
            || ' servidor srv-' || lpad(host::text, 3, '0') || ', version ' || lower(version) || '. '
            || (%(sens_f)s::text[])[i_s3]
            || CASE WHEN r_err >= 0.6 AND r_err < 0.61
                    THEN ' requiere intervencion del integrador.' ELSE '' END
            AS descr_f
    FROM e
)
SELECT
    num, customer_id, contract_id, plan_id, installation_id, product_id,
    requesters[1 + floor(r_req * array_length(requesters, 1))::int],
    CASE WHEN r_chan < 0.45 THEN 'phone' WHEN r_chan < 0.75 THEN 'email'
         WHEN r_chan < 0.95 THEN 'portal' ELSE 'ivr' END,
    CASE WHEN r_kind < 0.70 THEN 'incident' WHEN r_kind < 0.85 THEN 'information'
         WHEN r_kind < 0.90 THEN 'maintenance' WHEN r_kind < 0.95 THEN 'warranty' ELSE 'update' END,
    pri,
    CASE WHEN r_tier < 0.5 THEN 1 WHEN r_tier < 0.8 THEN 2 WHEN r_tier < 0.95 THEN 3 ELSE 4 END,
    st, subj, descr, version, build, os, os_version, '',
    CASE WHEN r_chan < 0.75 THEN (%(engineers)s::bigint[])[1 + (g %% %(neng)s)::int] END,
    assignee, reg, due, CASE WHEN due IS NOT NULL THEN risk END, fr,
    CASE WHEN fr IS NULL OR due IS NULL THEN NULL ELSE fr <= due END,
    CASE WHEN st = 'closed' AND r_reason < 0.82
         THEN (ARRAY['workaround', 'procedure', 'update'])[1 + (g %% 3)::int] ELSE '' END,
    CASE WHEN st = 'closed' AND r_reason < 0.82
         THEN 'Se aplicó el procedimiento indicado y el cliente confirmó la solución.' ELSE '' END,
    closed,
    CASE WHEN st <> 'closed' THEN '' WHEN r_reason < 0.82 THEN 'accepted'
         WHEN r_reason < 0.91 THEN 'inactivity' WHEN r_reason < 0.94 THEN 'duplicate'
         WHEN r_reason < 0.97 THEN 'unsupported' ELSE 'no_contract' END,
    NULL,
    GREATEST(reg, COALESCE(closed, fr, reg)),
    lower(num) || ' ' || customer_f || ' ' || subj_f || ' ' || descr_f,
    -- business durations: calendar spans scaled by the policy's business share (no priority: none)
    CASE WHEN ratio IS NOT NULL AND fr IS NOT NULL
         THEN (extract(epoch FROM fr - reg) * ratio)::int END,
    CASE WHEN ratio IS NOT NULL AND closed IS NOT NULL
         THEN (extract(epoch FROM closed - reg) * ratio)::int END,
    CASE WHEN st = 'reopened' OR (st = 'closed' AND r_tier > 0.97) THEN 1 ELSE 0 END
FROM f
"""
