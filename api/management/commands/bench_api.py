"""Benchmark the REST API's case list at scale (PostgreSQL only): first pages, deep cursor pages,
filters, a walk through consecutive pages, a case's detail and an entitlement.

    DJANGO_SETTINGS_MODULE=sma.settings.test \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sma_bench \\
    .venv/bin/python manage.py bench_api --runs 30

It measures the cases already in the database (fill one with ``manage.py bench_cases --generate
--no-bench``). It writes one row: a read-only API key named "bench" (replaced at every run, since a
key is shown only when issued). The real views are requested through ``django.test.Client`` with
that key (DEBUG off, the key's rate lifted): after warm-up requests, ``--runs`` timed requests each;
p50 / p95 / max of the server time, the SQL time and the number of queries, and EXPLAIN (ANALYZE,
BUFFERS) of the page query for the deep cursor and for every sample that misses its target.

"Deep" cursors are taken from the oldest cases (the last pages of the newest-first list) and from
the middle of the registration period: with OFFSET pagination those pages would read and skip
hundreds of thousands of rows; with the cursor they seek the (registered_at, id) index.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count, Max, Min
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from api.models import ApiKey, ApiScope
from api.pagination import Cursor
from cases.management.commands._bench_http import nearest_rank, timed_get
from cases.models import Case, CaseStatus
from sma.warmup import warm_up

BENCH_KEY_NAME = "bench"
TARGET_MS = 50.0
SEARCH_TARGET_MS = 100.0
MAX_QUERIES = 6


@dataclass
class Sample:
    label: str
    path: str
    target_ms: float = TARGET_MS
    times_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    queries: int = 0
    rows: int = 0
    page_sql: str = ""

    @property
    def ok(self) -> bool:
        return nearest_rank(self.times_ms, 0.95) <= self.target_ms and self.queries <= MAX_QUERIES


class Command(BaseCommand):
    help = (
        "Time the REST API's case list (first, deep and filtered cursor pages) on the cases in the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30, help="timed requests per sample (30)")
        parser.add_argument("--warmup", type=int, default=2, help="untimed requests per sample (2)")
        parser.add_argument("--limit", type=int, default=50, help="cases per page (50)")
        parser.add_argument("--walk", type=int, default=20, help="consecutive pages followed by `next` (20)")
        parser.add_argument(
            "--explain", choices=["auto", "all", "none"], default="auto", help="EXPLAIN deep pages and misses"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(f"bench_api needs PostgreSQL; this database is {connection.vendor}.")
        if not Case.objects.exists():
            raise CommandError(
                f"{connection.settings_dict['NAME']} has no cases. Fill it first: "
                "manage.py bench_cases --generate --no-bench --cases 1000000"
            )
        runs, warmup, limit = max(1, options["runs"]), max(0, options["warmup"]), options["limit"]
        ApiKey.objects.filter(name=BENCH_KEY_NAME).delete()
        _key, secret = ApiKey.objects.create_key(name=BENCH_KEY_NAME, scope=ApiScope.READ)
        samples = self._samples(limit)
        total = Case.objects.count()
        self.stdout.write(
            f"\nAPI case list benchmark · {connection.settings_dict['NAME']} · {total:,} cases · "
            f"{warmup} warm-up + {runs} timed requests per sample · {limit} cases per page"
        )
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts, SMA_API_RATE="100000000/min"):
            warm_up()
            client = Client(headers={"Authorization": f"Api-Key {secret}"})
            for sample in samples:
                self._measure(client, sample, runs=runs, warmup=warmup)
            walk = self._walk(client, limit=limit, pages=max(1, options["walk"]))
        self._print(samples, walk)
        if options["explain"] != "none":
            for sample in samples:
                if options["explain"] == "all" or "cursor" in sample.label or not sample.ok:
                    self._explain(sample)

    # --- what is measured ----------------------------------------------------------------------

    def _samples(self, limit: int) -> list[Sample]:
        url = reverse("api:cases")

        def path(**params: Any) -> str:
            return url + "?" + urlencode({"limit": limit, **params})

        span = Case.objects.aggregate(first=Min("registered_at"), last=Max("registered_at"))
        oldest = list(
            Case.objects.order_by("registered_at", "id").values_list("registered_at", "id")[: limit + 1]
        )
        deep_end = Cursor(*oldest[-1])  # the last full page of the whole list
        middle_at = span["first"] + (span["last"] - span["first"]) / 2
        middle = (
            Case.objects.filter(registered_at__gte=middle_at)
            .order_by("registered_at", "id")
            .values_list("registered_at", "id")
            .first()
        )
        deep_middle = Cursor(*middle) if middle else deep_end
        closed_old = (
            Case.objects.filter(status=CaseStatus.CLOSED, registered_at__lte=middle_at)
            .order_by("-registered_at", "-id")
            .values_list("registered_at", "id")
            .first()
        )
        big_customer = (
            Case.objects.values("customer__customer_number")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("customer__customer_number", flat=True)
            .first()
        )
        assignee = (
            Case.objects.filter(assigned_to__isnull=False)
            .order_by("-registered_at")
            .values_list("assigned_to__username", flat=True)
            .first()
        )
        samples = [
            Sample("first page (open)", path()),
            Sample("first page, status=all", path(status="all")),
            Sample("cursor: middle, status=all", path(status="all", cursor=deep_middle.encode())),
            Sample("cursor: last page, status=all", path(status="all", cursor=deep_end.encode())),
            Sample("priority=P1&status=all", path(priority="P1", status="all")),
            Sample(
                "cursor: middle, priority=P2&status=all",
                path(priority="P2", status="all", cursor=deep_middle.encode()),
            ),
            Sample("status=closed", path(status="closed")),
        ]
        if closed_old:
            samples.append(
                Sample(
                    "cursor: middle, status=closed",
                    path(status="closed", cursor=Cursor(*closed_old).encode()),
                )
            )
        if big_customer:
            samples.append(Sample("customer=<big>&status=all", path(customer=big_customer, status="all")))
            samples.append(
                Sample(
                    "cursor: middle, customer=<big>&status=all",
                    path(customer=big_customer, status="all", cursor=deep_middle.encode()),
                )
            )
        if assignee:
            samples.append(Sample("assignee=<engineer>", path(assignee=assignee)))
        samples.append(Sample("q=licencia&status=all", path(q="licencia", status="all"), SEARCH_TARGET_MS))
        newest = Case.objects.order_by("-registered_at", "-id").values_list("number", flat=True).first()
        samples.append(Sample("case detail", reverse("api:case", args=[newest])))
        if big_customer:
            samples.append(Sample("entitlement", reverse("api:entitlement", args=[big_customer])))
        return samples

    def _measure(self, client: Client, sample: Sample, *, runs: int, warmup: int) -> None:
        for i in range(warmup + runs):
            timed = timed_get(client, sample.path)
            if timed.response.status_code != 200:
                raise CommandError(
                    f"GET {sample.path} → {timed.response.status_code}: {timed.response.content[:300]!r}"
                )
            if i >= warmup:
                sample.times_ms.append(timed.wall_ms)
                sample.sql_ms.append(timed.sql_ms)
        sample.queries = len(timed.queries)
        body = timed.response.json()
        sample.rows = len(body.get("results", [])) if isinstance(body, dict) else 0
        pages = [q["sql"] for q in timed.queries if '"cases_case"' in q["sql"] and "LIMIT" in q["sql"]]
        sample.page_sql = next((sql for sql in pages if not sql.startswith("SELECT COUNT(*)")), "")

    def _walk(self, client: Client, *, limit: int, pages: int) -> list[float]:
        """Follow `next` from the first page (status=all): each page's time, in order."""
        times: list[float] = []
        path: str | None = reverse("api:cases") + "?" + urlencode({"limit": limit, "status": "all"})
        while path and len(times) < pages:
            timed = timed_get(client, path)
            times.append(timed.wall_ms)
            nxt = timed.response.json()["next"]
            path = nxt.removeprefix("http://testserver") if nxt else None
        return times

    # --- what is printed -----------------------------------------------------------------------

    def _print(self, samples: list[Sample], walk: list[float]) -> None:
        header = (
            f"{'sample':<44} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'sql p50':>8} "
            f"{'queries':>7} {'target':>7}  result"
        )
        self.stdout.write("\n" + header + "\n" + "-" * len(header))
        for s in samples:
            line = (
                f"{s.label:<44} {s.rows:>5} {nearest_rank(s.times_ms, 0.5):>8.1f} "
                f"{nearest_rank(s.times_ms, 0.95):>8.1f} {max(s.times_ms):>8.1f} "
                f"{statistics.median(s.sql_ms):>8.1f} {s.queries:>7} {s.target_ms:>7.0f}  "
                f"{'ok' if s.ok else 'MISS'}"
            )
            self.stdout.write(line if s.ok else self.style.WARNING(line))
        if walk:
            self.stdout.write(
                f"\nwalk of {len(walk)} consecutive pages by `next` (status=all): "
                f"p50 {nearest_rank(walk, 0.5):.1f} ms, p95 {nearest_rank(walk, 0.95):.1f} ms, "
                f"first {walk[0]:.1f} ms, last {walk[-1]:.1f} ms"
            )
        misses = [s.label for s in samples if not s.ok]
        self.stdout.write(
            "ms = wall time of the whole request (middleware, authentication, throttle, view, queries, "
            "JSON); sql = time in the database; p95 = nearest rank."
        )
        if misses:
            self.stdout.write(self.style.WARNING(f"{len(misses)} sample(s) missed: {', '.join(misses)}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"All {len(samples)} samples within target."))

    def _explain(self, sample: Sample) -> None:
        if not sample.page_sql:
            return
        self.stdout.write(f"\n=== EXPLAIN {sample.label} · page query ===\n{sample.page_sql}")
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sample.page_sql)
            for (line,) in cur.fetchall():
                self.stdout.write("  " + line)
