"""What the managers' dashboard shows, read with aggregates in PostgreSQL (never cases loaded
into Python): the open desk now, and a period's attention results by priority, plan, customer,
engineer and product.

A case's attention result is the one recorded at its first response (``attention_met``, with the
deadline in force then); a case with no first response whose deadline passed while it was open (or
before it was closed) counts as breached. Cases belong to the period they were registered in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Case, CaseStatus

from .periods import SNAPSHOT_PERIODS, Period, week_starts

DIMENSIONS = ("priority", "plan", "customer", "engineer", "product")
_COLUMN = {
    "priority": "priority",
    "plan": "plan_id",
    "customer": "customer_id",
    "engineer": "assigned_to_id",
    "product": "product_id",
}


@dataclass(frozen=True)
class Filters:
    customer: int | None = None
    plan: int | None = None
    engineer: int | None = None

    def q(self) -> Q:
        q = Q()
        if self.customer:
            q &= Q(customer_id=self.customer)
        if self.plan:
            q &= Q(plan_id=self.plan)
        if self.engineer:
            q &= Q(assigned_to_id=self.engineer)
        return q

    def sql(self) -> tuple[str, dict[str, int]]:
        parts, params = [], {}
        for name, column in (
            ("customer", "customer_id"),
            ("plan", "plan_id"),
            ("engineer", "assigned_to_id"),
        ):
            value = getattr(self, name)
            if value:
                parts.append(f" AND {column} = %({name})s")
                params[name] = value
        return "".join(parts), params


# --- now ----------------------------------------------------------------------------------------


@dataclass
class NowFigures:
    open: int
    unanswered: int
    at_risk: int
    breached: int
    by_priority_plan: list[dict[str, Any]]
    workload: list[dict[str, Any]]
    pqr_levels: list[dict[str, Any]]


# Counts are COUNT(*) or of registered_at (never of the id), so the open-case covering index
# (cases' case_open_report_idx) answers without reading the table.


def open_cases(filters: Filters) -> QuerySet[Case]:
    return Case.objects.exclude(status=CaseStatus.CLOSED).filter(filters.q())


def now_figures(*, filters: Filters, now: datetime) -> NowFigures:
    from escalation.models import Pqr

    qs = open_cases(filters)
    counters = case_selectors.desk_counters(qs, now=now)
    by_priority_plan = list(
        qs.values("priority", "plan_id", "plan__name").annotate(n=Count("*")).order_by("priority", "plan_id")
    )
    workload = list(
        qs.values(
            "assigned_to_id", "assigned_to__username", "assigned_to__first_name", "assigned_to__last_name"
        )
        .annotate(
            n=Count("*"),
            unanswered=Count("registered_at", filter=Q(first_response_at__isnull=True)),
            breached=Count(
                "pk",
                filter=Q(first_response_at__isnull=True, attention_due_at__lt=now) | Q(attention_met=False),
            ),
        )
        .order_by("-n", "assigned_to__username")
    )
    case_filter = {f"case__{k}": v for k, v in _case_lookups(filters).items()}
    pqr_levels = list(
        Pqr.objects.filter(status=Pqr.Status.OPEN, **case_filter)
        .values("level__number", "level__name")
        .annotate(n=Count("*"))
        .order_by("level__number")
    )
    return NowFigures(
        open=counters["open"],
        unanswered=counters["unanswered"],
        at_risk=counters["at_risk"],
        breached=counters["breached"],
        by_priority_plan=by_priority_plan,
        workload=workload,
        pqr_levels=pqr_levels,
    )


def _case_lookups(filters: Filters) -> dict[str, int]:
    out = {}
    if filters.customer:
        out["customer_id"] = filters.customer
    if filters.plan:
        out["plan_id"] = filters.plan
    if filters.engineer:
        out["assigned_to_id"] = filters.engineer
    return out


# --- a period -----------------------------------------------------------------------------------

# One scan of the period's cases (the report cover index), every grouping at once. Medians and p90
# of the business durations recorded on the cases (seconds), NULLs ignored by percentile_cont; both
# fractions of one measure from one sort (the array form).
_PERIOD_SQL = """
SELECT GROUPING(priority, plan_id, customer_id, assigned_to_id, product_id) AS g,
    priority, plan_id, customer_id, assigned_to_id, product_id,
    count(*) AS cases,
    count(*) FILTER (WHERE attention_met) AS met,
    count(*) FILTER (
        WHERE attention_met = false
           OR (first_response_at IS NULL AND attention_due_at < COALESCE(closed_at, %(now)s))
    ) AS breached,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY first_response_business_seconds) AS response,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY resolution_business_seconds) AS close,
    count(*) FILTER (WHERE closed_at IS NOT NULL OR reopen_count > 0) AS closed,
    count(*) FILTER (WHERE reopen_count > 0) AS reopened
FROM cases_case
WHERE registered_at >= %(start)s AND registered_at < %(end)s{filters}
GROUP BY GROUPING SETS ((priority), (plan_id), (customer_id), (assigned_to_id), (product_id), ())
"""
# GROUPING(...) bit of each set: the grouped column's bit is 0, the others 1.
_SET_BITS = {
    "priority": 0b01111,
    "plan": 0b10111,
    "customer": 0b11011,
    "engineer": 0b11101,
    "product": 0b11110,
}
_TOTAL_BITS = 0b11111


def period_sql(where: str) -> str:
    return _PERIOD_SQL.format(filters=where)


@dataclass
class ResultRow:
    key: Any
    label: str
    cases: int
    met: int
    breached: int
    response_p50: float | None
    response_p90: float | None
    close_p50: float | None
    close_p90: float | None
    closed: int
    reopened: int

    @property
    def compliance(self) -> float | None:
        """met ÷ (met + breached), None with neither."""
        judged = self.met + self.breached
        return self.met / judged if judged else None

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.closed if self.closed else None


@dataclass
class PeriodFigures:
    total: ResultRow
    by: dict[str, list[ResultRow]] = field(default_factory=dict)


def period_figures(*, period: Period, filters: Filters, now: datetime) -> PeriodFigures:
    where, params = filters.sql()
    with transaction.atomic(), connection.cursor() as cursor:
        # The percentiles sort each group's durations: in memory, not on disk, for a year of cases.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(
            period_sql(where),
            {"start": period.start, "end": period.end, "now": now, **params},
        )
        rows = cursor.fetchall()
    total = None
    grouped: dict[str, list[tuple]] = {d: [] for d in DIMENSIONS}
    for row in rows:
        bits = row[0]
        if bits == _TOTAL_BITS:
            total = row
            continue
        for dim, dim_bits in _SET_BITS.items():
            if bits == dim_bits:
                grouped[dim].append(row)
    labels = _labels({dim: [r[1 + DIMENSIONS.index(dim)] for r in grouped[dim]] for dim in DIMENSIONS})
    by = {}
    for dim in DIMENSIONS:
        index = 1 + DIMENSIONS.index(dim)
        items = [_result(r, r[index], labels[dim].get(r[index], "")) for r in grouped[dim]]
        items.sort(
            key=lambda r: (r.label.lower() if dim in ("priority", "plan") else -r.cases, r.label.lower())
        )
        by[dim] = items
    empty = (0, None, None, None, None, None, 0, 0, 0, None, None, 0, 0)
    return PeriodFigures(total=_result(total or empty, None, ""), by=by)


def _result(row: tuple, key: Any, label: str) -> ResultRow:
    response, close = row[9] or (None, None), row[10] or (None, None)
    return ResultRow(key, label, *row[6:9], *(_float(v) for v in (*response, *close)), *row[11:13])


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


# The names of the grouped ids, all kinds in one query; an engineer is "First Last", else the
# username. {table} and {label} come from the code below, never from input.
_LABEL_SQL = "SELECT %({dim}_kind)s, id, {label} FROM {table} WHERE id = ANY(%({dim})s)"
_LABEL_SOURCES = {
    "plan": ("contracts_supportplan", "name"),
    "customer": ("contracts_customer", "name"),
    "product": ("contracts_product", "name"),
    "engineer": ("auth_user", "COALESCE(NULLIF(TRIM(first_name || ' ' || last_name), ''), username)"),
}


def _labels(keys: dict[str, list[Any]]) -> dict[str, dict[Any, str]]:
    """Names for the grouped ids: one query for every kind of thing that appears."""
    out: dict[str, dict[Any, str]] = {"priority": {p: p or "—" for p in keys["priority"]}}
    parts: list[str] = []
    params: dict[str, Any] = {}
    for dim, (table, label) in _LABEL_SOURCES.items():
        out[dim] = {}
        ids = [k for k in keys[dim] if k is not None]
        if ids:
            parts.append(_LABEL_SQL.format(dim=dim, table=table, label=label))
            params[dim], params[f"{dim}_kind"] = ids, dim
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for dim, pk, name in cursor.fetchall():
                out[dim][pk] = name
    return out


# --- trends -------------------------------------------------------------------------------------

_WEEKS_SQL = """
SELECT date_trunc('week', attention_due_at AT TIME ZONE %(tz)s) AS week,
    count(*) FILTER (WHERE attention_met) AS met,
    count(*) FILTER (
        WHERE attention_met = false
           OR (first_response_at IS NULL AND attention_due_at < COALESCE(closed_at, %(now)s))
    ) AS breached
FROM cases_case
WHERE registered_at >= %(reg_from)s AND registered_at < %(now)s
  AND attention_due_at >= %(start)s AND attention_due_at < %(now)s{filters}
GROUP BY 1
"""


@dataclass(frozen=True)
class WeekRow:
    start: datetime
    met: int
    breached: int


def weekly_breaches(*, filters: Filters, now: datetime, since: datetime | None = None) -> list[WeekRow]:
    """Breaches per week of their deadline (weeks from Monday, America/Bogota), the last 12 weeks
    (``since``: only the weeks from that Monday on).
    A deadline is at most 32 business hours after registration (under two weeks even across the
    year-end holidays): bounding the registration 30 days before the first week lets the report
    cover index answer alone."""
    starts = [s for s in week_starts(now=now) if since is None or s >= since]
    where, params = filters.sql()
    with connection.cursor() as cursor:
        cursor.execute(
            _WEEKS_SQL.format(filters=where),
            {
                "tz": settings.TIME_ZONE,
                "now": now,
                "start": starts[0],
                "reg_from": starts[0] - timedelta(days=30),
                **params,
            },
        )
        found = {week.date(): (met, breached) for week, met, breached in cursor.fetchall()}
    return [WeekRow(s, *found.get(s.date(), (0, 0))) for s in starts]


def weekly_breaches_for_page(*, filters: Filters, now: datetime) -> list[WeekRow]:
    """The weekly figures the dashboard shows: without filters, the finished weeks from today's
    snapshot (a finished week's deadlines are all past, so its met and breached counts no longer
    change) and the current week live; otherwise all twelve live."""
    from .models import PeriodSnapshot

    if filters == Filters():
        stored = (
            PeriodSnapshot.objects.filter(period=WEEKS_SNAPSHOT, day=timezone.localdate(now))
            .values_list("figures", flat=True)
            .first()
        )
        current = week_starts(now=now)[-1]
        if stored is not None:
            finished = [WeekRow(datetime.fromisoformat(w), met, br) for w, met, br in stored]
            return [*finished, *weekly_breaches(filters=filters, now=now, since=current)]
    return weekly_breaches(filters=filters, now=now)


WEEKS_SNAPSHOT = "weeks"


def finished_weeks_json(*, now: datetime) -> list[list[Any]]:
    """The finished weeks of the last twelve, for the daily snapshot."""
    current = week_starts(now=now)[-1]
    return [
        [w.start.isoformat(), w.met, w.breached]
        for w in weekly_breaches(filters=Filters(), now=now)
        if w.start < current
    ]


BACKLOG_BUCKETS = (
    ("lt1d", timedelta(days=1)),
    ("1to3d", timedelta(days=3)),
    ("3to7d", timedelta(days=7)),
    ("7to30d", timedelta(days=30)),
)


def backlog_ages(*, filters: Filters, now: datetime) -> dict[str, int]:
    """Open cases by age since registration (calendar time), one aggregate."""
    aggregates: dict[str, Any] = {}
    lower: datetime | None = None
    for key, age in BACKLOG_BUCKETS:
        bound = now - age
        q = Q(registered_at__gt=bound)
        if lower is not None:
            q &= Q(registered_at__lte=lower)
        aggregates[key] = Count("registered_at", filter=q)
        lower = bound
    aggregates["gt30d"] = Count("registered_at", filter=Q(registered_at__lte=lower))
    return open_cases(filters).aggregate(**aggregates)


# --- the daily snapshot of the long periods -----------------------------------------------------


def figures_to_json(figures: PeriodFigures) -> dict[str, Any]:
    return {
        "total": asdict(figures.total),
        "by": {dim: [asdict(r) for r in rows] for dim, rows in figures.by.items()},
    }


def figures_from_json(data: dict[str, Any]) -> PeriodFigures:
    return PeriodFigures(
        total=ResultRow(**data["total"]),
        by={dim: [ResultRow(**r) for r in rows] for dim, rows in data["by"].items()},
    )


def period_figures_for_page(*, period: Period, filters: Filters, now: datetime) -> PeriodFigures:
    """The figures the dashboard shows: today's snapshot of a long period without filters when the
    beat job has made it, else computed now (same definition, same numbers)."""
    from .models import PeriodSnapshot

    if period.key in SNAPSHOT_PERIODS and filters == Filters():
        snapshot = (
            PeriodSnapshot.objects.filter(period=period.key, day=timezone.localdate(now))
            .values_list("figures", flat=True)
            .first()
        )
        if snapshot is not None:
            return figures_from_json(snapshot)
    return period_figures(period=period, filters=filters, now=now)
