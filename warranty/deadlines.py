"""When a replacement unit is due: pure arithmetic over a business calendar (no database).

The scheme: Standard warranty delivers within 48 h, Extended within 8 h, both on the 5x8 Bogotá
office calendar, counted from the RMA's start. A contracted 24x7 next-business-day extra delivers
by the close of the next business day after the start, when that comes sooner. The watch warns
once ``share`` of the delivery time is used (the same share as attention deadlines)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from contracts.business_time import BusinessCalendar, add_business_time, business_time_elapsed, next_opening


@dataclass(frozen=True)
class DeliveryDeadline:
    due_at: datetime
    warning_at: datetime


def next_business_day_close(start: datetime, calendar: BusinessCalendar) -> datetime:
    """The close of the first business day after the (local) day of ``start``."""
    local = start.astimezone(calendar.timezone)
    midnight = datetime(local.year, local.month, local.day, tzinfo=calendar.timezone) + timedelta(days=1)
    opening = next_opening(midnight, calendar)
    day_end = datetime(opening.year, opening.month, opening.day, tzinfo=calendar.timezone) + timedelta(days=1)
    return add_business_time(opening, business_time_elapsed(opening, day_end, calendar), calendar)


def delivery_deadline(
    start: datetime, *, hours: int, nbd_24x7: bool, calendar: BusinessCalendar, warn_share: float
) -> DeliveryDeadline:
    due = add_business_time(start, timedelta(hours=hours), calendar)
    if nbd_24x7:
        due = min(due, next_business_day_close(start, calendar))
    total = business_time_elapsed(start, due, calendar)
    warning = add_business_time(
        start, timedelta(microseconds=round(total / timedelta(microseconds=1) * warn_share)), calendar
    )
    return DeliveryDeadline(due_at=due, warning_at=warning)


def business_time_left(now: datetime, due: datetime, calendar: BusinessCalendar) -> timedelta:
    """Business time until ``due`` (negative once passed)."""
    return business_time_elapsed(now, due, calendar)
