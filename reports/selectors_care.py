"""The period's after-care figures: PQRs by the matrix level they reached, satisfaction surveys
(averages per aspect and response rate), hardware replacements (RMA) delivered on time, and
preventive maintenances used against those the contracts entitle. All four from one query (a
UNION ALL of four aggregates in PostgreSQL, one row per group): nothing is loaded row by row.

Each figure belongs to the period by its own instant: a PQR by when it was raised, a survey by
when it was sent (its answer may come later), an RMA by its start (rejected claims left out), and
the maintenances by the support year in force on the period's last day, for the contracts in
force then (the engineer filter does not apply to them: maintenances belong to contracts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from cases.survey_models import RATING_FIELDS
from escalation.models import Pqr
from warranty.models.rma import AWAITING_DELIVERY, RmaStatus

from .periods import Period
from .selectors import Filters


@dataclass(frozen=True)
class SurveyFigures:
    sent: int
    answered: int
    averages: dict[str, float | None]  # per aspect (RATING_FIELDS), 1–5

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None


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


@dataclass(frozen=True)
class CareFigures:
    pqr_levels: list[dict[str, Any]]  # level__number, level__name, n, open
    surveys: SurveyFigures
    rmas: list[RmaRow]
    maintenances: list[MaintenanceRow]


# Every branch yields (section, key, label, n1..n5, a1..a4); the averages in RATING_FIELDS' order.
_CARE_SQL = """
SELECT 'pqr', l.number::text, l.name, count(*), count(*) FILTER (WHERE p.status = %(pqr_open)s),
    0, 0, 0, NULL::float, NULL::float, NULL::float, NULL::float
FROM escalation_pqr p
JOIN escalation_escalationlevel l ON l.id = p.level_id
JOIN cases_case c ON c.id = p.case_id
WHERE p.raised_at >= %(start)s AND p.raised_at < %(end)s{cases}
GROUP BY l.number, l.name
UNION ALL
SELECT 'survey', '', '', count(s.id), count(r.id), 0, 0, 0, avg(r.attention_time)::float,
    avg(r.technical_knowledge)::float, avg(r.courtesy)::float, avg(r.solution_quality)::float
FROM cases_surveyowed s
JOIN cases_case c ON c.id = s.case_id
LEFT JOIN cases_surveyresponse r ON r.survey_id = s.id
WHERE s.sent_at >= %(start)s AND s.sent_at < %(end)s{cases}
UNION ALL
SELECT 'rma', m.warranty_plan, '', count(*),
    count(*) FILTER (WHERE m.delivered_at IS NOT NULL AND m.delivery_met),
    count(*) FILTER (WHERE m.delivered_at IS NOT NULL AND NOT m.delivery_met),
    count(*) FILTER (
        WHERE m.delivered_at IS NULL AND m.status IN %(waiting)s AND m.delivery_due_at < %(now)s),
    count(*) FILTER (
        WHERE m.delivered_at IS NULL AND m.status IN %(waiting)s AND m.delivery_due_at >= %(now)s),
    NULL::float, NULL::float, NULL::float, NULL::float
FROM warranty_rma m
JOIN cases_case c ON c.id = m.case_id
WHERE m.started_at >= %(start)s AND m.started_at < %(end)s AND m.status <> %(rejected)s{cases}
GROUP BY m.warranty_plan
UNION ALL
SELECT 'maintenance', cu.id::text, cu.name, count(*),
    sum(k.preventive_maintenances_per_year + COALESCE(t.extra_per_year, 0)),
    sum((SELECT count(*) FROM warranty_preventivemaintenance pm
         WHERE pm.contract_id = k.id
           AND pm.support_year = date_part('year', age(%(day)s::date, k.start_date))::int + 1)),
    0, 0, NULL::float, NULL::float, NULL::float, NULL::float
FROM contracts_supportcontract k
JOIN contracts_customer cu ON cu.id = k.customer_id
LEFT JOIN warranty_maintenanceterms t ON t.contract_id = k.id
WHERE k.start_date <= %(day)s AND k.end_date >= %(day)s{contracts}
GROUP BY cu.id, cu.name
"""


def _where(filters: Filters) -> tuple[str, str, dict[str, int]]:
    cases, contracts, params = "", "", {}
    if filters.customer:
        cases += " AND c.customer_id = %(customer)s"
        contracts += " AND k.customer_id = %(customer)s"
        params["customer"] = filters.customer
    if filters.plan:
        cases += " AND c.plan_id = %(plan)s"
        contracts += " AND k.plan_id = %(plan)s"
        params["plan"] = filters.plan
    if filters.engineer:
        cases += " AND c.assigned_to_id = %(engineer)s"
        params["engineer"] = filters.engineer
    return cases, contracts, params


def care_figures(*, period: Period, filters: Filters, now: datetime) -> CareFigures:
    """The period's PQRs, surveys, RMAs and maintenances (one query)."""
    cases, contracts, params = _where(filters)
    day: date = timezone.localdate(period.end - timedelta(microseconds=1))
    with connection.cursor() as cursor:
        cursor.execute(
            _CARE_SQL.format(cases=cases, contracts=contracts),
            {
                "start": period.start,
                "end": period.end,
                "now": now,
                "day": day,
                "pqr_open": Pqr.Status.OPEN.value,
                "rejected": RmaStatus.REJECTED.value,
                "waiting": tuple(str(s) for s in AWAITING_DELIVERY),
                **params,
            },
        )
        rows = cursor.fetchall()
    pqr, rmas, maintenances = [], [], []
    surveys = SurveyFigures(0, 0, dict.fromkeys(RATING_FIELDS))
    for section, key, label, n1, n2, n3, n4, n5, *averages in rows:
        if section == "pqr":
            pqr.append({"level__number": int(key), "level__name": label, "n": n1, "open": n2})
        elif section == "survey":
            surveys = SurveyFigures(n1, n2, dict(zip(RATING_FIELDS, averages, strict=True)))
        elif section == "rma":
            rmas.append(RmaRow(key, n1, n2, n3, n4, n5))
        else:
            maintenances.append(MaintenanceRow(int(key), label, n1, int(n2), int(n3)))
    pqr.sort(key=lambda r: r["level__number"])
    rmas.sort(key=lambda r: r.warranty_plan)
    maintenances.sort(key=lambda m: (m.customer.lower(), m.customer_id))
    return CareFigures(pqr_levels=pqr, surveys=surveys, rmas=rmas, maintenances=maintenances)
