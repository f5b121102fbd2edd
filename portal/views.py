"""The customer portal's pages. Every case is read through ``portal.selectors`` (one company)."""

from __future__ import annotations

from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from cases.downloads import attachment_response
from cases.models import Case

from . import display, selectors
from .access import company_case_view, contact_required
from .case_actions import case_actions
from .forms import CaseFilterForm


def _int(value: str | None, default: int = 1) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


@contact_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    contact = request.contact  # type: ignore[attr-defined]
    form = CaseFilterForm(request.GET or None, products=selectors.company_products(contact))
    filters = form.filters() if form.is_bound else selectors.PortalFilters()
    now = timezone.now()
    page = selectors.company_case_page(contact, filters, page=_int(request.GET.get("page")), now=now)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/case_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": display.case_rows(page.items, page.countdowns),
            "query": query.urlencode(),
        },
    )


def detail_context(
    request: HttpRequest, case: Case, *, bound: dict[str, Form] | None = None
) -> dict[str, object]:
    """What the case page shows (portal pages that re-render it, e.g. after a refused action, add
    their own keys to this). ``bound``: an action's form that came back with errors, by name."""
    now = timezone.now()
    timeline = selectors.public_timeline(case, everything=request.GET.get("historial") == "todo")
    return {
        "case": case,
        "clock": selectors.attention_clock(case, now=now),
        "clock_texts": display.clock_texts(),
        "timeline": timeline,
        "timeline_html": display.timeline_html(timeline.activities, case_number=case.number),
        "files": list(selectors.public_attachments(case).filter(activity__isnull=True)),
        "engineer": display.first_name(case.assigned_to),
        "clip": mark_safe(display.CLIP),  # noqa: S308 - a constant
        "actions": case_actions(
            case, now=now, bound=bound, contact_id=getattr(getattr(request, "contact", None), "pk", None)
        ),
        "copies": selectors.case_copies(case),
    }


@company_case_view("GET")
def case_detail(request: HttpRequest, case: Case) -> HttpResponse:
    return render(request, "portal/case_detail.html", detail_context(request, case))


@company_case_view("GET")
def case_clock(request: HttpRequest, case: Case) -> HttpResponse:
    """The attention countdown alone (the live countdown asks for it when the calendar opens or
    closes, at the at-risk instant and at the deadline)."""
    clock = selectors.attention_clock(case, now=timezone.now())
    return render(
        request,
        "portal/partials/clock.html",
        {"case": case, "clock": clock, "clock_texts": display.clock_texts()},
    )


@company_case_view("GET")
def attachment_download(request: HttpRequest, case: Case, file_pk: int) -> HttpResponseBase:
    """A public file of one of the company's cases; always a download, never rendered."""
    attachment = selectors.public_attachments(case).filter(pk=file_pk).first()
    if attachment is None:
        raise Http404
    return attachment_response(attachment)
