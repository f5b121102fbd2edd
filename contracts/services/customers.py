"""Customers and their support contracts: created, changed and deleted only here (the admin calls
these), each change recorded in a ChangeRecord with who, when and the values before and after."""

from __future__ import annotations

import calendar as pycalendar
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import ChangeRecord, Customer, Installation, SupportContract, SupportPlan
from ..validators import normalize_nit

CUSTOMER_FIELDS = ("name", "nit", "customer_number", "city", "address", "phone", "is_active")
CONTRACT_FIELDS = (
    "number",
    "customer",
    "plan",
    "installations",
    "start_date",
    "end_date",
    "covers_tier_1",
    "covers_tier_2",
    "max_technical_contacts",
    "preventive_maintenances_per_year",
    "software_assurance",
    "special_conditions",
)


# --- The audit record ---------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value as the audit stores it in JSON: related rows by id, dates and numbers as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def _snapshot(obj: Customer | SupportContract, fields: Iterable[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        if name == "installations" and isinstance(obj, SupportContract):
            values[name] = sorted(obj.installations.values_list("pk", flat=True)) if obj.pk else []
        else:
            values[name] = plain(getattr(obj, name))
    return values


def _record(
    *,
    action: str,
    actor: User | None,
    now: datetime,
    customer: Customer,
    contract: SupportContract | None = None,
    before: dict[str, Any],
    after: dict[str, Any],
) -> ChangeRecord | None:
    """Write the audit row with only the fields that differ; None when nothing changed."""
    changed = [name for name in {**before, **after} if before.get(name) != after.get(name)]
    if not changed and action == ChangeRecord.Action.UPDATED:
        return None
    return ChangeRecord.objects.create(
        customer=customer,
        contract=contract,
        object_repr=str(contract or customer)[:200],
        action=action,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changed_at=now,
        before={name: before[name] for name in changed if name in before},
        after={name: after[name] for name in changed if name in after},
    )


def _lock_customers(*customers: Customer | None) -> None:
    """Lock the customers a change touches, always in the same order (by id)."""
    ids = sorted({c.pk for c in customers if c is not None and c.pk})
    list(Customer.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


# --- Customers ----------------------------------------------------------------------------------


@transaction.atomic
def customer_create(
    *,
    actor: User | None,
    name: str,
    nit: str,
    customer_number: str,
    city: str,
    now: datetime | None = None,
    **extra: Any,
) -> Customer:
    unknown = set(extra) - set(CUSTOMER_FIELDS)
    if unknown:
        raise TypeError(f"unknown customer fields: {sorted(unknown)}")
    customer = Customer(
        name=name, nit=normalize_nit(nit), customer_number=customer_number, city=city, **extra
    )
    customer.full_clean()
    customer.save()
    _record(
        action=ChangeRecord.Action.CREATED,
        actor=actor,
        now=now or timezone.now(),
        customer=customer,
        before={},
        after=_snapshot(customer, CUSTOMER_FIELDS),
    )
    return customer


@transaction.atomic
def customer_update(
    *, actor: User | None, customer: Customer, now: datetime | None = None, **fields: Any
) -> Customer:
    """Change a customer's data; the change is recorded (only what changed)."""
    unknown = set(fields) - set(CUSTOMER_FIELDS)
    if unknown:
        raise TypeError(f"unknown customer fields: {sorted(unknown)}")
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    before = _snapshot(customer, CUSTOMER_FIELDS)
    if "nit" in fields:
        fields["nit"] = normalize_nit(fields["nit"])
    for name, value in fields.items():
        setattr(customer, name, value)
    customer.full_clean()
    after = _snapshot(customer, CUSTOMER_FIELDS)
    if after == before:
        return customer
    customer.save()
    _record(
        action=ChangeRecord.Action.UPDATED,
        actor=actor,
        now=now or timezone.now(),
        customer=customer,
        before=before,
        after=after,
    )
    return customer


@transaction.atomic
def customer_delete(
    *, actor: User | None, customer: Customer, now: datetime | None = None
) -> None:
    """Delete a customer (refused by the database while contracts or cases refer to it); the
    record of the deletion keeps its last values."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    _record(
        action=ChangeRecord.Action.DELETED,
        actor=actor,
        now=now or timezone.now(),
        customer=customer,
        before=_snapshot(customer, CUSTOMER_FIELDS),
        after={},
    )
    customer.delete()


# --- Contracts ----------------------------------------------------------------------------------


def contract_end_date(*, start_date: date, months: int) -> date:
    """Last day in force of a contract of ``months`` months: 2026-03-01 + 12 → 2027-02-28."""
    if months < 1:
        raise ValidationError(_("A contract lasts at least one month."))
    month_index = start_date.month - 1 + months
    year, month = start_date.year + month_index // 12, month_index % 12 + 1
    if year > date.max.year:
        raise ValidationError(_("That end date is beyond the calendar; check the start date and the months."))
    day = min(start_date.day, pycalendar.monthrange(year, month)[1])
    return date.fromordinal(date(year, month, day).toordinal() - 1)


def contract_validate(
    *,
    customer: Customer,
    start_date: date,
    end_date: date,
    installations: Iterable[Installation],
    max_technical_contacts: int | None = None,
    contract: SupportContract | None = None,
    on: date | None = None,
) -> None:
    """The rules of a contract, for a new one or an edit (``contract``). Raises ValidationError
    by field. The contact maximum: the contract must allow the customer's active technical
    contacts, unless another of its contracts, not over on ``on``, already allows them."""
    errors: dict[str, list[str]] = {}
    if end_date < start_date:
        errors["end_date"] = [_("A contract cannot end before it starts.")]
    foreign = [str(i) for i in installations if i.customer_id != customer.pk]
    if foreign:
        errors["installations"] = [
            _("These installations belong to another customer: %(list)s") % {"list": ", ".join(foreign)}
        ]
    if max_technical_contacts is not None:
        active = selectors.active_technical_contacts(customer=customer).count()
        others = selectors.customer_contracts_not_ended(customer=customer, on=on or timezone.localdate())
        if contract is not None and contract.pk:
            others = others.exclude(pk=contract.pk)
        allowed_elsewhere = max(others.values_list("max_technical_contacts", flat=True), default=0)
        if max_technical_contacts < active and allowed_elsewhere < active:
            errors["max_technical_contacts"] = [
                _("%(customer)s has %(count)d active technical contacts; deactivate some first.")
                % {"customer": customer.name, "count": active}
            ]
    if errors:
        raise ValidationError(errors)


def _terms(
    *,
    plan: SupportPlan,
    start_date: date,
    end_date: date | None,
    duration_months: int | None,
    max_technical_contacts: int | None,
) -> tuple[date, int]:
    """The end date (given, or from the duration) and the contact maximum (given, or the plan's)."""
    if end_date is None:
        if duration_months is None:
            raise ValidationError({"end_date": _("Give the end date or the duration in months.")})
        end_date = contract_end_date(start_date=start_date, months=duration_months)
    return end_date, max_technical_contacts or plan.max_technical_contacts


@transaction.atomic
def contract_create(
    *,
    actor: User | None,
    customer: Customer,
    plan: SupportPlan,
    number: str,
    start_date: date,
    end_date: date | None = None,
    duration_months: int | None = None,
    installations: Iterable[Installation] = (),
    covers_tier_1: bool = False,
    covers_tier_2: bool = False,
    max_technical_contacts: int | None = None,
    preventive_maintenances_per_year: int | None = None,
    software_assurance: bool = True,
    special_conditions: str = "",
    hour_bank_hours: int | None = None,
    now: datetime | None = None,
) -> SupportContract:
    now = now or timezone.now()
    _lock_customers(customer)
    end_date, maximum = _terms(
        plan=plan,
        start_date=start_date,
        end_date=end_date,
        duration_months=duration_months,
        max_technical_contacts=max_technical_contacts,
    )
    installations = list(installations)
    contract_validate(
        customer=customer,
        start_date=start_date,
        end_date=end_date,
        installations=installations,
        max_technical_contacts=maximum,
        on=timezone.localdate(now),
    )
    contract = SupportContract(
        number=number,
        customer=customer,
        plan=plan,
        start_date=start_date,
        end_date=end_date,
        covers_tier_1=covers_tier_1,
        covers_tier_2=covers_tier_2,
        max_technical_contacts=maximum,
        preventive_maintenances_per_year=(
            plan.preventive_maintenances_per_year
            if preventive_maintenances_per_year is None
            else preventive_maintenances_per_year
        ),
        software_assurance=software_assurance,
        special_conditions=special_conditions,
        hour_bank_hours=hour_bank_hours,
    )
    contract.full_clean()
    contract.save()
    contract.installations.set(installations)
    _record(
        action=ChangeRecord.Action.CREATED,
        actor=actor,
        now=now,
        customer=customer,
        contract=contract,
        before={},
        after=_snapshot(contract, CONTRACT_FIELDS),
    )
    return contract


@transaction.atomic
def contract_update(
    *,
    actor: User | None,
    contract: SupportContract,
    duration_months: int | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> SupportContract:
    """Change a contract under the same rules as a new one; the change is recorded (only what
    changed). An empty end date is filled from ``duration_months``; an empty maximum from the plan."""
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contract fields: {sorted(unknown)}")
    now = now or timezone.now()
    current = SupportContract.objects.select_related("customer", "plan").get(pk=contract.pk)
    _lock_customers(current.customer, fields.get("customer"))
    contract = (
        SupportContract.objects.select_for_update().select_related("customer", "plan").get(pk=contract.pk)
    )
    before = _snapshot(contract, CONTRACT_FIELDS)
    installations = fields.pop("installations", None)
    for name, value in fields.items():
        setattr(contract, name, value)
    contract.end_date, contract.max_technical_contacts = _terms(
        plan=contract.plan,
        start_date=contract.start_date,
        end_date=contract.end_date,
        duration_months=duration_months,
        max_technical_contacts=contract.max_technical_contacts,
    )
    covered = list(installations) if installations is not None else list(contract.installations.all())
    contract_validate(
        customer=contract.customer,
        start_date=contract.start_date,
        end_date=contract.end_date,
        installations=covered,
        max_technical_contacts=contract.max_technical_contacts,
        contract=contract,
        on=timezone.localdate(now),
    )
    contract.full_clean()
    contract.save()
    if installations is not None:
        contract.installations.set(covered)
    _record(
        action=ChangeRecord.Action.UPDATED,
        actor=actor,
        now=now,
        customer=contract.customer,
        contract=contract,
        before=before,
        after=_snapshot(contract, CONTRACT_FIELDS),
    )
    return contract


@transaction.atomic
def contract_delete(
    *, actor: User | None, contract: SupportContract, now: datetime | None = None
) -> None:
    """Delete a contract (refused by the database while cases refer to it); the record of the
    deletion keeps its last values."""
    contract = SupportContract.objects.select_for_update().select_related("customer").get(pk=contract.pk)
    _record(
        action=ChangeRecord.Action.DELETED,
        actor=actor,
        now=now or timezone.now(),
        customer=contract.customer,
        contract=contract,
        before=_snapshot(contract, CONTRACT_FIELDS),
        after={},
    )
    contract.delete()
