#!/usr/bin/env python
"""Benchmark the business-time engine: 100,000 mixed attention deadlines (and elapsed times).

    .venv/bin/python scripts/bench_business_time.py [--n 100000]

Prints calls per second and microseconds per call. Pure Python: no database, no Django.
"""

from __future__ import annotations

import argparse
import random
import sys
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import holidays

from contracts.business_time import (
    BusinessCalendar,
    add_business_time,
    business_time_elapsed,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    co = holidays.country_holidays("CO", years=range(2025, 2029)).keys()
    office = BusinessCalendar.build(
        timezone="America/Bogota",
        slots=[(d, time(7, 30), time(17, 30)) for d in range(5)],
        closed_dates=co,
        name="Oficina 8x5",
    )
    always = BusinessCalendar.build(
        timezone="America/Bogota", slots=[(d, time(0), time(0)) for d in range(7)], name="24x7"
    )
    # The scheme's table: (calendar, hours) for Gold P1-P4 and Platinum P1-P4.
    policy = [
        (office, 2),
        (office, 6),
        (office, 16),
        (office, 32),
        (always, 2),
        (always, 4),
        (office, 16),
        (office, 32),
    ]
    rng = random.Random(args.seed)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    work = []
    for _ in range(args.n):
        calendar, hours = rng.choice(policy)
        start = base + timedelta(seconds=rng.randrange(2 * 365 * 86400))
        work.append((start, timedelta(hours=hours), calendar))
    for calendar in (office, always):  # compile the timelines outside the timed loop
        add_business_time(base, timedelta(hours=1), calendar)

    t0 = clock.perf_counter()
    deadlines = [add_business_time(start, amount, calendar) for start, amount, calendar in work]
    add_seconds = clock.perf_counter() - t0

    t0 = clock.perf_counter()
    for (start, _amount, calendar), due in zip(work, deadlines, strict=True):
        business_time_elapsed(start, due, calendar)
    elapsed_seconds = clock.perf_counter() - t0

    n = args.n
    print(
        f"add_business_time      {n:,} mixed deadlines: {n / add_seconds:,.0f} calls/s, "
        f"{add_seconds / n * 1e6:.2f} µs/call"
    )
    print(
        f"business_time_elapsed  {n:,} intervals:       {n / elapsed_seconds:,.0f} calls/s, "
        f"{elapsed_seconds / n * 1e6:.2f} µs/call"
    )


if __name__ == "__main__":
    main()
