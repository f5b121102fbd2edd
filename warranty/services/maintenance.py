"""Preventive maintenance requests: each becomes a case of kind "preventive maintenance", within
the contract year's quota (the contract's number plus the extras its conditions grant), at least
eight calendar days ahead, inside the office calendar (or 24x7 when the conditions grant extended
hours). The portal calls this same service for a contact's request, and ``maintenance_cancel`` when
a contact cancels one before it takes place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import services as case_services
from cases.models import Case, CaseKind, Channel, CloseReason
from contracts import business_time, sla
from contracts.models import Installation, SupportContract, TechnicalContact

from ..errors import WarrantyError
from ..models import MaintenanceTerms, PreventiveMaintenance

MIN_DAYS_AHEAD = 8
DEFAULT_DURATION = timedelta(hours=2)
ALWAYS_CALENDAR = "24x7"

EXTRA_LABELS = {
    "onsite": gettext_lazy("on-site maintenance"),
    "extended_hours": gettext_lazy("extended hours 24x7"),
    "cable_cleaning": gettext_lazy("cable or supplies cleaning"),
}


@dataclass(frozen=True)
class Quota:
    """Maintenances used and entitled in one support year of a contract."""

    support_year: int
    starts: date
    ends: date
    used: int
    entitled: int

    @property
    def left(self) -> int:
        return max(self.entitled - self.used, 0)


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def support_year_of(contract: SupportContract, day: date) -> tuple[int, date, date]:
    """(number, first day, last day) of the contract's support year containing ``day``."""
    years = max(day.year - contract.start_date.year, 0)
    while years > 0 and _anniversary(contract.start_date, years) > day:
        years -= 1
    starts = _anniversary(contract.start_date, years)
    ends = min(_anniversary(contract.start_date, years + 1) - timedelta(days=1), contract.end_date)
    return years + 1, starts, ends


def maintenance_quota(*, contract: SupportContract, day: date) -> Quota:
    number, starts, ends = support_year_of(contract, day)
    terms = MaintenanceTerms.objects.filter(contract=contract).first()
    entitled = contract.preventive_maintenances_per_year + (terms.extra_per_year if terms else 0)
    used = PreventiveMaintenance.objects.filter(
        contract=contract, support_year=number, cancelled_at__isnull=True
    ).count()
    return Quota(support_year=number, starts=starts, ends=ends, used=used, entitled=entitled)


def _when(instant: datetime) -> str:
    return f"{timezone.localtime(instant):%d/%m/%Y %H:%M}"


@transaction.atomic
def maintenance_request(
    *,
    contract: SupportContract,
    installation: Installation,
    requester: TechnicalContact,
    scheduled_for: datetime,
    actor: User | None,
    channel: str = Channel.PHONE,
    duration: timedelta = DEFAULT_DURATION,
    onsite: bool = False,
    extended_hours: bool = False,
    cable_cleaning: bool = False,
    notes: str = "",
    now: datetime | None = None,
) -> PreventiveMaintenance:
    """Schedule a preventive maintenance and open its case. ``actor`` is the engineer who records a
    contact's request, or the contact's own account when they ask in the portal."""
    now = now or timezone.now()
    contract = (
        SupportContract.objects.select_for_update().select_related("customer", "plan").get(pk=contract.pk)
    )
    if not (contract.start_date <= timezone.localdate(now) <= contract.end_date):
        raise WarrantyError(
            _("Contract %(contract)s is not in force: preventive maintenance is part of a contract in force.")
            % {"contract": contract.number},
            code="contract_not_in_force",
        )
    if installation.customer_id != contract.customer_id or requester.customer_id != contract.customer_id:
        raise WarrantyError(
            _("The installation and the requester must be %(customer)s's.")
            % {"customer": contract.customer.name},
            code="foreign",
        )
    first_day = timezone.localdate(now) + timedelta(days=MIN_DAYS_AHEAD)
    local_start = timezone.localtime(scheduled_for)
    if local_start.date() < first_day:
        raise WarrantyError(
            _(
                "A preventive maintenance is requested at least %(days)d days ahead: the earliest date "
                "now is %(first)s."
            )
            % {"days": MIN_DAYS_AHEAD, "first": f"{first_day:%d/%m/%Y}"},
            code="too_soon",
        )
    if local_start.date() > contract.end_date:
        raise WarrantyError(
            _("Contract %(contract)s ends on %(end)s, before that date.")
            % {"contract": contract.number, "end": f"{contract.end_date:%d/%m/%Y}"},
            code="after_contract",
        )
    terms = MaintenanceTerms.objects.filter(contract=contract).first()
    wanted = {"onsite": onsite, "extended_hours": extended_hours, "cable_cleaning": cable_cleaning}
    for name, asked in wanted.items():
        if asked and not (terms is not None and getattr(terms, name)):
            raise WarrantyError(
                _("The conditions of contract %(contract)s do not include %(extra)s.")
                % {"contract": contract.number, "extra": EXTRA_LABELS[name]},
                code="extra_not_granted",
            )
    snap = sla.snapshot()
    calendar = snap.calendar(ALWAYS_CALENDAR if extended_hours else settings.SMA_OFFICE_CALENDAR)
    ends = scheduled_for + duration
    fits = business_time.is_open(scheduled_for, calendar) and (
        business_time.business_time_elapsed(scheduled_for, ends, calendar) == duration
    )
    if not fits:
        raise WarrantyError(
            _(
                "Schedule the maintenance inside the office hours (Monday to Friday 07:30–17:30, business "
                "days): %(start)s to %(end)s is not."
            )
            % {"start": _when(scheduled_for), "end": f"{timezone.localtime(ends):%H:%M}"},
            code="outside_hours",
        )
    quota = maintenance_quota(contract=contract, day=local_start.date())
    if quota.used >= quota.entitled:
        raise WarrantyError(
            _(
                "The preventive maintenance quota of support year %(year)d of contract %(contract)s "
                "(%(starts)s – %(ends)s) is reached: %(used)d of %(entitled)d."
            )
            % {
                "year": quota.support_year,
                "contract": contract.number,
                "starts": f"{quota.starts:%d/%m/%Y}",
                "ends": f"{quota.ends:%d/%m/%Y}",
                "used": quota.used,
                "entitled": quota.entitled,
            },
            code="quota_reached",
        )
    extras = ", ".join(str(EXTRA_LABELS[n]) for n, asked in wanted.items() if asked)
    description = _(
        "Preventive maintenance %(n)d of %(entitled)d of support year %(year)d (contract %(contract)s), "
        "scheduled for %(start)s to %(end)s%(extras)s."
    ) % {
        "n": quota.used + 1,
        "entitled": quota.entitled,
        "year": quota.support_year,
        "contract": contract.number,
        "start": _when(scheduled_for),
        "end": f"{timezone.localtime(ends):%H:%M}",
        "extras": f" ({extras})" if extras else "",
    }
    case: Case = case_services.case_register(
        actor=actor,
        customer=contract.customer,
        requester=requester,
        installation=installation,
        channel=channel,
        kind=CaseKind.PREVENTIVE_MAINTENANCE,
        priority="P4",
        subject=_("Preventive maintenance on %(date)s") % {"date": f"{local_start:%d/%m/%Y %H:%M}"},
        description=f"{description}\n{notes}".strip(),
        now=now,
    )
    return PreventiveMaintenance.objects.create(
        contract=contract,
        case=case,
        installation=installation,
        scheduled_for=scheduled_for,
        ends_at=ends,
        support_year=quota.support_year,
        onsite=onsite,
        extended_hours=extended_hours,
        cable_cleaning=cable_cleaning,
        requested_by=requester,
        # The engineer who recorded a contact's request; none when the contact asked in the portal.
        recorded_by=actor if actor is not None and actor.is_authenticated and actor.is_staff else None,
        requested_at=now,
    )


@transaction.atomic
def maintenance_cancel(
    *, maintenance: PreventiveMaintenance, actor: User, reason: str, now: datetime | None = None
) -> PreventiveMaintenance:
    """Cancel a preventive maintenance before it takes place: by the engineer on the desk or by a
    contact of the company in the portal (``actor`` is their account). It stops counting against the
    quota of its support year; who, when and why are kept on it, and its case is closed as cancelled
    with that said on the case's timeline (the customer is e-mailed as for any closure)."""
    now = now or timezone.now()
    reason = " ".join(reason.split())
    if not reason:
        raise WarrantyError(_("Say why the maintenance is cancelled."), code="no_reason")
    maintenance = (
        PreventiveMaintenance.objects.select_for_update(of=("self",))
        .select_related("case", "contract")
        .get(pk=maintenance.pk)
    )
    if maintenance.cancelled_at is not None:
        raise WarrantyError(
            _("This maintenance was already cancelled on %(when)s.")
            % {"when": _when(maintenance.cancelled_at)},
            code="already_cancelled",
        )
    if now >= maintenance.scheduled_for:
        raise WarrantyError(
            _(
                "The maintenance scheduled for %(when)s has already taken place or begun: only one still "
                "to come can be cancelled."
            )
            % {"when": _when(maintenance.scheduled_for)},
            code="too_late",
        )
    maintenance.cancelled_at, maintenance.cancelled_by, maintenance.cancel_reason = now, actor, reason
    maintenance.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    day = timezone.localdate(maintenance.scheduled_for)
    quota = maintenance_quota(contract=maintenance.contract, day=day)
    note = _(
        "Preventive maintenance of %(when)s cancelled: %(reason)s. It no longer counts against the quota "
        "of support year %(year)d (%(used)d of %(entitled)d used)."
    ) % {
        "when": _when(maintenance.scheduled_for),
        "reason": reason,
        "year": maintenance.support_year,
        "used": quota.used,
        "entitled": quota.entitled,
    }
    if maintenance.case.is_open:
        case_services.case_close(
            case=maintenance.case, actor=actor, reason=CloseReason.CANCELLED, note=note, now=now
        )
    return maintenance
