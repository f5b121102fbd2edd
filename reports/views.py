"""The managers' SLA dashboard (/tablero/) and its exports. Managers and admins only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import charts, exports, selectors, tables
from .breach import breached_cases
from .forms import DashboardFilterForm, filters_from
from .periods import period
from .selectors_care import care_figures

dashboard_required = permission_required("reports.view_dashboard", raise_exception=True)

NOW_TABLES = ("open", "workload", "pqr")
PERIOD_TABLES = ("total", *(f"by_{d}" for d in selectors.DIMENSIONS))
CARE_TABLES = ("pqr_reached", "surveys", "rma", "maintenance")
EXPORTS = (*NOW_TABLES, *PERIOD_TABLES, *CARE_TABLES, "weeks", "backlog", "cases")


def _case_list_link(values: dict[str, Any], **extra: str) -> str:
    """The desk's case list (/casos/) with the same customer/plan/engineer filters."""
    query = {"status": "open", **extra}
    if values["customer"]:
        query["customer"] = str(values["customer"])
    if values["plan"]:
        query["plan"] = values["plan"]
    if values["engineer"]:
        query["assignee"] = str(values["engineer"])
    return reverse("cases:list") + "?" + urlencode(query)


@login_required
@dashboard_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = DashboardFilterForm(request.GET or None)
    values = form.values()
    filters = filters_from(values)
    chosen = period(values["period"], now=now)
    now_figures = selectors.now_figures(filters=filters, now=now)
    figures = selectors.period_figures_for_page(period=chosen, filters=filters, now=now)
    weeks = selectors.weekly_breaches_for_page(filters=filters, now=now)
    backlog = selectors.backlog_ages(filters=filters, now=now)
    breached = breached_cases(period=chosen, filters=filters, now=now)
    care_t = tables.care_tables(care_figures(period=chosen, filters=filters, now=now))

    now_t = tables.now_tables(now_figures)
    period_t = tables.period_tables(figures)
    week_t = tables.week_table(weeks)
    backlog_t = tables.backlog_table(backlog)
    query = urlencode({k: v for k, v in values.items() if v})

    def compliance_chart(key: str) -> Any:
        rows = figures.by[key]
        items = [
            (
                tables.plan_name(r.label) or _("Unassigned"),
                r.compliance * 100,
                f"{number_format(r.compliance * 100, 1)} %",
                _grade(r.compliance),
            )
            for r in rows[:10]
            if r.compliance is not None
        ]
        return charts.hbars(items, title=str(tables.DIMENSION_TITLES[key]), max_value=100)

    counters = [
        ("open", _("Open"), now_figures.open, _case_list_link(values), "info"),
        (
            "unanswered",
            _("Unanswered"),
            now_figures.unanswered,
            _case_list_link(values, sla="unanswered"),
            "warn",
        ),
        ("at_risk", _("At risk"), now_figures.at_risk, _case_list_link(values, sla="at_risk"), "warn"),
        ("breached", _("Breached now"), now_figures.breached, _case_list_link(values, sla="breached"), "bad"),
    ]
    total = figures.total
    context = {
        "form": form,
        "period": chosen,
        "query": query,
        "counters": counters,
        "total": total,
        "compliance": tables.percent(total.compliance),
        "response_p50": tables.hours(total.response_p50),
        "response_p90": tables.hours(total.response_p90),
        "close_p50": tables.hours(total.close_p50),
        "reopen_rate": tables.percent(total.reopen_rate),
        "now_tables": [now_t[k] for k in NOW_TABLES],
        "period_tables": [period_t[k] for k in PERIOD_TABLES],
        "week_table": week_t,
        "backlog_table": backlog_t,
        "charts": {
            "weeks": charts.columns(
                [(timezone.localtime(w.start).strftime("%d/%m"), w.met, w.breached) for w in weeks],
                title=week_t.title,
            ),
            "backlog": charts.hbars(
                [(str(row[0]), float(row[1] or 0), str(row[1]), "warn") for row in backlog_t.rows],
                title=backlog_t.title,
            ),
            "by_priority": compliance_chart("priority"),
            "by_plan": compliance_chart("plan"),
            "by_engineer": compliance_chart("engineer"),
            "by_customer": compliance_chart("customer"),
        },
        "breached": breached,
        "care_tables": [care_t[k] for k in CARE_TABLES],
        "now": now,
    }
    return render(request, "reports/dashboard.html", context)


def _grade(share: float | None) -> str:
    if share is None:
        return "info"
    return "ok" if share >= 0.9 else ("warn" if share >= 0.75 else "bad")


@login_required
@dashboard_required
@require_GET
def export(request: HttpRequest, table: str, fmt: str) -> StreamingHttpResponse | FileResponse:
    if table not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    now = timezone.now()
    values = DashboardFilterForm(request.GET or None).values()
    filters = filters_from(values)
    chosen = period(values["period"], now=now)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    filename = f"sma-{table}-{chosen.key}-{stamp}"
    if table == "cases":
        qs = exports.case_rows_queryset(period=chosen, filters=filters, now=now)
        headers, rows = exports.case_headers(), exports.case_rows(qs)
        if fmt == "xlsx":
            return exports.xlsx_response(headers, rows, filename, _("Cases"))
        return exports.csv_response(headers, rows, filename)
    if table in NOW_TABLES:
        chosen_table = tables.now_tables(selectors.now_figures(filters=filters, now=now))[table]
    elif table in PERIOD_TABLES:
        figures = selectors.period_figures_for_page(period=chosen, filters=filters, now=now)
        chosen_table = tables.period_tables(figures)[table]
    elif table in CARE_TABLES:
        chosen_table = tables.care_tables(care_figures(period=chosen, filters=filters, now=now))[table]
    elif table == "weeks":
        chosen_table = tables.week_table(selectors.weekly_breaches_for_page(filters=filters, now=now))
    else:
        chosen_table = tables.backlog_table(selectors.backlog_ages(filters=filters, now=now))
    return exports.table_response(chosen_table, fmt, filename)
