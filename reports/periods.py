"""Report periods in America/Bogota: calendar months and Monday-starting weeks, as UTC-aware
half-open instants [start, end)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERIODS = {
    "month": _("This month"),
    "last_month": _("Last month"),
    "quarter": _("Last 3 months"),
    "year": _("Last 12 months"),
}
DEFAULT_PERIOD = "month"
WEEKS = 12


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        return str(PERIODS[self.key])


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _month_start(day: date, back: int = 0) -> date:
    months = day.year * 12 + (day.month - 1) - back
    return date(months // 12, months % 12 + 1, 1)


def period(key: str, *, now: datetime) -> Period:
    """The period ``key`` (PERIODS) around ``now``; an unknown key is this month."""
    key = key if key in PERIODS else DEFAULT_PERIOD
    today = timezone.localdate(now)
    if key == "last_month":
        return Period(key, _local_midnight(_month_start(today, 1)), _local_midnight(_month_start(today)))
    if key == "month":
        return Period(key, _local_midnight(_month_start(today)), now)
    # The long periods end at today's midnight: whole days, the same all day long, so the daily
    # snapshot (reports.services) and a live computation give the same figures.
    back = {"quarter": 2, "year": 11}[key]
    return Period(key, _local_midnight(_month_start(today, back)), _local_midnight(today))


SNAPSHOT_PERIODS = ("quarter", "year")


def week_starts(*, now: datetime, weeks: int = WEEKS) -> list[datetime]:
    """The Mondays (local midnight) of the last ``weeks`` weeks, the current one last."""
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    return [_local_midnight(monday - timedelta(weeks=k)) for k in range(weeks - 1, -1, -1)]
