"""State changes of the contracts app: keyword-only, typed, explicit actor, atomic."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..holiday_source import public_holidays
from ..models import (
    Customer,
    Holiday,
    HolidayYear,
    ServiceCalendar,
    SlaSettings,
    TechnicalContact,
    TechnicalContactChange,
)
from .contact_requests import contact_change_approve, contact_change_reject, contact_change_request
from .customers import (
    contract_create,
    contract_delete,
    contract_end_date,
    contract_update,
    contract_validate,
    customer_create,
    customer_delete,
    customer_update,
    plain,
)
from .news import (
    news_consent_give,
    news_consent_withdraw,
    news_contact_for_token,
    news_unsubscribe_token,
)

logger = logging.getLogger(__name__)

Actor = User | None

__all__ = [
    "calendar_check_slots",
    "contact_change_approve",
    "contact_change_reject",
    "contact_change_request",
    "contract_create",
    "contract_delete",
    "contract_end_date",
    "contract_update",
    "contract_validate",
    "customer_create",
    "customer_delete",
    "customer_update",
    "holidays_ensure_upcoming",
    "holidays_load",
    "news_consent_give",
    "news_consent_withdraw",
    "news_contact_for_token",
    "news_unsubscribe_token",
    "portal_invitation_send",
    "technical_contact_check_capacity",
    "technical_contact_deactivate",
    "technical_contact_designate",
    "technical_contact_invite",
    "technical_contact_update",
]


# --- Technical contacts -------------------------------------------------------------------------

_CONTACT_FIELDS = ("full_name", "position", "phone", "extension", "email", "is_active", "user")


def technical_contact_check_capacity(
    *, customer: Customer, excluding: TechnicalContact | None = None, on: date | None = None
) -> None:
    """Raise when designating one more active contact would pass the contract's maximum."""
    allowed = selectors.technical_contacts_allowed(customer=customer, on=on)
    if allowed == 0:
        raise ValidationError(
            _(
                "%(customer)s has no support contract in force or about to start, so it cannot "
                "designate technical contacts."
            )
            % {"customer": customer.name},
            code="no_contract",
        )
    active = selectors.active_technical_contacts(customer=customer)
    if excluding is not None and excluding.pk:
        active = active.exclude(pk=excluding.pk)
    if active.count() >= allowed:
        raise ValidationError(
            _(
                "%(customer)s already has %(count)d active technical contacts, the most its "
                "contract allows. Deactivate one before designating another."
            )
            % {"customer": customer.name, "count": allowed},
            code="too_many_contacts",
        )


def _lock_customer(customer: Customer) -> None:
    Customer.objects.select_for_update().filter(pk=customer.pk).first()


def _record_contact_change(
    *, contact: TechnicalContact, actor: Actor, action: str, changes: dict[str, Any], now: datetime
) -> None:
    TechnicalContactChange.objects.create(
        contact=contact,
        action=action,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changed_at=now,
        changes=changes,
    )


@transaction.atomic
def technical_contact_designate(
    *,
    actor: Actor,
    customer: Customer,
    full_name: str,
    position: str,
    phone: str,
    email: str,
    extension: str = "",
    user: User | None = None,
    is_active: bool = True,
    now: datetime | None = None,
) -> TechnicalContact:
    """Designate a contact (or record an inactive one); active ones count against the maximum."""
    now = now or timezone.now()
    _lock_customer(customer)
    if is_active:
        technical_contact_check_capacity(customer=customer, on=timezone.localdate(now))
    contact = TechnicalContact(
        customer=customer,
        full_name=full_name.strip(),
        position=position.strip(),
        phone=phone,
        extension=extension,
        email=email.strip().lower(),
        user=user,
        is_active=is_active,
    )
    contact.full_clean()
    contact.save()
    _record_contact_change(
        contact=contact,
        actor=actor,
        action=TechnicalContactChange.Action.DESIGNATED,
        changes={f: plain(getattr(contact, f)) for f in _CONTACT_FIELDS},
        now=now,
    )
    return contact


@transaction.atomic
def technical_contact_update(
    *, actor: Actor, contact: TechnicalContact, now: datetime | None = None, **fields: Any
) -> TechnicalContact:
    now = now or timezone.now()
    unknown = set(fields) - set(_CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    _lock_customer(contact.customer)
    contact = TechnicalContact.objects.select_for_update().get(pk=contact.pk)
    before = {f: plain(getattr(contact, f)) for f in _CONTACT_FIELDS}
    if fields.get("is_active") and not contact.is_active:
        technical_contact_check_capacity(
            customer=contact.customer, excluding=contact, on=timezone.localdate(now)
        )
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    after = {f: plain(getattr(contact, f)) for f in _CONTACT_FIELDS}
    changes = {f: [before[f], after[f]] for f in _CONTACT_FIELDS if before[f] != after[f]}
    if not changes:
        return contact
    contact.save()
    action = (
        TechnicalContactChange.Action.DEACTIVATED
        if changes.get("is_active") == [True, False]
        else TechnicalContactChange.Action.UPDATED
    )
    _record_contact_change(contact=contact, actor=actor, action=action, changes=changes, now=now)
    return contact


def technical_contact_deactivate(
    *, actor: Actor, contact: TechnicalContact, now: datetime | None = None
) -> TechnicalContact:
    return technical_contact_update(actor=actor, contact=contact, now=now, is_active=False)


# --- Calendars and holidays ---------------------------------------------------------------------


def calendar_check_slots(*, slots: Iterable[tuple[int, time, time]]) -> None:
    """Refuse a set of weekly slots that gives no business time at all."""
    total = 0
    for _weekday, start, end in slots:
        end_s = 86400 if end == time(0, 0) else end.hour * 3600 + end.minute * 60 + end.second
        total += max(0, end_s - (start.hour * 3600 + start.minute * 60 + start.second))
    if total <= 0:
        raise ValidationError(
            _("A calendar needs at least one opening slot; this one would have no business time."),
            code="no_business_time",
        )


@transaction.atomic
def holidays_load(
    *, calendar: ServiceCalendar, years: Iterable[int], only_missing_years: bool = True
) -> list[Holiday]:
    """Add the public holidays of the calendar's country for ``years``.

    A year once loaded (HolidayYear) is left as the admins edited it, unless ``only_missing_years``
    is False, which adds the days missing from it. Never deletes.
    """
    if not calendar.holiday_country:
        return []
    years = sorted(set(years))
    loaded = set(HolidayYear.objects.filter(calendar=calendar, year__in=years).values_list("year", flat=True))
    todo = [y for y in years if y not in loaded] if only_missing_years else years
    if not todo:
        return []
    existing = set(Holiday.objects.filter(calendar=calendar).values_list("date", flat=True))
    new = [
        Holiday(calendar=calendar, date=day, name=name[:120])
        for day, name in public_holidays(calendar.holiday_country, todo)
        if day not in existing
    ]
    created = Holiday.objects.bulk_create(new)
    HolidayYear.objects.bulk_create(
        [HolidayYear(calendar=calendar, year=y) for y in todo if y not in loaded], ignore_conflicts=True
    )
    return created


def holidays_ensure_upcoming(*, today: date | None = None) -> int:
    """Load this year's and next year's holidays into every calendar that follows a country."""
    today = today or timezone.localdate()
    created = 0
    for calendar in ServiceCalendar.objects.exclude(holiday_country=""):
        try:
            created += len(holidays_load(calendar=calendar, years=[today.year, today.year + 1]))
        except (NotImplementedError, LookupError):  # an unknown country must not stop the others
            logger.exception("could not load public holidays for calendar %s", calendar.code)
    return created


# --- SLA settings -------------------------------------------------------------------------------


@transaction.atomic
def sla_at_risk_set(*, percent: int, actor: Actor) -> SlaSettings:
    """Set the share of the attention time from which an unanswered case is "at risk". The SLA
    revision moves with it, so the deadline watch recomputes the open cases' at-risk instants."""
    if not 1 <= percent <= 99:
        raise ValidationError(
            _("The at-risk threshold must be between 1 and 99 percent."), code="at_risk_range"
        )
    settings_row, _created = SlaSettings.objects.select_for_update().get_or_create(key="default")
    if settings_row.at_risk_percent != percent:
        before = settings_row.at_risk_percent
        settings_row.at_risk_percent = percent
        settings_row.save(update_fields=["at_risk_percent", "updated_at"])
        logger.info(
            "at-risk threshold %s %% → %s %% by %s", before, percent, getattr(actor, "pk", None) or "system"
        )
    return settings_row


from .portal_accounts import portal_invitation_send, technical_contact_invite  # noqa: E402
