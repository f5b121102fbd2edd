"""Reads of cases: the filtered, sorted, paginated lists and the detail page's data.

Lists stay fast at a million cases: every filter has an index, sorting is on indexed columns,
pagination is LIMIT/OFFSET in SQL and the total is counted only up to a cap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, Expression, F, OrderBy, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce

from contracts import sla
from contracts.models import SupportPlan, TechnicalContact

from .copy_models import CaseCopy
from .models import UNANSWERED_LAST, Case, CaseActivity, CaseStatus
from .search import filter_search

COUNT_CAP = 1000

# The open queue: unanswered cases first (first_response_at IS NULL), by deadline, then the
# answered ones by deadline — the partial index case_open_queue_idx gives this order.
SORTS: dict[str, tuple[str | Expression | OrderBy, ...]] = {
    "queue": (UNANSWERED_LAST.asc(), "attention_due_at", "id"),
    "due": ("attention_due_at", "id"),
    "-due": ("-attention_due_at", "-id"),
    "registered": ("registered_at", "id"),
    "-registered": ("-registered_at", "-id"),
    "priority": ("priority", "attention_due_at", "id"),
    "number": ("number",),
    "-number": ("-number",),
}
DEFAULT_SORT = "-registered"
OPEN_SORT = "queue"

# What a list row shows, read as plain tuples (no model instances: the list's hot path).
_LIST_FIELDS = (
    "pk",
    "number",
    "subject",
    "status",
    "priority",
    "registered_at",
    "attention_due_at",
    "first_response_at",
    "attention_met",
    "customer__name",
    "plan__code",
    "plan__name",
    "product__name",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "attention_at_risk_at",
    "closed_at",
)


@dataclass(slots=True)
class CaseListItem:
    """One case of a list page, with the related names joined in (the _LIST_FIELDS, in order)."""

    pk: int
    number: str
    subject: str
    status: str
    priority: str
    registered_at: datetime
    attention_due_at: datetime | None
    first_response_at: datetime | None
    attention_met: bool | None
    customer_name: str
    plan_code: str
    plan_name: str
    product_name: str
    assignee_username: str | None
    assignee_first_name: str | None
    assignee_last_name: str | None
    attention_at_risk_at: datetime | None
    closed_at: datetime | None = None

    @property
    def assignee(self) -> str:
        """Full name, else username (as User.get_full_name / get_username); "" when unassigned."""
        if self.assignee_username is None:
            return ""
        full = f"{self.assignee_first_name} {self.assignee_last_name}".strip()
        return full or self.assignee_username


@dataclass
class CaseFilters:
    status: str = ""  # "open" (default), "all", or one CaseStatus value
    priority: str = ""
    plan: str = ""  # plan code
    customer: int | None = None
    assignee: str = ""  # "me", "none" or a user id
    sla: str = ""  # "breached", "at_risk", "unanswered", "missed", "met"
    q: str = ""
    sort: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def case_queryset(
    *, filters: CaseFilters, user_id: int | None, now: datetime, many: bool = False, count: bool = False
) -> QuerySet[Case]:
    """The cases matching the filters, sorted. ``many``: the capped count hit the cap; the page of
    a search is then read by walking the sort's index (search.filter_search's ``scan``).
    ``count``: the same cases written for the capped count (search.filter_search's ``count``)."""
    qs = Case.objects.all()
    status = filters.status or "open"
    if status == "open":
        qs = qs.exclude(status=CaseStatus.CLOSED)
    elif status in CaseStatus.values:
        qs = qs.filter(status=status)
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    if filters.plan:
        # The plan's id by a subquery, not a join on its code: PostgreSQL then estimates the
        # filter from plan_id's statistics (about half the cases each) instead of a join estimate
        # ~100x too low, which made it read and sort every open case of the plan rather than walk
        # the open queue's index to the first page (plan=GOLD_8X5 at 1M cases: 9,586 → 259 buffers).
        plan_id = SupportPlan.objects.filter(code=filters.plan).order_by().values("pk")[:1]
        qs = qs.filter(plan_id=Subquery(plan_id))
    if filters.customer:
        qs = qs.filter(customer_id=filters.customer)
    if filters.assignee == "me" and user_id:
        qs = qs.filter(assigned_to_id=user_id)
    elif filters.assignee == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif filters.assignee.isascii() and filters.assignee.isdigit():
        qs = qs.filter(assigned_to_id=int(filters.assignee))
    sla_q = sla_condition(filters.sla, now)
    if sla_q is not None:
        qs = qs.filter(sla_q)
    qs = filter_search(qs, filters.q, scan=many, count=count and not many)
    sort = filters.sort if filters.sort in SORTS else (OPEN_SORT if status == "open" else DEFAULT_SORT)
    return qs.order_by(*SORTS[sort])


def sla_condition(sla_filter: str, now: datetime) -> Q | None:
    """The attention-time filter: breached (not attended and past the deadline while open, or
    attended late), at risk, unanswered, attended late, attended in time."""
    open_ = ~Q(status=CaseStatus.CLOSED)
    conditions = {
        "breached": (Q(first_response_at__isnull=True, attention_due_at__lt=now) & open_)
        | Q(attention_met=False),
        "at_risk": Q(first_response_at__isnull=True, attention_at_risk_at__lte=now, attention_due_at__gte=now)
        & open_,
        "unanswered": Q(first_response_at__isnull=True),
        "missed": Q(attention_met=False),
        "met": Q(attention_met=True),
    }
    return conditions.get(sla_filter)


def capped_count(queryset: QuerySet[Case]) -> tuple[int, bool]:
    """How many match, counted only up to COUNT_CAP (a LIMITed subquery), and whether it was hit."""
    found = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    return min(found, COUNT_CAP), found > COUNT_CAP


def case_page_items(
    queryset: QuerySet[Case], *, page: int, per_page: int, few: bool = False, walk: bool = False
) -> list[CaseListItem]:
    """One page: LIMIT/OFFSET in SQL, with the related names joined in, as CaseListItems.

    ``few``: the capped count found fewer matches than the cap. The sort is then done on an
    expression no index provides (COALESCE(col, col), same order and NULLs): PostgreSQL finds the
    few matches with the filters' best index and sorts them, instead of walking the sort column's
    index hoping to meet matches soon — a LIMIT plan that reads most of the table when a rare
    search or filter combination matches only a few, old, cases.
    """
    offset = (page - 1) * per_page
    order = queryset.query.order_by
    # The page's ids first, from the filters' or the sort's index — from the index alone when it
    # carries the filtered columns (models.LIST_FILTER_COLUMNS), so rows that do not match cost no
    # table read — then the rows of those ids, with their related names (a deferred join).
    ids = queryset.order_by(*(_unindexed(order) if few else order)).values("pk")[offset : offset + per_page]
    rows = Case.objects.filter(pk__in=ids).order_by(*order).values_list(*_LIST_FIELDS)
    if not walk:
        return [CaseListItem(*row) for row in rows]
    # ``walk``: a search known to match many cases. PostgreSQL's estimate for full-text joined with
    # other filters is often far too low, and it then ANDs bitmaps of the other filters (tens of
    # thousands of rows read and sorted) instead of walking an index in the page's order and
    # stopping after the page; bitmap scans are switched off for this one query (same result).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        return [CaseListItem(*row) for row in rows]


def _unindexed(order: Sequence[str | Combinable]) -> list:
    keys: list = []
    for key in order:
        if not isinstance(key, str):
            keys.append(key)  # an expression: no index gives it but the open queue's
            continue
        name = key.lstrip("-")
        expression = Coalesce(F(name), F(name))
        keys.append(expression.desc() if key.startswith("-") else expression.asc())
    return keys


@dataclass(frozen=True)
class Countdown:
    """Business time left to the attention deadline (negative once breached), for display."""

    # "pending", "at_risk", "breached", "met", "missed", "no_priority"; closed without an answer:
    # "closed_breached" (its deadline passed before the closing) or "no_answer"
    state: str
    remaining: timedelta | None = None


def countdowns(cases: list[Case], *, now: datetime) -> dict[int, Countdown]:
    """Business-time countdowns for cases: one snapshot, no query per row."""
    snap = sla.snapshot()
    return {
        case.pk: _countdown(
            snap,
            now,
            first_response_at=case.first_response_at,
            attention_met=case.attention_met,
            priority=case.priority,
            due=case.attention_due_at,
            status=case.status,
            plan_code=case.plan.code,
            at_risk_at=case.attention_at_risk_at,
            closed_at=case.closed_at,
        )
        for case in cases
    }


def item_countdowns(items: list[CaseListItem], *, now: datetime) -> dict[int, Countdown]:
    """Countdowns for a list page; the SLA snapshot (one query) only if a row needs it."""
    pending = any(
        i.first_response_at is None and i.priority and i.attention_due_at and i.status != CaseStatus.CLOSED
        for i in items
    )
    snap = sla.snapshot() if pending else None
    return {
        item.pk: _countdown(
            snap,
            now,
            first_response_at=item.first_response_at,
            attention_met=item.attention_met,
            priority=item.priority,
            due=item.attention_due_at,
            status=item.status,
            plan_code=item.plan_code,
            at_risk_at=item.attention_at_risk_at,
            closed_at=item.closed_at,
        )
        for item in items
    }


def _countdown(
    snap: sla.SlaSnapshot | None,
    now: datetime,
    *,
    first_response_at: datetime | None,
    attention_met: bool | None,
    priority: str,
    due: datetime | None,
    status: str,
    plan_code: str,
    at_risk_at: datetime | None = None,
    closed_at: datetime | None = None,
) -> Countdown:
    if first_response_at is not None:
        return Countdown("met" if attention_met else "missed")
    if not priority or due is None:
        return Countdown("no_priority")
    if status == CaseStatus.CLOSED:
        # Closed without any customer-facing answer: breached if its deadline passed before the
        # closing, else there is no attention result to show.
        if closed_at is not None and due < closed_at:
            return Countdown("closed_breached")
        return Countdown("no_answer")
    snap = snap or sla.snapshot()
    # Business time to the deadline; negative (business time overdue) once it has passed.
    left = snap.business_time_elapsed(now, due, plan_code, priority)
    if due <= now:
        return Countdown("breached", left)
    at_risk = at_risk_at is not None and at_risk_at <= now
    return Countdown("at_risk" if at_risk else "pending", left)


# What a case's page shows beside the timeline (the desk's and the admin's), read in one query.
DETAIL_RELATIONS = (
    "customer",
    "contract",
    "plan",
    "installation",
    "product",
    "requester",
    "assigned_to",
    "registered_by",
    "duplicate_of",
)


def case_for_detail(*, number: str) -> Case | None:
    """The case with what its page shows beside the timeline (one query); the timeline itself is
    read a page at a time by :func:`case_timeline`."""
    return Case.objects.select_related(*DETAIL_RELATIONS).filter(number=number).first()


TIMELINE_PAGE = 50


@dataclass(frozen=True)
class Timeline:
    """One page of a case's timeline: the newest page first, each page in chronological order."""

    activities: list[CaseActivity]
    page: int
    pages: int
    total: int

    @property
    def older_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

    @property
    def newer_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def older_count(self) -> int:
        """Activities before the ones on this page."""
        return max(0, self.total - self.page * TIMELINE_PAGE)


def timeline_page(raw: str | None) -> int:
    """The ``?timeline=`` page asked for; anything that is not a page number is the first page."""
    try:
        page = int(raw or 1)
    except ValueError:
        return 1
    return page if 1 <= page <= 1_000_000 else 1


def case_timeline(*, case: Case, page: int = 1, per_page: int = TIMELINE_PAGE) -> Timeline:
    """Page ``page`` of the timeline counted from the newest (three queries whatever its length:
    the count, the page with its authors, the page's attachments). A page past the end shows the
    oldest one."""
    total = CaseActivity.objects.filter(case=case).count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    newest_first = (
        CaseActivity.objects.filter(case=case)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("-created_at", "-id")[(page - 1) * per_page : page * per_page]
    )
    activities = list(newest_first)
    activities.reverse()
    return Timeline(activities=activities, page=page, pages=pages, total=total)


@dataclass(frozen=True)
class SlaPanel:
    deadline: datetime | None
    attention_time: timedelta | None
    used: timedelta | None
    percent: int | None
    calendar: str
    at_risk: bool = False  # unanswered, past the at-risk threshold, before the deadline


def sla_panel(case: Case, *, now: datetime) -> SlaPanel:
    """Deadline, business time used until the first response (or now) and the share consumed."""
    if not case.priority or case.attention_due_at is None:
        return SlaPanel(None, None, None, None, "")
    snap = sla.snapshot()
    policy = snap.policy(case.plan.code, case.priority)
    until = case.first_response_at or (case.closed_at if case.closed_at else now)
    used = max(
        snap.business_time_elapsed(case.registered_at, until, case.plan.code, case.priority), timedelta(0)
    )
    percent = round(used / policy.amount * 100) if policy.amount else None
    at_risk = (
        case.first_response_at is None
        and case.is_open
        and case.attention_at_risk_at is not None
        and case.attention_at_risk_at <= now < case.attention_due_at
    )
    return SlaPanel(case.attention_due_at, policy.amount, used, percent, policy.calendar.name, at_risk)


def my_counters(*, user_id: int, now: datetime) -> dict[str, int]:
    """An engineer's own open cases: open, unanswered, at risk and breached now (one aggregate,
    the case list's own conditions, so each count equals its link's list)."""
    return desk_counters(Case.objects.filter(assigned_to_id=user_id), now=now)


def desk_counters(qs: QuerySet[Case], *, now: datetime) -> dict[str, int]:
    """Open, unanswered, at risk and breached now among the open cases of ``qs`` (one aggregate)."""
    from django.db.models import Count

    keys = ("unanswered", "at_risk", "breached")
    # COUNT of a column the open-case indexes carry (never the id): read from the index alone.
    return qs.exclude(status=CaseStatus.CLOSED).aggregate(
        open=Count("*"), **{key: Count("registered_at", filter=sla_condition(key, now)) for key in keys}
    )


def copy_panel(case: Case) -> list[TechnicalContact]:
    """The company's other active designated contacts, each with ``copied`` (whether it is copied
    on the case's e-mails): one query, for the case page."""
    return list(
        TechnicalContact.objects.filter(customer_id=case.customer_id, is_active=True)
        .exclude(pk=case.requester_id)
        .annotate(copied=Exists(CaseCopy.objects.filter(case_id=case.pk, contact_id=OuterRef("pk"))))
        .only("id", "full_name", "email")
        .order_by("full_name")
    )
