"""The case page and the admin lists over big tables, timed for ``bench_cases --pages``.

It writes to the database it measures: two open cases get a long timeline (``TIMELINES``
activities, every tenth with an attachment row) if they do not have one yet, and a superuser
``bench_admin`` is created for the admin pages. Point it at a copy of the benchmark database.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from cases.models import Case, CaseStatus
from sma.warmup import warm_up

from ._bench_http import nearest_rank, timed_get

TIMELINES = (200, 2000)
DETAIL_TARGET_MS = 50.0
ADMIN_TARGET_MS = 100.0
ADMIN_USERNAME = "bench_admin"


@dataclass
class Page:
    label: str
    path: str
    target_ms: float
    follow: bool = False  # a page that answers with a redirect is timed with the page it leads to
    times_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    queries: int = 0
    slowest_sql: str = ""
    slowest_sql_ms: float = 0.0

    def p(self, q: float) -> float:
        return nearest_rank(self.times_ms, q)


def long_timelines() -> dict[int, str]:
    """Case numbers with 200 and 2,000 activities (the first open cases, topped up in SQL)."""
    numbers: dict[int, str] = {}
    candidates = list(
        Case.objects.exclude(status=CaseStatus.CLOSED).exclude(priority="").order_by("id")[: len(TIMELINES)]
    )
    if len(candidates) < len(TIMELINES):
        raise CommandError("--pages needs at least two open cases with a priority.")
    for size, case in zip(TIMELINES, candidates, strict=True):
        have = case.activities.count()
        if have < size:
            _add_activities(case, size - have)
        numbers[size] = case.number
    return numbers


def _add_activities(case: Case, n: int) -> None:
    """Activities spread over the hours after registration; one in ten carries an attachment."""
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO cases_caseactivity (case_id, kind, author_id, created_at, body, is_public, data,
                                            customer_notice_due)
            SELECT %(case)s, (ARRAY['internal_note','phone_call','email','remote_session'])[1 + g %% 4],
                   %(author)s, %(start)s::timestamptz + (g || ' minutes')::interval,
                   'Seguimiento ' || g || ': se revisaron los registros del servidor y se pidió una '
                   || 'captura de pantalla al cliente.', g %% 3 = 0, '{}'::jsonb, false
            FROM generate_series(1, %(n)s) AS g
            """,
            {"case": case.pk, "author": case.registered_by_id, "start": case.registered_at, "n": n},
        )
        cur.execute(
            """
            INSERT INTO cases_caseattachment (case_id, activity_id, kind, file, original_name, content_type,
                                              size, sha256, is_public, uploaded_by_id, uploaded_at,
                                              damaged)
            SELECT a.case_id, a.id, 'log', 'cases/' || a.case_id || '/bench-' || a.id,
                   'registro-' || a.id || '.log', 'text/plain', 20480, repeat('0', 64), true,
                   a.author_id, a.created_at, false
            FROM cases_caseactivity a
            WHERE a.case_id = %(case)s AND a.id %% 10 = 0
              AND NOT EXISTS (SELECT 1 FROM cases_caseattachment x WHERE x.activity_id = a.id)
            """,
            {"case": case.pk},
        )
        cur.execute("ANALYZE cases_caseactivity")
        cur.execute("ANALYZE cases_caseattachment")


def admin_user() -> Any:
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=ADMIN_USERNAME, defaults={"is_staff": True, "is_superuser": True, "first_name": "Admin"}
    )
    if not (user.is_staff and user.is_superuser and user.is_active):
        user.is_staff = user.is_superuser = user.is_active = True
        user.save(update_fields=["is_staff", "is_superuser", "is_active"])
    return user


def detail_pages(numbers: dict[int, str]) -> list[Page]:
    pages = []
    for size, number in numbers.items():
        url = reverse("cases:detail", args=[number])
        pages.append(Page(f"detail {size} activities", url, DETAIL_TARGET_MS))
    return pages


def admin_pages(numbers: dict[int, str]) -> list[Page]:
    number = numbers[TIMELINES[0]]
    case_pk = Case.objects.filter(number=number).values_list("pk", flat=True).get()
    old_prefix = Case.objects.order_by("id").values_list("number", flat=True).first() or "SMA-2024"
    prefix = "-".join(old_prefix.split("-")[:2])
    t = ADMIN_TARGET_MS

    def cl(model: str) -> str:
        return reverse(f"admin:{model}_changelist")

    return [
        Page("admin cases", cl("cases_case"), t),
        Page("admin cases ?q=<number>", cl("cases_case") + f"?q={number}", t),
        Page(f"admin cases ?q={prefix}", cl("cases_case") + f"?q={prefix}", t),
        Page("admin cases ?status=closed", cl("cases_case") + "?status__exact=closed", t),
        Page("admin cases ?p=2000", cl("cases_case") + "?p=2000", t, follow=True),
        Page("admin case page (200 act.)", reverse("admin:cases_case_change", args=[case_pk]), t),
        Page("admin notifications", cl("escalation_notification"), t),
        Page("admin notifications ?q=<number>", cl("escalation_notification") + f"?q={number}", t),
        Page("admin customer e-mails", cl("escalation_customeremail"), t),
        Page("admin inbound mail", cl("escalation_inboundemail"), t),
    ]


def measure(pages: list[Page], *, user: Any, runs: int, warmup: int) -> None:
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts):
        warm_up()  # what every web worker does when it starts (sma/wsgi.py)
        client = Client()
        client.force_login(user)
        for page in pages:
            captured: list[dict[str, str]] = []
            for i in range(warmup + runs):
                timed = timed_get(client, page.path, follow=page.follow)
                if timed.response.status_code != 200:
                    raise CommandError(f"GET {page.path} → {timed.response.status_code}")
                if i >= warmup:
                    page.times_ms.append(timed.wall_ms)
                    page.sql_ms.append(timed.sql_ms)
                    page.cpu_ms.append(timed.cpu_ms)
                captured = timed.queries
            page.queries = len(captured)
            slowest = max(captured, key=lambda q: float(q["time"]), default=None)
            if slowest is not None:
                page.slowest_sql, page.slowest_sql_ms = slowest["sql"], float(slowest["time"]) * 1000
        client.logout()


def report(pages: list[Page], write: Callable[[str], None], *, explain: bool) -> None:
    header = (
        f"{'page':<34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'sql p50':>8} {'cpu p50':>8} "
        f"{'queries':>7} {'target':>7}  result"
    )
    write("")
    write(header)
    write("-" * len(header))
    for s in pages:
        ok = s.p(0.95) <= s.target_ms
        write(
            f"{s.label:<34} {s.p(0.5):>8.1f} {s.p(0.95):>8.1f} {max(s.times_ms):>8.1f} "
            f"{statistics.median(s.sql_ms):>8.1f} {statistics.median(s.cpu_ms):>8.1f} {s.queries:>7} "
            f"{s.target_ms:>7.0f}  {'ok' if ok else 'MISS'}"
        )
    if not explain:
        return
    for s in pages:
        if not s.slowest_sql or not s.slowest_sql.lstrip().upper().startswith("SELECT"):
            continue
        write("")
        write(f"=== EXPLAIN {s.label} · slowest query ({s.slowest_sql_ms:.1f} ms) ===")
        write(s.slowest_sql[:600])
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + s.slowest_sql)
            for (line,) in cur.fetchall():
                write("  " + line)


def bench_pages(
    *, bench_user: Any, runs: int, warmup: int, explain: bool, write: Callable[[str], None]
) -> None:
    numbers = long_timelines()
    write("")
    write(f"Case page and admin lists · timelines: {numbers}")
    details = detail_pages(numbers)
    measure(details, user=bench_user, runs=runs, warmup=warmup)
    admins = admin_pages(numbers)
    measure(admins, user=admin_user(), runs=runs, warmup=warmup)
    report(details + admins, write, explain=explain)
