"""A customer's monthly SLA report: the figures of their cases registered in the month
(compliance, cases by priority, median and p90 business times, the breaches, PQRs, surveys, RMAs),
computed with the dashboard's own aggregates filtered to the customer, kept as generated (JSON and
PDF) so a later edit never rewrites a month already reported.

The beat job makes last month's reports on the first business day of the month on the office
calendar (settings.SMA_OFFICE_CALENDAR, with Colombia's public holidays)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cases.models import Case
from contracts import sla
from contracts.business_time import next_opening
from contracts.models import Customer

from .breach import breach_of, breached_q
from .periods import Period
from .selectors import Filters, period_figures
from .selectors_care import care_figures

BREACHES_LISTED = 200


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> date:
    first = month_start(day)
    return date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def month_period(month: date) -> Period:
    """The local calendar month as a half-open period of instants."""
    return Period("last_month", _midnight(month), _midnight(next_month(month)))


def first_business_day(month: date) -> date:
    """The first day of ``month`` the office is open (weekends and public holidays skipped)."""
    calendar = sla.snapshot().calendar(settings.SMA_OFFICE_CALENDAR)
    opening = next_opening(_midnight(month_start(month)), calendar)
    return timezone.localdate(opening)


def customers_for_month(month: date) -> list[Customer]:
    """Customers with a contract in force some day of the month, or a case registered in it
    (two EXISTS: no join over the cases)."""
    from contracts.models import SupportContract

    period = month_period(month)
    last_day = date.fromordinal(next_month(month).toordinal() - 1)
    contract = SupportContract.objects.filter(
        customer=OuterRef("pk"), start_date__lte=last_day, end_date__gte=month
    )
    case = Case.objects.filter(
        customer=OuterRef("pk"), registered_at__gte=period.start, registered_at__lt=period.end
    )
    return list(Customer.objects.filter(Exists(contract) | Exists(case)).order_by("name"))


def _iso(instant: datetime | None) -> str | None:
    return None if instant is None else instant.isoformat()


def monthly_figures(*, customer: Customer, month: date, now: datetime) -> dict[str, Any]:
    """The month's figures of one customer, as kept with the report (JSON)."""
    period = month_period(month)
    filters = Filters(customer=customer.pk)
    figures = period_figures(period=period, filters=filters, now=now)
    breached = list(
        Case.objects.filter(customer=customer, registered_at__gte=period.start, registered_at__lt=period.end)
        .filter(breached_q(now))
        .select_related("plan")
        .order_by("registered_at", "id")[:BREACHES_LISTED]
    )
    breaches = []
    for case in breached:
        breach = breach_of(case, now=now)
        breaches.append(
            {
                "number": case.number,
                "subject": case.subject,
                "priority": case.priority,
                "registered_at": _iso(case.registered_at),
                "due_at": _iso(case.attention_due_at),
                "first_response_at": _iso(case.first_response_at),
                "late_seconds": int(breach.late.total_seconds()) if breach else None,
            }
        )
    care = care_figures(period=period, filters=filters, now=now)
    surveys = care.surveys
    return {
        "customer": {"id": customer.pk, "name": customer.name, "nit": customer.nit},
        "month": month.isoformat(),
        "total": asdict(figures.total),
        "by_priority": [asdict(r) for r in figures.by["priority"]],
        "breaches": breaches,
        "breaches_total": figures.total.breached,
        "pqr_levels": [
            {"level": r["level__number"], "name": r["level__name"], "n": r["n"], "open": r["open"]}
            for r in care.pqr_levels
        ],
        "surveys": {"sent": surveys.sent, "answered": surveys.answered, "averages": surveys.averages},
        "rmas": [asdict(r) for r in care.rmas],
    }


# --- the PDF --------------------------------------------------------------------------------------

ASPECTS = {
    "attention_time": "Tiempo de atención",
    "technical_knowledge": "Conocimiento técnico",
    "courtesy": "Cortesía",
    "solution_quality": "Calidad de la solución",
}
RMA_PLANS = {"standard": "Estándar (48 h hábiles)", "extended": "Extendida (8 h hábiles)"}
PRIORITIES = {
    "P1": "P1 · Sistema caído",
    "P2": "P2 · Afectación grave",
    "P3": "P3 · Problema o consulta",
    "P4": "P4 · Información",
}


def _pct(part: int, whole: int) -> str:
    return "—" if not whole else f"{part / whole * 100:.1f} %".replace(".", ",")


def _hours(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 3600:.1f} h".replace(".", ",")


def _avg(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def report_context(figures: dict[str, Any], *, generated_at: datetime) -> dict[str, Any]:
    """What the PDF prints, from the kept figures (Spanish, Bogotá time)."""
    from .documents import business_hours_text, local_datetime, month_name

    total = figures["total"]
    month = date.fromisoformat(figures["month"])

    def result(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "cases": row["cases"],
            "met": row["met"],
            "breached": row["breached"],
            "compliance": _pct(row["met"], row["met"] + row["breached"]),
            "response_p50": _hours(row["response_p50"]),
            "response_p90": _hours(row["response_p90"]),
            "close_p50": _hours(row["close_p50"]),
            "close_p90": _hours(row["close_p90"]),
        }

    surveys = figures["surveys"]
    return {
        "customer": figures["customer"],
        "month_text": month_name(month),
        "generated_text": local_datetime(generated_at),
        "total": result(total),
        "by_priority": [
            {"label": PRIORITIES.get(r["key"], r["label"] or "Sin prioridad"), **result(r)}
            for r in figures["by_priority"]
        ],
        "breaches": [
            {
                "number": b["number"],
                "subject": b["subject"],
                "priority": b["priority"],
                "registered": local_datetime(datetime.fromisoformat(b["registered_at"])),
                "due": local_datetime(datetime.fromisoformat(b["due_at"])) if b["due_at"] else "",
                "first_response": local_datetime(datetime.fromisoformat(b["first_response_at"]))
                if b["first_response_at"]
                else "sin respuesta",
                "late": business_hours_text(b["late_seconds"]),
            }
            for b in figures["breaches"]
        ],
        "breaches_total": figures["breaches_total"],
        "pqr_levels": figures["pqr_levels"],
        "pqr_total": sum(r["n"] for r in figures["pqr_levels"]),
        "surveys": {
            "sent": surveys["sent"],
            "answered": surveys["answered"],
            "rate": _pct(surveys["answered"], surveys["sent"]),
            "averages": [(ASPECTS[k], _avg(v)) for k, v in surveys["averages"].items()],
        },
        "rmas": [
            {
                "plan": RMA_PLANS.get(r["warranty_plan"], r["warranty_plan"]),
                **r,
                "rate": _pct(r["on_time"], r["on_time"] + r["late"] + r["overdue"]),
            }
            for r in figures["rmas"]
        ],
    }


def monthly_report_pdf(figures: dict[str, Any], *, generated_at: datetime) -> bytes:
    from .documents import render_pdf

    return render_pdf("reports/pdf/monthly.html", report_context(figures, generated_at=generated_at))
