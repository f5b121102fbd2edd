"""What both benchmark commands measure of one request: wall, CPU and SQL time, and its queries."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


@dataclass(frozen=True)
class Timed:
    response: TestResponse
    wall_ms: float
    cpu_ms: float
    sql_ms: float
    queries: list[dict[str, str]]


def timed_get(client: Client, path: str, *, follow: bool = False) -> Timed:
    with CaptureQueriesContext(connection) as ctx:
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(path, follow=follow)
        wall = (time.perf_counter() - t0) * 1000
        cpu = (time.process_time() - c0) * 1000
    queries = ctx.captured_queries
    return Timed(response, wall, cpu, sum(float(q["time"]) for q in queries) * 1000, queries)


def nearest_rank(values: list[float], q: float) -> float:
    """The q-quantile by nearest rank (p95 of 20 runs is the 19th fastest)."""
    data = sorted(values)
    return data[max(0, math.ceil(q * len(data)) - 1)] if data else float("nan")
