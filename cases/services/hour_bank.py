"""Drawing on an hour bank: the time an engineer logs on a case handled at tier 1 or 2 of a
contract that bought those tiers as a bank of hours. The customer is told (by e-mail, through a
public notice on the case) when the bank reaches 80 % and when it is used up — once each."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import display
from ..hour_bank import WARNING_PERCENT, hour_bank_of
from ..hour_bank_models import HourBankNotice, HourBankUse
from ..models import ActivityKind, Case, CaseActivity
from .common import add_activity

BANK_TIERS = (1, 2)


def _hours(minutes: int) -> str:
    return display.duration(timedelta(minutes=minutes))


def hour_bank_draw(
    *, case: Case, activity: CaseActivity, actor: User | None, now: datetime | None = None
) -> HourBankUse | None:
    """Record the activity's time against the bank, when the case is at a banked tier. Called
    inside the service that logged the activity (its transaction, its lock on the case). Logging
    past the bank is not refused — the work is done — but the customer is told it is used up."""
    now = now or timezone.now()
    minutes = activity.minutes_spent
    if minutes <= 0 or case.tier not in BANK_TIERS:
        return None
    contract = case.contract  # the contract the case was registered under
    if contract is None or contract.hour_bank_hours is None or case.tier not in contract.covered_tiers:
        return None
    # One bank is drawn by one case at a time: lock the contract row so two engineers logging at
    # once both see the other's minutes when deciding on the notices.
    type(contract).objects.select_for_update().filter(pk=contract.pk).first()
    use, _created = HourBankUse.objects.get_or_create(
        activity=activity,
        defaults={"contract": contract, "case": case, "tier": case.tier, "minutes": minutes, "used_at": now},
    )
    bank = hour_bank_of(contract)
    assert bank is not None
    reached = [
        threshold
        for threshold in HourBankNotice.Threshold
        if (bank.state == "exhausted" if threshold == 100 else bank.percent_used >= WARNING_PERCENT)
    ]
    told = set(HourBankNotice.objects.filter(contract=contract).values_list("threshold", flat=True))
    new = [threshold for threshold in reached if threshold not in told]
    if not new:
        return use
    highest = max(new)
    if highest == HourBankNotice.Threshold.EXHAUSTED:
        body = _(
            "The hour bank of contract %(contract)s for support tiers 1 and 2 is used up: "
            "%(used)s used of %(entitled)s. Further work at those tiers is billed apart; "
            "your account manager will contact you to renew it."
        )
    else:
        body = _(
            "The hour bank of contract %(contract)s for support tiers 1 and 2 reached "
            "%(percent)s %%: %(used)s used of %(entitled)s, %(left)s left."
        )
    body = body % {
        "contract": contract.number,
        "used": _hours(bank.used_minutes),
        "entitled": _hours(bank.entitled_minutes),
        "left": _hours(max(bank.remaining_minutes, 0)),
        "percent": bank.percent_used,
    }
    notice = add_activity(
        case=case,
        actor=None,
        kind=ActivityKind.HOUR_BANK,
        now=now,
        body=body,
        is_public=True,  # a public notice: the customer is e-mailed
        data={
            "contract": contract.number,
            "threshold": int(highest),
            "used_minutes": bank.used_minutes,
            "entitled_minutes": bank.entitled_minutes,
        },
    )
    HourBankNotice.objects.bulk_create(
        HourBankNotice(
            contract=contract,
            threshold=threshold,
            activity=notice if threshold == highest else None,
            created_at=now,
        )
        for threshold in new
    )
    return use
