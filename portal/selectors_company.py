"""What the company page reads: one customer's contracts, installations, designated contacts,
its plans' support hours, the support channels and the escalation matrix. Scoped to the
contact's own company here, never in templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from cases.hour_bank import HourBank, hour_bank_of
from contracts.models import (
    CalendarSlot,
    ContactChangeRequest,
    Customer,
    Installation,
    SupportContract,
    SupportPlan,
    TechnicalContact,
    Weekday,
)
from contracts.selectors import contract_is_in_force
from escalation.models import EscalationLevel
from escalation.selectors import escalation_matrix
from warranty.models import SoftwareUpdate


@dataclass(frozen=True)
class HoursRow:
    days: str
    hours: str


@dataclass
class PlanHours:
    plan: SupportPlan
    rows: list[HoursRow] = field(default_factory=list)
    holidays_excluded: bool = False


@dataclass
class ContractRow:
    contract: SupportContract
    in_force: bool
    hour_bank: HourBank | None = None  # tiers 1 and 2 bought as a bank of hours


@dataclass
class CompanyPage:
    customer: Customer
    contracts: list[ContractRow]
    installations: QuerySet[Installation]
    contacts: QuerySet[TechnicalContact]
    plan_hours: list[PlanHours]
    matrix: QuerySet[EscalationLevel]


def _clock(value: time, *, end: bool = False) -> str:
    """A slot's edge as text; a slot ending at 00:00 ends at midnight, shown as 24:00."""
    return "24:00" if end and value == time(0, 0) else value.strftime("%H:%M")


def _day_span(days: list[int]) -> str:
    labels = [str(Weekday(d).label).lower() for d in days]
    if len(days) == 7:
        return _("every day")
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return _("%(first)s to %(last)s") % {"first": labels[0], "last": labels[-1]}
    return ", ".join(labels)


def plan_hours(plan: SupportPlan) -> PlanHours:
    """The plan's weekly opening hours, weekdays with the same hours grouped ("lunes a viernes")."""
    by_day: dict[int, str] = {}
    for slot in sorted(plan.calendar.slots.all(), key=lambda s: (s.weekday, s.start_time)):
        text = f"{_clock(slot.start_time)}–{_clock(slot.end_time, end=True)}"
        by_day[slot.weekday] = f"{by_day[slot.weekday]}, {text}" if slot.weekday in by_day else text
    groups: list[tuple[list[int], str]] = []
    for day in sorted(by_day):
        if groups and groups[-1][1] == by_day[day] and groups[-1][0][-1] == day - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], by_day[day]))
    rows = [HoursRow(days=_day_span(days), hours=hours) for days, hours in groups]
    return PlanHours(plan=plan, rows=rows, holidays_excluded=bool(plan.calendar.holiday_country))


def company_page(*, customer: Customer, today: date) -> CompanyPage:
    contracts = list(
        SupportContract.objects.filter(customer=customer)
        .select_related("plan__calendar")
        .prefetch_related(
            Prefetch("plan__calendar__slots", queryset=CalendarSlot.objects.order_by("weekday"))
        )
        .order_by("-end_date", "number")
    )
    rows = [
        ContractRow(
            contract=c,
            in_force=contract_is_in_force(c, on=today),
            hour_bank=hour_bank_of(c) if c.end_date >= today else None,
        )
        for c in contracts
    ]
    plans: dict[int, SupportPlan] = {}
    for row in rows:
        if row.contract.end_date >= today:  # in force or about to start
            plans.setdefault(row.contract.plan_id, row.contract.plan)
    return CompanyPage(
        customer=customer,
        contracts=rows,
        installations=Installation.objects.filter(customer=customer)
        .select_related("product")
        .prefetch_related(
            # the version/build history (software assurance): what each update moved it from and to
            Prefetch("software_updates", queryset=SoftwareUpdate.objects.order_by("-scheduled_for", "-pk"))
        )
        .order_by("product__name", "version"),
        contacts=TechnicalContact.objects.filter(customer=customer, is_active=True).order_by("full_name"),
        plan_hours=[plan_hours(p) for p in plans.values()],
        matrix=escalation_matrix(),
    )


def pending_change_request(*, contact: TechnicalContact) -> ContactChangeRequest | None:
    return ContactChangeRequest.objects.filter(
        contact=contact, status=ContactChangeRequest.Status.PENDING
    ).first()
