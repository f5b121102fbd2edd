"""The reports app's only writes: the daily snapshot of the long periods' figures."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from . import selectors
from .models import PeriodSnapshot
from .periods import SNAPSHOT_PERIODS, period


@transaction.atomic
def period_snapshots_refresh(*, now: datetime | None = None) -> list[PeriodSnapshot]:
    """Compute today's figures of the last 3 and 12 months (up to today's midnight, no filter) and
    of the finished weeks of the last twelve, and keep them, one row per period and day (again the
    same day: the row is replaced). Older days' rows are dropped."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    kept = []
    for key in SNAPSHOT_PERIODS:
        figures = selectors.period_figures(period=period(key, now=now), filters=selectors.Filters(), now=now)
        snapshot, _created = PeriodSnapshot.objects.update_or_create(
            period=key,
            day=today,
            defaults={"computed_at": now, "figures": selectors.figures_to_json(figures)},
        )
        kept.append(snapshot)
    weeks, _created = PeriodSnapshot.objects.update_or_create(
        period=selectors.WEEKS_SNAPSHOT,
        day=today,
        defaults={"computed_at": now, "figures": selectors.finished_weeks_json(now=now)},
    )
    kept.append(weeks)
    PeriodSnapshot.objects.filter(day__lt=today).delete()
    return kept
