"""Reads for the customer portal, scoped to one company.

Every case, activity and attachment a contact reaches goes through here: a case is looked up among
its company's cases only, so anything of another company is simply not found (404, never 403,
whatever the route). Only what the customer may see leaves: public activities (never internal notes
or notifications) and public attachments of public activities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404

from cases import selectors as case_selectors
from cases.models import ActivityKind, Case, CaseActivity, CaseAttachment, CaseStatus
from cases.search import filter_search
from contracts import sla
from contracts.models import TechnicalContact

# Never shown to a customer, whatever their flag says.
HIDDEN_KINDS = (ActivityKind.INTERNAL_NOTE, ActivityKind.NOTIFICATION)


def contact_link(user: User | AbstractBaseUser | AnonymousUser) -> TechnicalContact | None:
    """The designation behind a signed-in customer account, active or ended (None for anonymous
    users, staff and accounts that are nobody's contact). One query."""
    if not user.is_authenticated or getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return None
    return TechnicalContact.objects.select_related("customer").filter(user_id=user.pk).first()


def current_contact(user: User | AbstractBaseUser | AnonymousUser) -> TechnicalContact | None:
    """The contact a signed-in user is, while their designation lasts."""
    contact = contact_link(user)
    return contact if contact is not None and contact.is_active else None


def company_cases(contact: TechnicalContact) -> QuerySet[Case]:
    """Every case of the contact's company (the scheme: a contact follows all of them)."""
    return Case.objects.filter(customer_id=contact.customer_id)


PORTAL_DETAIL_RELATIONS = ("plan", "product", "installation", "requester", "assigned_to")


def company_case_or_404(contact: TechnicalContact, number: str) -> Case:
    case = company_cases(contact).select_related(*PORTAL_DETAIL_RELATIONS).filter(number=number).first()
    if case is None:
        raise Http404
    return case


def company_case_by_id_or_404(contact: TechnicalContact, pk: int) -> Case:
    case = company_cases(contact).select_related(*PORTAL_DETAIL_RELATIONS).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def public_activities(case: Case) -> QuerySet[CaseActivity]:
    return CaseActivity.objects.filter(case=case, is_public=True).exclude(kind__in=HIDDEN_KINDS)


def public_attachments(case: Case) -> QuerySet[CaseAttachment]:
    """Files the customer may see: public, and not hanging from an activity they may not see."""
    return CaseAttachment.objects.filter(case=case, is_public=True).filter(
        Q(activity__isnull=True) | (Q(activity__is_public=True) & ~Q(activity__kind__in=HIDDEN_KINDS))
    )


# --- the list ---------------------------------------------------------------------------------------

PER_PAGE = 20


@dataclass(frozen=True)
class PortalFilters:
    state: str = "open"  # "open", "closed", "all"
    status: str = ""
    priority: str = ""
    product: int | None = None
    q: str = ""


def company_case_queryset(contact: TechnicalContact, filters: PortalFilters) -> QuerySet[Case]:
    """The company's cases matching the filters, newest first (index case_customer_cover_idx)."""
    qs = company_cases(contact)
    if filters.state == "open":
        qs = qs.exclude(status=CaseStatus.CLOSED)
    elif filters.state == "closed":
        qs = qs.filter(status=CaseStatus.CLOSED)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    if filters.product:
        qs = qs.filter(product_id=filters.product)
    qs = filter_search(qs, filters.q)
    return qs.order_by("-registered_at", "-id")


@dataclass(frozen=True)
class CasePage:
    items: list[case_selectors.CaseListItem]
    countdowns: dict[int, case_selectors.Countdown]
    total: int
    capped: bool
    page: int
    pages: int


def company_case_page(
    contact: TechnicalContact, filters: PortalFilters, *, page: int, now: datetime, per_page: int = PER_PAGE
) -> CasePage:
    """One page of the list: a capped count, then the page's rows (LIMIT/OFFSET in SQL)."""
    queryset = company_case_queryset(contact, filters)
    total, capped = case_selectors.capped_count(queryset)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = []
    if total:
        items = case_selectors.case_page_items(queryset, page=page, per_page=per_page, few=not capped)
    countdowns = case_selectors.item_countdowns(items, now=now)
    return CasePage(items, countdowns, total, capped, page, pages)


def company_products(contact: TechnicalContact) -> list[tuple[int, str]]:
    """The products of the company's installations (the list's product filter)."""
    rows = (
        contact.customer.installations.order_by("product__name")
        .values_list("product_id", "product__name")
        .distinct()
    )
    return list(rows)


# --- the detail -----------------------------------------------------------------------------------

TIMELINE_PAGE = 50


@dataclass(frozen=True)
class PublicTimeline:
    activities: list[CaseActivity]
    total: int
    shown_from: int  # how many older ones are left out


def public_timeline(case: Case, *, limit: int = TIMELINE_PAGE, everything: bool = False) -> PublicTimeline:
    """The public activities, oldest first: the newest ``limit`` (all with ``everything``), each
    with its public attachments and its author (three queries)."""
    activities_qs = public_activities(case)
    total = activities_qs.count()
    newest = activities_qs.select_related("author").order_by("-created_at", "-id")
    chosen = list(newest if everything else newest[:limit])
    chosen.reverse()
    files: dict[int, list[CaseAttachment]] = {}
    for attachment in public_attachments(case).filter(activity__in=[a.pk for a in chosen]):
        files.setdefault(attachment.activity_id or 0, []).append(attachment)
    for activity in chosen:
        activity.public_files = files.get(activity.pk, [])  # type: ignore[attr-defined]
    return PublicTimeline(chosen, total, total - len(chosen))


@dataclass(frozen=True)
class ClockState:
    """The attention clock for the live countdown: business seconds left (negative once overdue),
    whether the calendar runs now and until when that holds, the at-risk instant."""

    countdown: case_selectors.Countdown
    remaining_seconds: int | None
    running: bool
    until: datetime | None
    at_risk_at: datetime | None
    now: datetime

    # Epoch milliseconds for the page's script.
    @property
    def now_ms(self) -> int:
        return _ms(self.now)

    @property
    def until_ms(self) -> int | str:
        return _ms(self.until) if self.until is not None else ""

    @property
    def at_risk_ms(self) -> int | str:
        return _ms(self.at_risk_at) if self.at_risk_at is not None else ""


def _ms(instant: datetime) -> int:
    return int(instant.timestamp() * 1000)


def attention_clock(case: Case, *, now: datetime) -> ClockState:
    countdown = case_selectors.countdowns([case], now=now)[case.pk]
    if countdown.state not in ("pending", "at_risk", "breached") or countdown.remaining is None:
        return ClockState(countdown, None, False, None, None, now)
    running, until = sla.snapshot().clock_running_until(now, case.plan.code, case.priority)
    return ClockState(
        countdown,
        int(countdown.remaining.total_seconds()),
        running,
        until,
        case.attention_at_risk_at,
        now,
    )



def case_copies(case: Case) -> list[TechnicalContact]:
    """The company's other active designated contacts, each with ``copied`` (on this case's
    e-mails): the case's own company only, one query (the desk's selector)."""
    return case_selectors.copy_panel(case)
