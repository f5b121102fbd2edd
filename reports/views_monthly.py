"""The customers' monthly SLA reports: the managers' list on the dashboard, and each company's own
in the portal.

The portal's pages are served from here (reports is a front door like the portal, and front doors
do not import each other): the portal's boundary middleware has already resolved the signed-in
contact (``request.portal_contact``; an ended designation is signed out before any view), and
the reports are scoped to the contact's company in the query — another company's is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from contracts.models import Customer

from .documents import local_datetime, month_name
from .models import MonthlyReport
from .views import dashboard_required


def _rows(reports: list[MonthlyReport]) -> list[dict[str, object]]:
    rows = []
    for report in reports:
        total = report.figures.get("total", {})
        judged = total.get("met", 0) + total.get("breached", 0)
        rows.append(
            {
                "report": report,
                "month": month_name(report.month),
                "generated": local_datetime(report.generated_at),
                "cases": total.get("cases", 0),
                "compliance": None if not judged else round(total["met"] / judged * 100, 1),
                "breached": total.get("breached", 0),
            }
        )
    return rows


def _pdf(report: MonthlyReport) -> FileResponse:
    try:
        handle = report.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"informe-sla-{report.month:%Y-%m}-{report.customer_id}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- managers -----------------------------------------------------------------------------------


@login_required
@dashboard_required
@require_GET
def monthly_list(request: HttpRequest) -> HttpResponse:
    reports = MonthlyReport.objects.select_related("customer").order_by("-month", "customer__name")
    customer = request.GET.get("customer", "")
    if customer.isdigit():
        reports = reports.filter(customer_id=int(customer))
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    customers = Customer.objects.filter(monthly_reports__isnull=False).distinct().order_by("name")
    return render(
        request,
        "reports/monthly_list.html",
        {
            "page": page,
            "rows": _rows(list(page.object_list)),
            "customers": customers.values_list("pk", "name"),
            "customer": customer,
        },
    )


@login_required
@dashboard_required
@require_GET
def monthly_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    report = MonthlyReport.objects.filter(pk=pk).first()
    if report is None:
        raise Http404
    return _pdf(report)


# --- the portal: the contact's own company's ----------------------------------------------------


def _contact_company(request: HttpRequest) -> int | None:
    contact = getattr(request, "portal_contact", None)
    return None if contact is None else contact.customer_id


def company_list(request: HttpRequest) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    company = _contact_company(request)
    if company is None:
        raise Http404
    if request.method != "GET":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["GET"])
    reports = list(MonthlyReport.objects.filter(customer_id=company).order_by("-month")[:36])
    return render(request, "reports/portal_monthly_list.html", {"rows": _rows(reports)})


def company_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    company = _contact_company(request)
    report = None if company is None else MonthlyReport.objects.filter(pk=pk, customer_id=company).first()
    if report is None:
        raise Http404
    if request.method != "GET":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["GET"])
    return _pdf(report)
