"""CSV and XLSX of the dashboard's tables, and of the period's cases (streamed). A text cell that
a spreadsheet would read as a formula (it begins with =, +, -, @, a tab or a carriage return) is
written with a leading apostrophe."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.db.models import Case as When_
from django.db.models import CharField, F, Q, QuerySet, Value, When
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cases.models import Case, CaseStatus

from .periods import Period
from .selectors import Filters
from .tables import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(headers: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # spreadsheets read the file as UTF-8
    yield writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        yield writer.writerow(["" if v is None else neutralise(v) for v in row])


def csv_response(headers: list[str], rows: Iterable[list[Any]], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(headers: list[str], rows: Iterable[list[Any]], filename: str, title: str) -> FileResponse:
    """Written row by row (openpyxl's write-only mode) into a temporary file, then streamed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "SMA")
    sheet.append([neutralise(h) for h in headers])
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)


def table_response(table: Table, fmt: str, filename: str) -> StreamingHttpResponse | FileResponse:
    if fmt == "xlsx":
        return xlsx_response(table.headers, table.rows, filename, table.title)
    return csv_response(table.headers, table.rows, filename)


# --- the period's cases -------------------------------------------------------------------------


def case_rows_queryset(*, period: Period, filters: Filters, now: datetime) -> QuerySet[Any, Any]:
    breached = (
        Q(attention_met=False)
        | Q(first_response_at__isnull=True, attention_due_at__lt=now, closed_at__isnull=True)
        | Q(first_response_at__isnull=True, closed_at__gt=F("attention_due_at"))
    )
    return (
        Case.objects.filter(registered_at__gte=period.start, registered_at__lt=period.end)
        .filter(filters.q())
        .annotate(
            result=When_(
                When(attention_met=True, then=Value("met")),
                When(breached, then=Value("breached")),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .order_by("registered_at", "pk")
        .values_list(
            "number",
            "customer__name",
            "plan__name",
            "priority",
            "assigned_to__username",
            "product__name",
            "status",
            "registered_at",
            "attention_due_at",
            "first_response_at",
            "closed_at",
            "result",
            "first_response_business_seconds",
            "resolution_business_seconds",
            "reopen_count",
        )
    )


def case_headers() -> list[str]:
    return [
        _("Case"),
        _("Customer"),
        _("Plan"),
        _("Priority"),
        _("Engineer"),
        _("Product"),
        _("Status"),
        _("Registered"),
        _("Attention deadline"),
        _("First response"),
        _("Closed"),
        _("Attention result"),
        _("Business hours to first response"),
        _("Business hours to close"),
        _("Times reopened"),
    ]


def case_rows(qs: QuerySet[Any, Any]) -> Iterator[list[Any]]:
    """The rows, read from the database in chunks (a server-side cursor), never all at once."""
    results = {"met": _("met"), "breached": _("breached"), "": ""}
    statuses = dict(CaseStatus.choices)
    for row in qs.iterator(chunk_size=2000):
        (
            number,
            customer,
            plan,
            priority,
            engineer,
            product,
            status,
            registered,
            due,
            first,
            closed,
            result,
            response_s,
            close_s,
            reopened,
        ) = row
        yield [
            number,
            customer,
            plan,
            priority,
            engineer or "",
            product,
            str(statuses.get(status, status)),
            _local(registered),
            _local(due),
            _local(first),
            _local(closed),
            results.get(result, result),
            None if response_s is None else round(response_s / 3600, 2),
            None if close_s is None else round(close_s / 3600, 2),
            reopened,
        ]


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
