"""Time the portal's case list and case page for a contact of the company with the most cases
(PostgreSQL; run it on a database filled by ``bench_cases --generate``):

    DJANGO_SETTINGS_MODULE=sma.settings.test \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sma_bench \\
    .venv/bin/python manage.py bench_portal --runs 20

It gives that company's first contact a portal account (``bench_contact``) if none has one, then
requests each page through ``django.test.Client`` (DEBUG off) and prints p50 / p95 / max of the
server time, the SQL time and the number of queries.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from cases.management.commands._bench_http import nearest_rank, timed_get
from cases.models import Case, CaseStatus
from contracts.models import TechnicalContact

USERNAME = "bench_contact"
TARGET_MS = 50.0
MAX_QUERIES = 10


class Command(BaseCommand):
    help = "Time the customer portal's pages for a contact of the biggest company."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--warmup", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        biggest = (
            Case.objects.values("customer_id").annotate(n=Count("id")).order_by("-n").first()
        )
        if biggest is None:
            raise CommandError("No cases: run bench_cases --generate first.")
        contact = TechnicalContact.objects.filter(customer_id=biggest["customer_id"], is_active=True).first()
        if contact is None:
            raise CommandError("The biggest company has no active contact.")
        if contact.user is None:
            user, _created = get_user_model().objects.get_or_create(username=USERNAME)
            contact.user = user
            contact.save(update_fields=["user"])
        company = Case.objects.filter(customer_id=contact.customer_id)
        case = company.exclude(status=CaseStatus.CLOSED).first()
        closed = company.filter(status=CaseStatus.CLOSED).first()
        product = company.values_list("product_id", flat=True).first()
        home = reverse("portal:home")

        def listing(**params: Any) -> str:
            return home + "?" + urlencode(params)

        pages = [
            ("open cases (default)", home),
            ("all cases", listing(state="all")),
            ("closed, page 50", listing(state="closed", page=50)),
            ("all, P3, one product", listing(state="all", priority="P3", product=product)),
            ("search 'licencia'", listing(state="all", q="licencia")),
            ("search a number", listing(state="all", q=closed.number if closed else "x")),
        ]
        if case is not None:
            pages.append(("open case page", reverse("portal:case_detail", args=[case.number])))
        if closed is not None:
            pages.append(("closed case page", reverse("portal:case_detail", args=[closed.number])))
        client = Client()
        client.force_login(contact.user)
        self.stdout.write(
            f"{contact.customer.name}: {biggest['n']:,} cases; contact {contact.full_name} "
            f"({contact.user.get_username()})"
        )
        header = ("p50 ms", "p95 ms", "max ms", "SQL p50", "queries")
        self.stdout.write(f"{'page':<24} " + " ".join(f"{h:>8}" for h in header))
        with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            for label, path in pages:
                for _ in range(options["warmup"]):
                    client.get(path)
                times, sql, queries = [], [], 0
                for _ in range(options["runs"]):
                    timed = timed_get(client, path)
                    if timed.response.status_code != 200:
                        raise CommandError(f"{path}: {timed.response.status_code}")
                    times.append(timed.wall_ms)
                    sql.append(timed.sql_ms)
                    queries = len(timed.queries)
                fast = nearest_rank(times, 0.95) <= TARGET_MS and queries <= MAX_QUERIES
                flag = "" if fast else "  <-- over"
                self.stdout.write(
                    f"{label:<24} {nearest_rank(times, 0.5):>8.1f} {nearest_rank(times, 0.95):>8.1f} "
                    f"{max(times):>8.1f} {nearest_rank(sql, 0.5):>8.1f} {queries:>8}{flag}"
                )
