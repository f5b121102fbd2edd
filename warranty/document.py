"""What a support certificate says, worked out from the contract at the moment of issue (pure
functions: the certificate keeps the result as printed)."""

from __future__ import annotations

from datetime import date, timedelta

from contracts.models import Installation, SupportContract

# The scheme's default hardware warranty and what it never covers (esquema de soporte y garantía).
HARDWARE_WARRANTY = (
    "Garantía de hardware de un (1) año, salvo que en este certificado se indique otro término; "
    "equipo de repuesto en la sede del cliente en Bogotá y ciudades principales de Colombia. "
    "No cubre daños eléctricos, mala configuración del software, virus informáticos ni software "
    "de terceros no autorizado por Calltech S.A. (su instalación anula la garantía)."
)


MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def long_date(day: date) -> str:
    """ "2 de diciembre de 2026": how a Colombian document writes a date."""
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def _add_months(day: date, months: int) -> date | None:
    year, month = divmod(day.month - 1 + months, 12)
    try:
        return day.replace(year=day.year + year, month=month + 1)
    except ValueError:
        return None


def duration_text(start: date, end: date) -> str:
    """The contract's term as a person says it: "1 año", "18 meses", "45 días" (end inclusive)."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if months > 0 and _add_months(start, months) == after:
        if months % 12 == 0:
            years = months // 12
            return "1 año" if years == 1 else f"{years} años"
        return "1 mes" if months == 1 else f"{months} meses"
    days = (after - start).days
    return "1 día" if days == 1 else f"{days} días"


def _tiers(contract: SupportContract) -> str:
    tiers = [str(t) for t in contract.covered_tiers]
    return ", ".join(tiers[:-1]) + " y " + tiers[-1]


def product_version(installation: Installation) -> str:
    text = installation.version
    if installation.build:
        text += f" (build {installation.build})"
    if installation.operating_system:
        system = f"{installation.operating_system} {installation.os_version}".strip()
        text += f" · {system}"
    return text[:90]


def conditions(contract: SupportContract) -> list[list[str]]:
    """The warranty and service conditions printed on the certificate, as (heading, text) pairs."""
    plan = contract.plan
    hours = plan.calendar.description or plan.calendar.name
    items = [
        ["Horario de atención", hours],
        [
            "Canales",
            "Contacto telefónico (+57 601 635 6535, ext. 911), por correo electrónico "
            "(support@calltechsa.com) y soporte remoto vía IP, ilimitados.",
        ],
        ["Niveles de soporte", f"Atención de casos de niveles {_tiers(contract)}."],
        [
            "Contactos técnicos",
            f"Hasta {contract.max_technical_contacts} contactos designados por el cliente; solo ellos "
            "pueden solicitar soporte.",
        ],
    ]
    if contract.software_assurance:
        items.append(
            [
                "Calltech Software Assurance",
                "Actualizaciones de software sobre la versión instalada (minor fixes and updates) durante "
                "la vigencia del contrato; nunca automáticas: se instalan a solicitud del cliente o como "
                "solución de un caso.",
            ]
        )
    if plan.onsite_allowed:
        items.append(["Soporte presencial", "En Bogotá, autorizado por el gerente de soporte."])
    if contract.preventive_maintenances_per_year:
        n = contract.preventive_maintenances_per_year
        items.append(
            [
                "Mantenimiento preventivo",
                f"{n} {'mantenimiento remoto' if n == 1 else 'mantenimientos remotos'} por año de soporte, "
                "en horario 5x8, programados con al menos ocho (8) días de antelación.",
            ]
        )
    items.append(["Garantía de hardware", HARDWARE_WARRANTY])
    special = " ".join(line.strip() for line in contract.special_conditions.splitlines() if line.strip())
    if special:
        items.append(["Condiciones especiales", special])
    return items
