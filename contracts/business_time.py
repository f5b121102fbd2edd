"""Business-time arithmetic: pure, no database, no settings, no clock.

A :class:`BusinessCalendar` is a time zone, weekly opening slots in local wall-clock time (several per
day allowed) and a set of closed dates (public holidays). From it we compile a *timeline*: the sorted,
merged opening intervals as UTC instants (integer microseconds since the epoch) over a window of
years, with the business time accumulated before each interval. Then

* the business time *before* an instant is one binary search, and
* the instant at which a given amount of business time has been accumulated is another,

so adding business time and measuring elapsed business time cost a few microseconds whatever the
duration, and are exact to the microsecond. Doing the arithmetic on UTC instants keeps it right
across daylight-saving changes; wall-clock slots are turned into instants once, at compile time.

Conventions:

* Slots are half-open, ``[open, close)``. A deadline that lands exactly on a closing time *is* that
  closing time, not the next opening.
* An instant outside business hours starts counting at the next opening.
* ``end == time(0, 0)`` in a slot means midnight at the end of the day (24:00).
* The window grows on demand (forwards and backwards); a calendar without any business time in a
  20-year search raises :class:`NoBusinessTime`.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

__all__ = [
    "BusinessCalendar",
    "NoBusinessTime",
    "Slot",
    "add_business_time",
    "business_time_elapsed",
    "is_open",
    "next_opening",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_MAX_SEARCH_YEARS = 20
_INITIAL_SPAN = 2  # years compiled on each side of the first instant asked about


class NoBusinessTime(ValueError):
    """The calendar has no opening time at all (or none within the search horizon)."""


@dataclass(frozen=True, slots=True)
class Slot:
    """An opening period on one weekday (0 = Monday … 6 = Sunday), local wall-clock time."""

    weekday: int
    start: time
    end: time  # time(0, 0) means 24:00

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {self.weekday}")
        if self.end != time(0, 0) and self.end <= self.start:
            raise ValueError(f"slot must end after it starts: {self.start}-{self.end}")

    @property
    def start_seconds(self) -> int:
        return self.start.hour * 3600 + self.start.minute * 60 + self.start.second

    @property
    def end_seconds(self) -> int:
        if self.end == time(0, 0):
            return 86400
        return self.end.hour * 3600 + self.end.minute * 60 + self.end.second


def _to_us(instant: datetime) -> int:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("business-time arithmetic needs aware datetimes")
    return (instant - _EPOCH) // _ONE_US


@dataclass(frozen=True, slots=True)
class _Timeline:
    first_year: int
    last_year: int
    starts: list[int]
    ends: list[int]
    cum_before: list[int]  # business µs before interval i
    cum_after: list[int]  # business µs up to the end of interval i
    lo_us: int  # the window covers [lo_us, hi_us)
    hi_us: int


@dataclass(eq=False)
class BusinessCalendar:
    """Weekly slots in ``timezone`` minus ``closed_dates``. Immutable after construction."""

    timezone: tzinfo
    slots: tuple[Slot, ...]
    closed_dates: frozenset[date] = frozenset()
    name: str = ""
    _timeline: _Timeline | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.timezone, str):  # convenience for callers and tests
            self.timezone = ZoneInfo(self.timezone)
        self.slots = tuple(self.slots)
        self.closed_dates = frozenset(self.closed_dates)
        by_day: list[list[tuple[int, int]]] = [[] for _ in range(7)]
        for slot in self.slots:
            by_day[slot.weekday].append((slot.start_seconds, slot.end_seconds))
        self._by_day = tuple(tuple(_merge(day)) for day in by_day)
        if not any(self._by_day):
            raise NoBusinessTime(f"calendar {self.name!r} has no opening slots")

    @classmethod
    def build(
        cls,
        *,
        timezone: str | tzinfo,
        slots: Iterable[tuple[int, time, time]] | Iterable[Slot],
        closed_dates: Iterable[date] = (),
        name: str = "",
    ) -> BusinessCalendar:
        built = tuple(s if isinstance(s, Slot) else Slot(*s) for s in slots)
        tz = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
        return cls(timezone=tz, slots=built, closed_dates=frozenset(closed_dates), name=name)

    @property
    def weekly_seconds(self) -> int:
        return sum(end - start for day in self._by_day for start, end in day)

    # --- compilation -------------------------------------------------------------------------

    def _compile(self, first_year: int, last_year: int) -> _Timeline:
        tz = self.timezone
        raw: list[tuple[int, int]] = []
        day = date(first_year, 1, 1)
        stop = date(last_year + 1, 1, 1)
        one_day = timedelta(days=1)
        by_day = self._by_day
        closed = self.closed_dates
        while day < stop:
            periods = by_day[day.weekday()]
            if periods and day not in closed:
                midnight = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - wall clock, zoned below
                for start_s, end_s in periods:
                    start = (midnight + timedelta(seconds=start_s)).replace(tzinfo=tz)
                    end = (midnight + timedelta(seconds=end_s)).replace(tzinfo=tz)
                    start_us, end_us = _to_us(start), _to_us(end)
                    if end_us > start_us:
                        raw.append((start_us, end_us))
            day += one_day
        raw.sort()
        starts: list[int] = []
        ends: list[int] = []
        for start_us, end_us in raw:
            if ends and start_us <= ends[-1]:  # touching or overlapping: one interval
                ends[-1] = max(ends[-1], end_us)
            else:
                starts.append(start_us)
                ends.append(end_us)
        cum_before: list[int] = []
        cum_after: list[int] = []
        total = 0
        for start_us, end_us in zip(starts, ends, strict=True):
            cum_before.append(total)
            total += end_us - start_us
            cum_after.append(total)
        lo = _to_us(datetime(first_year, 1, 1, tzinfo=tz))
        hi = _to_us(datetime(last_year + 1, 1, 1, tzinfo=tz))
        return _Timeline(first_year, last_year, starts, ends, cum_before, cum_after, lo, hi)

    def _timeline_covering(self, lo_us: int, hi_us: int) -> _Timeline:
        """A timeline whose window contains [lo_us, hi_us], compiling a wider one when needed."""
        timeline = self._timeline
        if timeline is not None and timeline.lo_us <= lo_us and hi_us < timeline.hi_us:
            return timeline
        with self._lock:
            timeline = self._timeline
            if timeline is not None and timeline.lo_us <= lo_us and hi_us < timeline.hi_us:
                return timeline
            lo_year = (_EPOCH + timedelta(microseconds=lo_us)).astimezone(self.timezone).year
            hi_year = (_EPOCH + timedelta(microseconds=hi_us)).astimezone(self.timezone).year
            if timeline is None:
                first, last = lo_year - _INITIAL_SPAN, hi_year + _INITIAL_SPAN
            else:
                first = timeline.first_year if lo_us >= timeline.lo_us else lo_year - 1
                last = timeline.last_year if hi_us < timeline.hi_us else hi_year + 1
            timeline = self._compile(max(first, 1), min(last, 9998))
            self._timeline = timeline
            return timeline

    # --- the two primitives --------------------------------------------------------------------

    @staticmethod
    def _position(timeline: _Timeline, t_us: int) -> int:
        """Business µs accumulated from the window's start up to instant ``t_us``."""
        i = bisect_right(timeline.starts, t_us) - 1
        if i < 0:
            return 0
        if t_us < timeline.ends[i]:
            return timeline.cum_before[i] + (t_us - timeline.starts[i])
        return timeline.cum_after[i]

    def elapsed_us(self, start_us: int, end_us: int) -> int:
        if end_us < start_us:
            return -self.elapsed_us(end_us, start_us)
        timeline = self._timeline_covering(start_us, end_us)
        return self._position(timeline, end_us) - self._position(timeline, start_us)

    def add_us(self, start_us: int, amount_us: int) -> int:
        if amount_us < 0:
            raise ValueError("cannot add a negative amount of business time")
        if amount_us == 0:
            return self.next_opening_us(start_us)
        timeline = self._timeline_covering(start_us, start_us)
        searched_empty = 0
        while True:
            target = self._position(timeline, start_us) + amount_us
            if timeline.cum_after and target <= timeline.cum_after[-1]:
                i = bisect_left(timeline.cum_after, target)
                return timeline.ends[i] - (timeline.cum_after[i] - target)
            # Not enough business time in the window: widen it by about the shortfall.
            before = timeline.cum_after[-1] if timeline.cum_after else 0
            shortfall_years = (target - before) // (self.weekly_seconds * 52 * 10**6)
            wider = self._extend_forward(timeline, 1 + shortfall_years)
            gained = (wider.cum_after[-1] if wider.cum_after else 0) - before
            searched_empty = searched_empty + (wider.last_year - timeline.last_year) if not gained else 0
            if searched_empty > _MAX_SEARCH_YEARS or wider.last_year >= 9998:
                raise NoBusinessTime(f"calendar {self.name!r} has no business time ahead")
            timeline = wider

    def next_opening_us(self, t_us: int) -> int:
        """``t_us`` itself when open, else the next opening instant."""
        timeline = self._timeline_covering(t_us, t_us)
        while True:
            i = bisect_right(timeline.starts, t_us) - 1
            if i >= 0 and t_us < timeline.ends[i]:
                return t_us
            if i + 1 < len(timeline.starts):
                return timeline.starts[i + 1]
            last_year = (_EPOCH + timedelta(microseconds=t_us)).astimezone(self.timezone).year
            if timeline.last_year - last_year > _MAX_SEARCH_YEARS or timeline.last_year >= 9998:
                raise NoBusinessTime(f"calendar {self.name!r} has no opening ahead")
            timeline = self._extend_forward(timeline, 1)

    def running_until_us(self, t_us: int) -> tuple[bool, int]:
        """Whether business time runs at ``t_us``, and until when it keeps doing so (or not): the
        end of the open interval, else the next opening."""
        timeline = self._timeline_covering(t_us, t_us)
        i = bisect_right(timeline.starts, t_us) - 1
        if i >= 0 and t_us < timeline.ends[i]:
            return True, timeline.ends[i]
        return False, self.next_opening_us(t_us)

    def _extend_forward(self, timeline: _Timeline, years: int) -> _Timeline:
        end_of_window = _EPOCH + timedelta(microseconds=timeline.hi_us)
        target_year = min(end_of_window.astimezone(self.timezone).year + years, 9998)
        target = datetime(target_year, 6, 30, tzinfo=self.timezone)
        return self._timeline_covering(timeline.lo_us, _to_us(target))


def _merge(periods: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _from_us(t_us: int, tz: tzinfo) -> datetime:
    return (_EPOCH + timedelta(microseconds=t_us)).astimezone(tz)


# --- public functions ---------------------------------------------------------------------------


def add_business_time(start: datetime, amount: timedelta, calendar: BusinessCalendar) -> datetime:
    """The instant at which ``amount`` of business time has passed since ``start``.

    The result is aware, in the calendar's time zone.
    """
    amount_us = amount // _ONE_US
    return _from_us(calendar.add_us(_to_us(start), amount_us), calendar.timezone)


def business_time_elapsed(start: datetime, end: datetime, calendar: BusinessCalendar) -> timedelta:
    """Business time between two instants (negative when ``end`` is before ``start``)."""
    return timedelta(microseconds=calendar.elapsed_us(_to_us(start), _to_us(end)))


def next_opening(instant: datetime, calendar: BusinessCalendar) -> datetime:
    """``instant`` when the calendar is open then, else the next opening (half-open slots)."""
    return _from_us(calendar.next_opening_us(_to_us(instant)), calendar.timezone)


def running_until(instant: datetime, calendar: BusinessCalendar) -> tuple[bool, datetime]:
    """Whether the calendar is open at ``instant`` and the next instant that changes: its closing
    when open, its next opening when closed (a live countdown ticks, or stands still, until then)."""
    running, until_us = calendar.running_until_us(_to_us(instant))
    return running, _from_us(until_us, calendar.timezone)


def is_open(instant: datetime, calendar: BusinessCalendar) -> bool:
    t_us = _to_us(instant)
    return calendar.next_opening_us(t_us) == t_us
