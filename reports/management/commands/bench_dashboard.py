"""Time the managers' dashboard at scale (PostgreSQL only), like bench_cases times the case list.

    createdb -h 127.0.0.1 -U postgres sma_bench_reports
    export DJANGO_SETTINGS_MODULE=sma.settings.test \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/sma_bench_reports
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py bench_cases --cases 1000000 --open 10000 --generate --no-bench
    .venv/bin/python manage.py refresh_report_snapshots --for-real   # what the beat job does at 00:05
    .venv/bin/python manage.py bench_dashboard --runs 20

The real dashboard view is requested through ``django.test.Client`` as a manager (DEBUG off), for
this month, last month and the last 12 months (and with a customer filter): after warm-up
requests, ``--runs`` timed requests each. It prints p50 / p95 / max of the server time, the CPU
and SQL time, the number of queries, and EXPLAIN (ANALYZE, BUFFERS) of the period query. With
``--export`` it also times the CSV export of the last 12 months' cases (streamed) and its rows.
Nothing is written but the bench manager user.
"""

from __future__ import annotations

import os
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.management.commands._bench_http import nearest_rank, timed_get
from cases.models import Case
from reports import selectors
from reports.periods import period
from sma import roles

TARGET_MS = 500.0
BENCH_MANAGER = "bench.gerente"


class Command(BaseCommand):
    help = "Time the SLA dashboard (this month, last 12 months) on the current database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=20, help="timed requests per page (20)")
        parser.add_argument("--warmup", type=int, default=2, help="untimed requests per page (2)")
        parser.add_argument("--export", action="store_true", help="also time the 12-month case export")
        parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN ANALYZE")
        parser.add_argument("--queries", action="store_true", help="print the 5 slowest queries of a load")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("bench_dashboard needs PostgreSQL (percentile_cont, EXPLAIN ANALYZE).")
        User = get_user_model()
        groups = roles.roles_sync()
        user, _ = User.objects.get_or_create(
            username=BENCH_MANAGER,
            defaults={"first_name": "Gerente", "last_name": "de Pruebas", "is_staff": True},
        )
        user.groups.add(groups[roles.MANAGER])
        customer = Case.objects.values_list("customer_id", flat=True).order_by("-registered_at").first()
        total = Case.objects.count()
        load = os.getloadavg()
        self.stdout.write(
            f"{total:,} cases in {connection.settings_dict['NAME']}; load average "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs"
        )
        client = Client()
        client.force_login(user)
        url = reverse("reports:dashboard")
        pages: list[tuple[str, dict[str, Any]]] = [
            ("this month", {"period": "month"}),
            ("last month (a whole month, live)", {"period": "last_month"}),
            ("last 12 months", {"period": "year"}),
            ("this month, one customer", {"period": "month", "customer": customer}),
            ("last 12 months, one customer", {"period": "year", "customer": customer}),
        ]
        self.stdout.write(
            f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8} {'sql p50':>8} "
            f"{'queries':>8}"
        )
        ok = True
        with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            for label, query in pages:
                path = url + "?" + urlencode(query)
                for _ in range(options["warmup"]):
                    timed_get(client, path)
                walls, cpus, sqls, counts = [], [], [], set()
                for _ in range(max(1, options["runs"])):
                    t = timed_get(client, path)
                    if t.response.status_code != 200:
                        raise CommandError(f"{path}: HTTP {t.response.status_code}")
                    walls.append(t.wall_ms)
                    cpus.append(t.cpu_ms)
                    sqls.append(t.sql_ms)
                    counts.add(len(t.queries))
                p95 = nearest_rank(walls, 0.95)
                ok = ok and p95 <= TARGET_MS
                self.stdout.write(
                    f"{label:32} {nearest_rank(walls, 0.5):8.0f} {p95:8.0f} {max(walls):8.0f} "
                    f"{nearest_rank(cpus, 0.5):8.0f} {nearest_rank(sqls, 0.5):8.0f} "
                    f"{'/'.join(str(c) for c in sorted(counts)):>8}"
                )
                if options["queries"]:
                    for q in sorted(t.queries, key=lambda q: -float(q["time"]))[:5]:
                        self.stdout.write(f"    {float(q['time']) * 1000:7.0f} ms  {q['sql'][:150]}")
            if options["export"]:
                path = reverse("reports:export", args=["cases", "csv"]) + "?period=year"
                t0 = time.perf_counter()
                response = client.get(path)
                first = None
                rows = 0
                size = 0
                streamed: Any = response  # a StreamingHttpResponse (the test client's type lacks it)
                for chunk in streamed.streaming_content:
                    if first is None:
                        first = (time.perf_counter() - t0) * 1000
                    rows += chunk.count(b"\n")
                    size += len(chunk)
                wall = (time.perf_counter() - t0) * 1000
                self.stdout.write(
                    f"export of the last 12 months' cases (CSV): {rows - 1:,} rows, {size / 1e6:.1f} MB, "
                    f"first bytes after {first or 0:.0f} ms, all in {wall / 1000:.1f} s"
                )
        self.stdout.write(self.style.SUCCESS(f"p95 ≤ {TARGET_MS:.0f} ms: {'yes' if ok else 'NO'}"))
        if not options["no_explain"]:
            self._explain()

    def _explain(self) -> None:
        now = timezone.now()
        for key in ("month", "year"):
            chosen = period(key, now=now)
            where, params = selectors.Filters().sql()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")  # as the selector does
                cursor.execute(
                    "EXPLAIN (ANALYZE, BUFFERS) " + selectors.period_sql(where),
                    {"start": chosen.start, "end": chosen.end, "now": now, **params},
                )
                plan = [row[0] for row in cursor.fetchall()]
            self.stdout.write(f"\nEXPLAIN ANALYZE, period query, {chosen.label}:")
            for line in plan:
                self.stdout.write("  " + line)
