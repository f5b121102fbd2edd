"""Reading an hour bank: what a contract bought for tiers 1 and 2, what was used, what is left.

One indexed sum per contract (``HourBankUse``); used by the desk's case page, the portal's
company page and the hour bank report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from contracts import selectors as contract_selectors
from contracts.models import Customer, SupportContract

from .hour_bank_models import HourBankUse

WARNING_PERCENT = 80


@dataclass(frozen=True)
class HourBank:
    contract: SupportContract
    entitled_minutes: int
    used_minutes: int

    @property
    def remaining_minutes(self) -> int:
        return self.entitled_minutes - self.used_minutes

    @property
    def percent_used(self) -> int:
        if not self.entitled_minutes:
            return 100
        return int(self.used_minutes * 100 // self.entitled_minutes)

    @property
    def state(self) -> str:
        """ "ok", "warning" (80 % or more used) or "exhausted"."""
        if self.used_minutes >= self.entitled_minutes:
            return "exhausted"
        return "warning" if self.percent_used >= WARNING_PERCENT else "ok"

    @property
    def entitled_hours(self) -> float:
        return self.entitled_minutes / 60

    @property
    def used_hours(self) -> float:
        return self.used_minutes / 60

    @property
    def remaining_hours(self) -> float:
        return self.remaining_minutes / 60


def hour_bank_of(contract: SupportContract) -> HourBank | None:
    """The contract's bank, or None when it has none."""
    if contract.hour_bank_hours is None:
        return None
    used = HourBankUse.objects.filter(contract=contract).aggregate(total=Sum("minutes"))["total"] or 0
    return HourBank(contract=contract, entitled_minutes=contract.hour_bank_hours * 60, used_minutes=used)


def hour_bank_for(*, customer: Customer, on: date | None = None) -> HourBank | None:
    """The bank of the customer's contract in force on that day, if it has one."""
    contract = contract_selectors.contract_in_force(customer=customer, on=on)
    return hour_bank_of(contract) if contract is not None else None


@dataclass(frozen=True)
class HourBankRow:
    bank: HourBank
    uses: int
    last_used_at: object


def hour_bank_report(*, today: date) -> list[HourBankRow]:
    """Every contract with an hour bank that has not ended, with its use: one query."""
    from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    uses = HourBankUse.objects.filter(contract=OuterRef("pk")).order_by().values("contract")
    contracts = (
        SupportContract.objects.filter(hour_bank_hours__isnull=False, end_date__gte=today)
        .select_related("customer", "plan")
        .annotate(
            used=Coalesce(
                Subquery(uses.annotate(total=Sum("minutes")).values("total"), output_field=IntegerField()),
                Value(0),
            ),
            uses=Coalesce(
                Subquery(uses.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0)
            ),
            last_used_at=Subquery(uses.annotate(last=Max("used_at")).values("last")),
        )
        .order_by("customer__name", "number")
    )
    return [
        HourBankRow(
            bank=HourBank(contract=c, entitled_minutes=(c.hour_bank_hours or 0) * 60, used_minutes=c.used),
            uses=c.uses,
            last_used_at=c.last_used_at,
        )
        for c in contracts
    ]
