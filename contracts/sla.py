"""The SLA facade: attention deadlines and business time, read from the policy and calendar tables.

Everything else in SMA (and the acceptance checks) calls this module, never the tables directly::

    attention_deadline(registered_at, "GOLD_8X5", "P1")
    business_time_elapsed(start, end, "PLATINUM_24X7", "P3")

The policy table and the calendars are loaded once and compiled into
:class:`contracts.business_time.BusinessCalendar` objects, then cached in the process under the
tables' revision number (:class:`contracts.models.SlaRevision`, bumped by database triggers in the
same transaction as any write to them). A request or a task reads that number once
(:func:`revision_scope`, entered by a middleware and around every Celery task); a call outside one
reads it itself (one primary-key read). So an admin's edit in any process — web, worker or beat —
is seen by the next request, task or call everywhere. Loops over many cases may still take one
:func:`snapshot` and call its methods.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _

from . import business_time
from .business_time import BusinessCalendar, NoBusinessTime

__all__ = [
    "NoBusinessTime",
    "SlaPolicyMissing",
    "SlaSnapshot",
    "attention_deadline",
    "attention_time",
    "business_time_elapsed",
    "invalidate",
    "is_within_service_hours",
    "revision",
    "revision_scope",
    "snapshot",
]


logger = logging.getLogger(__name__)

DEFAULT_AT_RISK_PERCENT = 75  # when the SlaSettings row is missing


class SlaPolicyMissing(LookupError):
    """No attention time is defined for that plan and priority."""


def _code(value: object) -> str:
    code = getattr(value, "code", value)
    return str(code.value if hasattr(code, "value") else code)


@dataclass(frozen=True)
class _Policy:
    amount: timedelta
    calendar: BusinessCalendar


@dataclass(frozen=True)
class SlaSnapshot:
    """The policy table and calendars as they were at one instant; pure computation from here on."""

    policies: dict[tuple[str, str], _Policy]
    calendars: dict[str, BusinessCalendar]
    plan_calendars: dict[str, BusinessCalendar]
    # For calendars that follow a country's holidays: the years loaded (beyond them, a deadline
    # would treat public holidays as business days).
    holiday_years: dict[int, frozenset[int]] = field(default_factory=dict)
    # From this share of the attention time an unanswered case is "at risk" (SlaSettings).
    at_risk_share: float = DEFAULT_AT_RISK_PERCENT / 100

    def at_risk_at(self, registered_at: datetime, plan: object, priority: object) -> datetime:
        """The instant an unanswered case registered then becomes "at risk"."""
        return self.deadline_at_share(registered_at, plan, priority, self.at_risk_share)

    def policy(self, plan: object, priority: object) -> _Policy:
        key = (_code(plan), _code(priority))
        try:
            return self.policies[key]
        except KeyError:
            raise SlaPolicyMissing(
                _("No attention time is defined for plan %(plan)s and priority %(priority)s.")
                % {"plan": key[0], "priority": key[1]}
            ) from None

    def attention_deadline(self, registered_at: datetime, plan: object, priority: object) -> datetime:
        policy = self.policy(plan, priority)
        deadline = business_time.add_business_time(registered_at, policy.amount, policy.calendar)
        years = self.holiday_years.get(id(policy.calendar))
        if years is not None and deadline.year not in years:
            logger.warning(
                "public holidays of %s are not loaded for %s: run load_holidays",
                policy.calendar.name,
                deadline.year,
            )
        return deadline

    def deadline_at_share(
        self, registered_at: datetime, plan: object, priority: object, share: float
    ) -> datetime:
        """The instant at which ``share`` of the attention time (0.75 = 75 %) has been used."""
        policy = self.policy(plan, priority)
        amount = timedelta(microseconds=round(policy.amount / timedelta(microseconds=1) * share))
        return business_time.add_business_time(registered_at, amount, policy.calendar)

    def business_time_elapsed(
        self, start: datetime, end: datetime, plan: object, priority: object
    ) -> timedelta:
        policy = self.policy(plan, priority)
        return business_time.business_time_elapsed(start, end, policy.calendar)

    def clock_running_until(
        self, instant: datetime, plan: object, priority: object
    ) -> tuple[bool, datetime]:
        """Whether the attention clock of this plan and priority runs at ``instant``, and until when
        (the calendar's closing when it runs, its next opening when it stands still)."""
        return business_time.running_until(instant, self.policy(plan, priority).calendar)

    def service_hours(self, plan: object) -> BusinessCalendar:
        """The plan's own service-hours calendar (when requests may be made)."""
        try:
            return self.plan_calendars[_code(plan)]
        except KeyError:
            raise SlaPolicyMissing(_("Unknown support plan %(plan)s.") % {"plan": _code(plan)}) from None

    def calendar(self, code: str) -> BusinessCalendar:
        return self.calendars[code]


_lock = threading.Lock()
_cached: tuple[tuple[object, ...], SlaSnapshot] | None = None
# Inside a request or a task, the revision read first is reused (one query per request/task);
# outside one (a shell, a script, a test), each computation reads it (a one-row primary-key read).
_scope: ContextVar[dict[object, object] | None] = ContextVar("sla_revision_scope", default=None)
_SNAPSHOT = "snapshot"  # the scope's snapshot, next to the revision read per database

_REVISION_SQL = "SELECT number FROM contracts_slarevision WHERE id = 1"


def _read_revision() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(_REVISION_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


def _fingerprint() -> tuple[object, ...]:
    """Which database, and the revision of its SLA tables (None: unknown, never cached)."""
    key = (connection.alias, str(connection.settings_dict["NAME"]))
    scope = _scope.get()
    if scope is not None and key in scope:
        return (*key, scope[key])
    number = _read_revision()
    if scope is not None:
        scope[key] = number
    return (*key, number)


@contextmanager
def revision_scope() -> Iterator[None]:
    """Read the SLA tables' revision at most once inside this block (a request, a task): an edit
    committed meanwhile is seen by the next request or task, not halfway through this one."""
    token = scope_begin()
    try:
        yield
    finally:
        scope_end(token)


def scope_begin() -> Token:
    return _scope.set({})


def scope_end(token: Token) -> None:
    _scope.reset(token)


def _load() -> SlaSnapshot:
    from .models import (
        AttentionPolicy,
        CalendarSlot,
        Holiday,
        HolidayYear,
        ServiceCalendar,
        SlaSettings,
        SupportPlan,
    )

    slots: dict[int, list[tuple[int, time, time]]] = {}
    for slot in CalendarSlot.objects.all():
        slots.setdefault(slot.calendar_id, []).append((slot.weekday, slot.start_time, slot.end_time))
    closed: dict[int, set[date]] = {}
    for calendar_id, day in Holiday.objects.values_list("calendar_id", "date"):
        closed.setdefault(calendar_id, set()).add(day)
    loaded: dict[int, set[int]] = {}
    for calendar_id, year in HolidayYear.objects.values_list("calendar_id", "year"):
        loaded.setdefault(calendar_id, set()).add(year)
    by_id: dict[int, BusinessCalendar] = {}
    by_code: dict[str, BusinessCalendar] = {}
    holiday_years: dict[int, frozenset[int]] = {}
    for cal in ServiceCalendar.objects.all():
        if not slots.get(cal.pk):
            continue  # a calendar without slots cannot serve; policies on it are reported missing
        compiled = BusinessCalendar.build(
            timezone=cal.time_zone,
            slots=slots[cal.pk],
            closed_dates=closed.get(cal.pk, ()),
            name=cal.name,
        )
        by_id[cal.pk] = by_code[cal.code] = compiled
        if cal.holiday_country:
            holiday_years[id(compiled)] = frozenset(loaded.get(cal.pk, ()))
    policies = {
        (p.plan.code, p.priority): _Policy(_hours(p.hours), by_id[p.calendar_id])
        for p in AttentionPolicy.objects.select_related("plan")
        if p.calendar_id in by_id
    }
    plan_calendars = {
        plan.code: by_id[plan.calendar_id] for plan in SupportPlan.objects.all() if plan.calendar_id in by_id
    }
    at_risk = SlaSettings.objects.values_list("at_risk_percent", flat=True).first()
    return SlaSnapshot(
        policies=policies,
        calendars=by_code,
        plan_calendars=plan_calendars,
        holiday_years=holiday_years,
        at_risk_share=(at_risk or DEFAULT_AT_RISK_PERCENT) / 100,
    )


def _hours(hours: Decimal) -> timedelta:
    return timedelta(microseconds=int(Decimal(hours) * 3_600_000_000))


def snapshot() -> SlaSnapshot:
    """The current policy and calendars (reloaded only when their revision moved)."""
    global _cached  # noqa: PLW0603 - a process-wide cache, swapped atomically
    scope = _scope.get()
    if scope is not None and (held := scope.get(_SNAPSHOT)) is not None:
        return held  # type: ignore[return-value]
    fingerprint = _fingerprint()
    cached = _cached
    if cached is not None and cached[0] == fingerprint and fingerprint[-1] is not None:
        fresh = cached[1]
    else:
        with _lock:
            fresh = _load()
            _cached = (fingerprint, fresh)
    if scope is not None:
        scope[_SNAPSHOT] = fresh
    return fresh


def revision() -> str:
    """A short token that changes whenever the policy table or a calendar changes (one query at
    most; none inside a :func:`revision_scope` that already read it).

    Rooms above store the revision they last applied and react when it moves (e.g. the deadline
    watch recomputes open cases' deadlines after an admin edits a holiday)."""
    return str(_fingerprint()[-1])


def invalidate() -> None:
    """Forget the cached snapshot and the revision read in the current scope (tests, tools)."""
    global _cached  # noqa: PLW0603 - a process-wide cache, swapped atomically
    _cached = None
    scope = _scope.get()
    if scope is not None:
        scope.clear()


def attention_time(plan: object, priority: object) -> timedelta:
    return snapshot().policy(plan, priority).amount


def attention_deadline(registered_at: datetime, plan: object, priority: object) -> datetime:
    """The latest instant of the first customer-facing activity for a case registered then.

    ``plan`` is a plan code ("GOLD_8X5", "PLATINUM_24X7") or a SupportPlan; ``priority`` "P1".."P4".
    """
    return snapshot().attention_deadline(registered_at, plan, priority)


def business_time_elapsed(start: datetime, end: datetime, plan: object, priority: object) -> timedelta:
    """Business time between two instants on the calendar the plan's priority counts on."""
    return snapshot().business_time_elapsed(start, end, plan, priority)


def is_within_service_hours(instant: datetime, plan: object) -> bool:
    """Whether the plan's service hours (Gold: 8x5 business days; Platinum: always) include it."""
    return business_time.is_open(instant, snapshot().service_hours(plan))
