"""A deliberately naive second implementation of business time, to check the engine against.

It walks day by day in local time and consumes each opening period in turn: slow, obvious, and
sharing no code with ``contracts.business_time``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def _periods(day: date, slots: Iterable[tuple[int, time, time]], closed: set[date], tz: ZoneInfo):
    if day in closed:
        return []
    out = []
    for weekday, start, end in slots:
        if weekday != day.weekday():
            continue
        open_at = datetime.combine(day, start, tzinfo=tz)
        close_day = day + timedelta(days=1) if end == time(0, 0) else day
        close_at = datetime.combine(close_day, end, tzinfo=tz)
        # Aware arithmetic with one tzinfo is wall-clock arithmetic in Python: go to UTC.
        out.append((open_at.astimezone(UTC), close_at.astimezone(UTC)))
    return sorted(out)


def reference_add(start: datetime, amount: timedelta, slots, closed, tz: ZoneInfo) -> datetime:
    remaining = amount
    cursor = start.astimezone(UTC)
    day = start.astimezone(tz).date() - timedelta(days=1)
    for _ in range(4000):
        for open_at, close_at in _periods(day, slots, closed, tz):
            begin = max(open_at, cursor)
            if begin >= close_at:
                continue
            available = close_at - begin
            if remaining <= available:
                if remaining == timedelta(0):
                    return begin
                return begin + remaining
            remaining -= available
            cursor = close_at
        day += timedelta(days=1)
    raise AssertionError("no business time found")


def reference_elapsed(start: datetime, end: datetime, slots, closed, tz: ZoneInfo) -> timedelta:
    total = timedelta(0)
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        for open_at, close_at in _periods(day, slots, closed, tz):
            begin, finish = max(open_at, start), min(close_at, end)
            if finish > begin:
                total += finish - begin
        day += timedelta(days=1)
    return total
