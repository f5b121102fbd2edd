"""The engineers' case desk. Views check input and permissions, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from contracts.actors import request_actor
from contracts.models import Customer
from knowledge import selectors as kb_selectors

from . import display, selectors, services
from .downloads import attachment_response
from .errors import CaseError, RegistrationRefused
from .forms import (
    ActivityForm,
    AssignForm,
    AttachmentForm,
    CaseRegistrationForm,
    CloseForm,
    FilterForm,
    PriorityForm,
    ReopenForm,
    SolutionForm,
    StatusForm,
    TierForm,
    VisitForm,
    parse_id,
)
from .forms_copies import CopyForm, CopyRemoveForm
from .hour_bank import hour_bank_of, hour_bank_report
from .idempotency import idempotent
from .models import Case, CaseAttachment

PER_PAGE_CHOICES = (25, 50, 100)

view_required = permission_required("cases.view_case", raise_exception=True)
work_required = permission_required("cases.change_case", raise_exception=True)


# --- list ---------------------------------------------------------------------------------------


class _CappedPaginator(Paginator):
    """A paginator whose total comes from a capped COUNT, not a full count."""

    def __init__(self, total: int, per_page: int) -> None:
        super().__init__(range(total), per_page)


@login_required
@view_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    form.is_valid()  # invalid filters are dropped one by one, the valid ones still apply
    data = getattr(form, "cleaned_data", {})
    filters = selectors.CaseFilters(
        status=data.get("status") or "open",
        priority=data.get("priority") or "",
        plan=data.get("plan") or "",
        customer=data.get("customer"),
        assignee=data.get("assignee") or "",
        sla=data.get("sla") or "",
        q=data.get("q") or "",
        sort=data.get("sort") or "",
    )
    per_page = _int(request.GET.get("per_page"), PER_PAGE_CHOICES[0])
    per_page = per_page if per_page in PER_PAGE_CHOICES else PER_PAGE_CHOICES[0]
    now = timezone.now()
    queryset = selectors.case_queryset(filters=filters, user_id=request.user.pk, now=now)
    # A search that could not be made (too long) shows nothing rather than every case.
    search_refused = bool(form.errors.get("q")) if form.is_bound else False
    counted = selectors.case_queryset(filters=filters, user_id=request.user.pk, now=now, count=True)
    total, capped = (0, False) if search_refused else selectors.capped_count(counted)
    page: Page[Any] = _CappedPaginator(total, per_page).get_page(_int(request.GET.get("page"), 1))
    if capped and filters.q:
        queryset = selectors.case_queryset(filters=filters, user_id=request.user.pk, now=now, many=True)
    cases = (
        selectors.case_page_items(
            queryset, page=page.number, per_page=per_page, few=not capped, walk=capped and bool(filters.q)
        )
        if total
        else []
    )
    countdowns = selectors.item_countdowns(cases, now=now)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows_html": display.rows_html(cases, countdowns, unassigned=_("Unassigned")),
        "rows": cases,
        "cases": cases,
        "page": page,
        "total": total,
        "capped": capped,
        "cap": selectors.COUNT_CAP,
        "query": query.urlencode(),
        "filters": filters,
        "per_page": per_page,
        "per_page_choices": PER_PAGE_CHOICES,
        "now_label": display.now_label(now),
        "search_refused": search_refused,
    }
    template = (
        "cases/partials/case_table.html" if request.headers.get("HX-Request") else "cases/case_list.html"
    )
    return render(request, template, context)


def _int(value: str | None, default: int) -> int:
    parsed = parse_id(value)
    return parsed if parsed is not None else default


# --- registration -------------------------------------------------------------------------------


# Registration rules (in the service) whose message belongs next to one field of the form.
_REGISTRATION_ERROR_FIELDS = {
    "no_priority": "priority",
    "bad_priority": "priority",
    "attachments_refused": "attachments",
}


@login_required
@permission_required("cases.add_case", raise_exception=True)
@idempotent
def case_register(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    customer_pk = parse_id(source.get("customer"))
    customer = (
        Customer.objects.filter(pk=customer_pk, is_active=True).first() if customer_pk is not None else None
    )
    if request.method == "POST" and not source.get("_show_customer"):
        form = CaseRegistrationForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["attachments"] = data.pop("attachments") or []
            try:
                case = services.case_register(actor=request_actor(request), **data)
            except RegistrationRefused as refused:
                # Said once, above the form that is shown again.
                form.add_error(
                    None, _("Request refused and recorded: %(reason)s") % {"reason": refused.messages[0]}
                )
            except CaseError as error:
                form.add_error(_REGISTRATION_ERROR_FIELDS.get(str(error.code)), error)
            else:
                messages.success(
                    request,
                    _("Case %(number)s registered. Give this number to the customer.")
                    % {"number": case.number},
                )
                return redirect("cases:detail", number=case.number)
        status = 400
    else:
        # Choosing the customer (htmx, or the no-JavaScript "show contacts" button, which posts the
        # form so nothing typed lands in a URL) narrows contacts and installations and keeps what
        # was typed so far.
        typed = {k: v for k, v in source.items() if k in CaseRegistrationForm.base_fields}
        form = CaseRegistrationForm(
            customer=customer, initial={**typed, "customer": getattr(customer, "pk", None)}
        )
        status = 200
    template = (
        "cases/partials/register_dependent.html"
        if request.headers.get("HX-Request")
        else "cases/case_register.html"
    )
    return render(request, template, {"form": form}, status=status)


# --- detail and actions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    form: Callable[..., forms.Form]  # a form class; some take the case
    run: Callable[[HttpRequest, Case, dict[str, Any]], Any]
    done: Any  # a lazy translation
    permission: str = "cases.change_case"
    needs_case_in_form: bool = False


ACTIONS: dict[str, Action] = {
    "activity": Action(
        ActivityForm,
        lambda r, c, d: services.case_log_activity(
            case=c,
            actor=request_actor(r),
            kind=d["kind"],
            body=d["body"],
            is_public=d["is_public"],
            attachments=d["attachments"],
            minutes_spent=d.get("minutes_spent") or 0,
        ),
        gettext_lazy("Activity recorded."),
    ),
    "assign": Action(
        AssignForm,
        lambda r, c, d: services.case_assign(case=c, actor=request_actor(r), assignee=d["assignee"]),
        gettext_lazy("Assignment saved."),
    ),
    "take": Action(
        forms.Form,
        lambda r, c, d: services.case_assign(case=c, actor=request_actor(r), assignee=request_actor(r)),
        gettext_lazy("You took the case."),
    ),
    "priority": Action(
        PriorityForm,
        lambda r, c, d: services.case_change_priority(
            case=c, actor=request_actor(r), priority=d["priority"], reason=d["reason"]
        ),
        gettext_lazy("Priority changed; the attention deadline was recomputed."),
    ),
    "tier": Action(
        TierForm,
        lambda r, c, d: services.case_escalate_tier(
            case=c, actor=request_actor(r), tier=d["tier"], analysis=d["analysis"], evidence=d["evidence"]
        ),
        gettext_lazy("Case escalated to the next support tier."),
        needs_case_in_form=True,
    ),
    "status": Action(
        StatusForm,
        lambda r, c, d: services.case_change_status(
            case=c, actor=request_actor(r), status=d["status"], note=d["note"]
        ),
        gettext_lazy("Status changed."),
    ),
    "solution": Action(
        SolutionForm,
        lambda r, c, d: services.case_propose_solution(
            case=c, actor=request_actor(r), solution_kind=d["solution_kind"], solution=d["solution"]
        ),
        gettext_lazy("Solution proposed to the customer."),
    ),
    "close": Action(
        CloseForm,
        lambda r, c, d: services.case_close(
            case=c, actor=request_actor(r), reason=d["reason"], note=d["note"], duplicate_of=d["duplicate_of"]
        ),
        gettext_lazy("Case closed."),
    ),
    "reopen": Action(
        ReopenForm,
        lambda r, c, d: services.case_reopen(case=c, actor=request_actor(r), reason=d["reason"]),
        gettext_lazy("Case reopened."),
    ),
    "visit": Action(
        VisitForm,
        lambda r, c, d: services.case_authorize_visit(
            case=c, actor=request_actor(r), reason=d["reason"], scheduled_for=d["scheduled_for"]
        ),
        gettext_lazy("On-site visit authorised."),
        permission="cases.authorize_onsite_visit",
    ),
    "copy": Action(
        CopyForm,
        lambda r, c, d: services.case_copy_add(case=c, actor=request_actor(r), email=d["email"]),
        gettext_lazy("The contact is copied on the case's e-mails."),
    ),
    "uncopy": Action(
        CopyRemoveForm,
        lambda r, c, d: services.case_copy_remove(case=c, actor=request_actor(r), contact_id=d["contact"]),
        gettext_lazy("The contact is no longer copied on the case's e-mails."),
    ),
    "attach": Action(
        AttachmentForm,
        lambda r, c, d: services.case_attach_files(
            case=c, actor=request_actor(r), uploads=d["files"], note=d["note"], is_public=d["is_public"]
        ),
        gettext_lazy("Files attached; they are on the timeline."),
    ),
}


def _action_forms(case: Case, bound: tuple[str, forms.Form] | None = None) -> dict[str, forms.Form]:
    built: dict[str, forms.Form] = {}
    for name, action in ACTIONS.items():
        if action.form is forms.Form:
            continue
        if bound and bound[0] == name:
            built[name] = bound[1]
        elif action.needs_case_in_form:
            built[name] = action.form(case=case, prefix=name)
        else:
            built[name] = action.form(
                prefix=name, initial={"priority": case.priority} if name == "priority" else None
            )
    return built


def _detail_context(
    request: HttpRequest, case: Case, bound: tuple[str, forms.Form] | None = None
) -> dict[str, Any]:
    now = timezone.now()
    countdown = selectors.countdowns([case], now=now)[case.pk]
    page = selectors.timeline_page(request.GET.get("timeline"))
    copy_contacts = selectors.copy_panel(case)
    return {
        "case": case,
        "timeline": selectors.case_timeline(case=case, page=page),
        "countdown": countdown,
        "sla": selectors.sla_panel(case, now=now),
        "forms": _action_forms(case, bound),
        "open_action": bound[0] if bound else "",
        "priority_suggested": services.priority_awaits_confirmation(case),
        "hour_bank": hour_bank_of(case.contract) if case.contract_id else None,
        "now": now,
        # One bounded query each: the published articles of the case's product that share words
        # with it, and the canned replies for the activity and solution forms, filled in.
        "related_articles": kb_selectors.related_for_case(
            product_id=case.product_id, text=f"{case.subject} {case.description}"
        ),
        "copy_contacts": copy_contacts,
        "copies_any": any(contact.copied for contact in copy_contacts),  # type: ignore[attr-defined]
        "canned_replies": kb_selectors.canned_replies_for(
            product_id=case.product_id, values=display.canned_reply_values(case, request.user)
        ),
    }


@login_required
@view_required
@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_for_detail(number=number)
    if case is None:
        raise Http404
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@login_required
@work_required
@require_POST
@idempotent
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = get_object_or_404(Case.objects.select_related("plan"), number=number)
    if not request.user.has_perm(spec.permission):
        messages.error(request, _("You are not allowed to do that."))
        return redirect("cases:detail", number=number)
    kwargs: dict[str, Any] = {"case": case} if spec.needs_case_in_form else {}
    form = spec.form(
        request.POST, request.FILES, prefix=action if spec.form is not forms.Form else None, **kwargs
    )
    if not form.is_valid():
        messages.error(request, _("The action was not saved; see the errors below."))
    else:
        try:
            spec.run(request, case, form.cleaned_data)
        except ValidationError as error:
            # The rule's own message, at the top of the page (the form may not be shown, e.g. on a
            # closed case); what was typed stays in the re-rendered form.
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, spec.done)
            return redirect(reverse("cases:detail", kwargs={"number": number}) + f"#{action}-done")
    fresh = selectors.case_for_detail(number=number)
    if fresh is None:
        raise Http404
    return render(
        request, "cases/case_detail.html", _detail_context(request, fresh, (action, form)), status=400
    )


@login_required
@view_required
@require_GET
def attachment_download(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """Only through here, for users who may see the case; always a download, never rendered."""
    attachment = get_object_or_404(CaseAttachment.objects.select_related("case"), pk=pk, case__number=number)
    return attachment_response(attachment)


@login_required
@view_required
@require_GET
def hour_banks(request: HttpRequest) -> HttpResponse:
    """The hour banks of the contracts not yet ended: bought, used, left."""
    rows = hour_bank_report(today=timezone.localdate())
    return render(request, "cases/hour_banks.html", {"rows": rows})
