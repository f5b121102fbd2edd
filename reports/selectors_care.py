"""The period's after-care figures: PQRs by the matrix level they reached, satisfaction surveys
(averages per aspect and response rate), hardware replacements (RMA) delivered on time, and
preventive maintenances used against those the contracts entitle. One aggregate query each, in
PostgreSQL; nothing is loaded row by row into Python.

Each figure belongs to the period by its own instant: a PQR by when it was raised, a survey by
when it was sent (its answer may come later), an RMA by its start, and the maintenances by the
support year in force on the period's last day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, Q
from django.utils import timezone

from cases.models import SurveyOwed
from cases.survey_models import RATING_FIELDS
from escalation.models import Pqr
from warranty.models import Rma
from warranty.models.rma import AWAITING_DELIVERY, RmaStatus

from .periods import Period
from .selectors import Filters


def _case_lookups(filters: Filters, prefix: str = "case__") -> dict[str, int]:
    out = {}
    if filters.customer:
        out[f"{prefix}customer_id"] = filters.customer
    if filters.plan:
        out[f"{prefix}plan_id"] = filters.plan
    if filters.engineer:
        out[f"{prefix}assigned_to_id"] = filters.engineer
    return out


def pqr_levels_reached(*, period: Period, filters: Filters) -> list[dict[str, Any]]:
    """PQRs raised in the period by the highest matrix level each reached (a PQR only climbs, so
    its current level), with how many of them are still open."""
    return list(
        Pqr.objects.filter(raised_at__gte=period.start, raised_at__lt=period.end, **_case_lookups(filters))
        .values("level__number", "level__name")
        .annotate(n=Count("*"), open=Count("pk", filter=Q(status=Pqr.Status.OPEN)))
        .order_by("level__number")
    )


@dataclass(frozen=True)
class SurveyFigures:
    sent: int
    answered: int
    averages: dict[str, float | None]  # per aspect (RATING_FIELDS), 1–5

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None


def survey_figures(*, period: Period, filters: Filters) -> SurveyFigures:
    """Surveys sent in the period, how many were answered, and the answers' average per aspect."""
    row = SurveyOwed.objects.filter(
        sent_at__gte=period.start, sent_at__lt=period.end, **_case_lookups(filters)
    ).aggregate(
        sent=Count("pk"),
        answered=Count("response"),
        **{name: Avg(f"response__{name}") for name in RATING_FIELDS},
    )
    return SurveyFigures(
        sent=row["sent"],
        answered=row["answered"],
        averages={name: (None if row[name] is None else float(row[name])) for name in RATING_FIELDS},
    )


@dataclass(frozen=True)
class RmaRow:
    warranty_plan: str
    started: int
    on_time: int  # delivered by the deadline
    late: int  # delivered after it
    overdue: int  # not delivered, deadline passed
    pending: int  # not delivered, deadline ahead

    @property
    def on_time_rate(self) -> float | None:
        judged = self.on_time + self.late + self.overdue
        return self.on_time / judged if judged else None


def rma_deliveries(*, period: Period, filters: Filters, now: datetime) -> list[RmaRow]:
    """RMAs started in the period (rejected claims left out) by warranty plan — Standard 48 h,
    Extended 8 h on the office calendar — and whether the replacement arrived in time."""
    waiting = Q(delivered_at__isnull=True, status__in=AWAITING_DELIVERY)
    rows = (
        Rma.objects.filter(started_at__gte=period.start, started_at__lt=period.end, **_case_lookups(filters))
        .exclude(status=RmaStatus.REJECTED)
        .values("warranty_plan")
        .annotate(
            started=Count("*"),
            on_time=Count("pk", filter=Q(delivered_at__isnull=False, delivery_met=True)),
            late=Count("pk", filter=Q(delivered_at__isnull=False, delivery_met=False)),
            overdue=Count("pk", filter=waiting & Q(delivery_due_at__lt=now)),
            pending=Count("pk", filter=waiting & Q(delivery_due_at__gte=now)),
        )
        .order_by("warranty_plan")
    )
    return [RmaRow(**r) for r in rows]


_MAINTENANCE_SQL = """
SELECT cu.id, cu.name, count(*) AS contracts,
    sum(c.preventive_maintenances_per_year + COALESCE(t.extra_per_year, 0)) AS entitled,
    sum((SELECT count(*) FROM warranty_preventivemaintenance m
         WHERE m.contract_id = c.id
           AND m.support_year = date_part('year', age(%(day)s::date, c.start_date))::int + 1)) AS used
FROM contracts_supportcontract c
JOIN contracts_customer cu ON cu.id = c.customer_id
LEFT JOIN warranty_maintenanceterms t ON t.contract_id = c.id
WHERE c.start_date <= %(day)s AND c.end_date >= %(day)s{filters}
GROUP BY cu.id, cu.name
ORDER BY cu.name
"""


@dataclass(frozen=True)
class MaintenanceRow:
    customer_id: int
    customer: str
    contracts: int
    entitled: int
    used: int

    @property
    def left(self) -> int:
        return max(self.entitled - self.used, 0)


def maintenances_used(*, period: Period, filters: Filters) -> list[MaintenanceRow]:
    """Per customer, the contracts in force on the period's last day: preventive maintenances the
    current support year entitles (the contract's number plus its terms' extras) and those
    scheduled against it. (The engineer filter does not apply: maintenances belong to contracts.)"""
    day = timezone.localdate(period.end - timedelta(microseconds=1))
    where = ""
    params: dict[str, date | int] = {"day": day}
    if filters.customer:
        where += " AND c.customer_id = %(customer)s"
        params["customer"] = filters.customer
    if filters.plan:
        where += " AND c.plan_id = %(plan)s"
        params["plan"] = filters.plan
    with connection.cursor() as cursor:
        cursor.execute(_MAINTENANCE_SQL.format(filters=where), params)
        return [
            MaintenanceRow(pk, name, n, int(entitled), int(used)) for pk, name, n, entitled, used in cursor
        ]


@dataclass(frozen=True)
class CareFigures:
    pqr_levels: list[dict[str, Any]]
    surveys: SurveyFigures
    rmas: list[RmaRow]
    maintenances: list[MaintenanceRow]


def care_figures(*, period: Period, filters: Filters, now: datetime) -> CareFigures:
    """All four (four queries)."""
    return CareFigures(
        pqr_levels=pqr_levels_reached(period=period, filters=filters),
        surveys=survey_figures(period=period, filters=filters),
        rmas=rma_deliveries(period=period, filters=filters, now=now),
        maintenances=maintenances_used(period=period, filters=filters),
    )
