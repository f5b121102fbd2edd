"""Time the deadline sweep on the current (PostgreSQL) database, then roll everything back.

    DATABASE_URL=postgres://…/sma_bench manage.py bench_sweep --due 50 --runs 5

Spreads ``warn_at`` over the open cases (``--due`` of them due now, the rest in the coming days),
runs ``deadline_sweep`` ``--runs`` times from the same starting state (a savepoint each), prints
the timings and the EXPLAIN of the query that claims due cases, and leaves the database as it was.
"""

from __future__ import annotations

import math
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case
from escalation import services
from escalation.models import EscalationRule


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the deadline sweep (dry: everything is rolled back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--due", type=int, default=50)
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench_sweep measures PostgreSQL; point DATABASE_URL at it.")
        now = timezone.now()
        try:
            with transaction.atomic():
                self._run(now, options["due"], options["runs"])
                raise _Rollback
        except _Rollback:
            self.stdout.write("rolled back: the database is unchanged")

    def _run(self, now: Any, due: int, runs: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE cases_case SET warn_at = NULL WHERE warn_at IS NOT NULL")
            cursor.execute(
                """
                WITH open_cases AS (
                    SELECT id, row_number() OVER (ORDER BY id) AS n FROM cases_case
                    WHERE status <> 'closed' AND priority <> '' AND first_response_at IS NULL
                )
                UPDATE cases_case c SET warn_at = CASE
                    WHEN o.n <= %s THEN %s::timestamptz - interval '1 minute'
                    ELSE %s::timestamptz + (o.n || ' minutes')::interval END
                FROM open_cases o WHERE c.id = o.id
                """,
                [due, now, now],
            )
            cursor.execute("ANALYZE cases_case")
        total = Case.objects.count()
        watched = Case.objects.filter(warn_at__isnull=False).count()
        self.stdout.write(f"cases: {total:,}; watched (warn_at set): {watched:,}; due now: {due}")
        claim = (
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("plan", "customer", "assigned_to")
            .filter(warn_at__lte=now)
            .order_by("warn_at")[: services.BATCH]
        )
        sql, params = claim.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        # The watch's baselines (SLA revision, rules applied), as any earlier sweep leaves them: the
        # runs measure a sweep in steady state, not the very first one.
        services.deadlines_follow_sla_edits(now=now)
        services.watch_follows_rule_edits(rules=list(EscalationRule.objects.filter(is_active=True)), now=now)
        timings, cpu, in_sql = [], [], []
        for _ in range(runs):
            sid = transaction.savepoint()
            with CaptureQueriesContext(connection) as queries:
                start, cpu_start = time.perf_counter(), time.process_time()
                result = services.deadline_sweep(now=now)
                timings.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - cpu_start) * 1000)
            in_sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            transaction.savepoint_rollback(sid)
        ordered = sorted(timings)
        p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
        self.stdout.write(
            f"sweep: {result.cases} due cases handled, {len(result.created)} notifications, "
            f"{len(queries)} queries; p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
            f"max {max(timings):.1f} ms over {runs} runs (this process's CPU p50 "
            f"{statistics.median(cpu):.1f} ms, time in SQL p50 {statistics.median(in_sql):.1f} ms)"
        )
        self.stdout.write("EXPLAIN of the claim query:\n" + plan)
