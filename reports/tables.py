"""Every figure of the dashboard as a table: the screen renders these and the CSV/XLSX exports
write the same rows, so an export equals what the manager sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .selectors import BACKLOG_BUCKETS, NowFigures, PeriodFigures, ResultRow, WeekRow
from .selectors_care import CareFigures

Value = str | int | float | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Value]]


DIMENSION_TITLES = {
    "priority": gettext_lazy("By priority"),
    "plan": gettext_lazy("By plan"),
    "customer": gettext_lazy("By customer"),
    "engineer": gettext_lazy("By engineer"),
    "product": gettext_lazy("By product"),
}
DIMENSION_HEADERS = {
    "priority": gettext_lazy("Priority"),
    "plan": gettext_lazy("Plan"),
    "customer": gettext_lazy("Customer"),
    "engineer": gettext_lazy("Engineer"),
    "product": gettext_lazy("Product"),
}
BACKLOG_LABELS = {
    "lt1d": gettext_lazy("Less than 1 day"),
    "1to3d": gettext_lazy("1 to 3 days"),
    "3to7d": gettext_lazy("3 to 7 days"),
    "7to30d": gettext_lazy("7 to 30 days"),
    "gt30d": gettext_lazy("More than 30 days"),
}


PLAN_PREFIX = "Calltech Techsupport "


def plan_name(name: str) -> str:
    """Gold 8x5, Platinum 24x7: the plans' names without the product line they share."""
    return name.removeprefix(PLAN_PREFIX)


def percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def result_headers(first: str) -> list[str]:
    return [
        first,
        _("Cases"),
        _("Met"),
        _("Breached"),
        _("Compliance %"),
        _("Median to first response (business h)"),
        _("p90 to first response (business h)"),
        _("Median to close (business h)"),
        _("p90 to close (business h)"),
        _("Reopen rate %"),
    ]


def result_cells(label: str, r: ResultRow) -> list[Value]:
    return [
        label,
        r.cases,
        r.met,
        r.breached,
        percent(r.compliance),
        hours(r.response_p50),
        hours(r.response_p90),
        hours(r.close_p50),
        hours(r.close_p90),
        percent(r.reopen_rate),
    ]


def period_tables(figures: PeriodFigures) -> dict[str, Table]:
    tables = {
        "total": Table(
            "total",
            _("All cases of the period"),
            result_headers(""),
            [result_cells(_("Total"), figures.total)],
        )
    }
    no_one = _("Unassigned")
    for dim, rows in figures.by.items():
        key = f"by_{dim}"
        tables[key] = Table(
            key,
            str(DIMENSION_TITLES[dim]),
            result_headers(str(DIMENSION_HEADERS[dim])),
            [result_cells(_label(dim, r.label, no_one), r) for r in rows],
        )
    return tables


def _label(dim: str, label: str, no_one: str) -> str:
    if dim == "plan":
        return plan_name(label)
    return label or (no_one if dim == "engineer" else "—")


def week_table(weeks: list[WeekRow]) -> Table:
    return Table(
        "weeks",
        _("Attention results per week of their deadline (last 12 weeks)"),
        [_("Week from"), _("Met"), _("Breached")],
        [[timezone.localtime(w.start).date().isoformat(), w.met, w.breached] for w in weeks],
    )


def backlog_table(ages: dict[str, int]) -> Table:
    keys = [k for k, _age in BACKLOG_BUCKETS] + ["gt30d"]
    return Table(
        "backlog",
        _("Open cases by age"),
        [_("Age"), _("Open cases")],
        [[str(BACKLOG_LABELS[k]), ages[k]] for k in keys],
    )


def now_tables(figures: NowFigures) -> dict[str, Table]:
    plans = sorted({(r["plan_id"], r["plan__name"]) for r in figures.by_priority_plan})
    priorities = sorted({r["priority"] for r in figures.by_priority_plan})
    counts = {(r["priority"], r["plan_id"]): r["n"] for r in figures.by_priority_plan}
    open_rows: list[list[Value]] = [
        [
            p or "—",
            *[counts.get((p, pid), 0) for pid, _name in plans],
            sum(counts.get((p, pid), 0) for pid, _n in plans),
        ]
        for p in priorities
    ]
    no_one = _("Unassigned")
    return {
        "open": Table(
            "open",
            _("Open cases by priority and plan"),
            [_("Priority"), *[plan_name(name) for _pid, name in plans], _("Total")],
            open_rows,
        ),
        "workload": Table(
            "workload",
            _("Workload per engineer"),
            [_("Engineer"), _("Open"), _("Unanswered"), _("Breached")],
            [[_person(r) or no_one, r["n"], r["unanswered"], r["breached"]] for r in figures.workload],
        ),
        "pqr": Table(
            "pqr",
            _("Open PQRs by escalation level"),
            [_("Level"), _("Open PQRs")],
            [[f"N{r['level__number']} · {r['level__name']}", r["n"]] for r in figures.pqr_levels],
        ),
    }


def _person(row: dict[str, Any]) -> str:
    if row["assigned_to_id"] is None:
        return ""
    full = f"{row['assigned_to__first_name']} {row['assigned_to__last_name']}".strip()
    return full or row["assigned_to__username"]


ASPECT_LABELS = {
    "attention_time": gettext_lazy("Attention time"),
    "technical_knowledge": gettext_lazy("Technical knowledge"),
    "courtesy": gettext_lazy("Courtesy"),
    "solution_quality": gettext_lazy("Solution quality"),
}
RMA_PLAN_LABELS = {
    "standard": gettext_lazy("Standard (48 business h)"),
    "extended": gettext_lazy("Extended (8 business h)"),
}


def _avg(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def care_tables(figures: CareFigures) -> dict[str, Table]:
    """The after-care figures of the period (reports.selectors_care) as tables."""
    surveys = figures.surveys
    rma_rows: list[list[Value]] = [
        [
            str(RMA_PLAN_LABELS.get(r.warranty_plan, r.warranty_plan)),
            r.started,
            r.on_time,
            r.late,
            r.overdue,
            r.pending,
            percent(r.on_time_rate),
        ]
        for r in figures.rmas
    ]
    maintenance_rows: list[list[Value]] = [
        [m.customer, m.contracts, m.entitled, m.used, m.left] for m in figures.maintenances
    ]
    if figures.maintenances:
        maintenance_rows.append(
            [
                _("Total"),
                sum(m.contracts for m in figures.maintenances),
                sum(m.entitled for m in figures.maintenances),
                sum(m.used for m in figures.maintenances),
                sum(m.left for m in figures.maintenances),
            ]
        )
    return {
        "pqr_reached": Table(
            "pqr_reached",
            _("PQRs raised in the period by level reached"),
            [_("Level"), _("PQRs"), _("Still open")],
            [[f"N{r['level__number']} · {r['level__name']}", r["n"], r["open"]] for r in figures.pqr_levels],
        ),
        "surveys": Table(
            "surveys",
            _("Satisfaction surveys sent in the period"),
            [_("Aspect"), _("Average (1–5)")],
            [
                *[[str(ASPECT_LABELS[k]), _avg(v)] for k, v in surveys.averages.items()],
                [_("Surveys sent"), surveys.sent],
                [_("Surveys answered"), surveys.answered],
                [_("Response rate %"), percent(surveys.response_rate)],
            ],
        ),
        "rma": Table(
            "rma",
            _("Hardware replacements (RMA) started in the period"),
            [
                _("Warranty"),
                _("RMAs started"),
                _("Delivered in time"),
                _("Delivered late"),
                _("Overdue"),
                _("Pending, in time"),
                _("On time %"),
            ],
            rma_rows,
        ),
        "maintenance": Table(
            "maintenance",
            _("Preventive maintenances of the current support year (contracts in force)"),
            [_("Customer"), _("Contracts"), _("Entitled"), _("Used"), _("Left")],
            maintenance_rows,
        ),
    }
