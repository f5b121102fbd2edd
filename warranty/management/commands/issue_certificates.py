"""Issue the support certificates still owed: one per installation covered by a contract in force
that has no current certificate under it. Dry run (lists them) unless --for-real; then one line per
certificate with its number and its verification code."""

from __future__ import annotations

import os
import resource
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from contracts.models import Customer
from warranty import certificate_selectors as selectors
from warranty import services
from warranty.codes import code_grouped
from warranty.models import Certificate


class Command(BaseCommand):
    help = "Issue the support certificates still owed (dry run unless --for-real)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--customer", metavar="NUMBER", help="only this customer (its customer number)")
        parser.add_argument(
            "--by", metavar="USERNAME", help="who issues them (default: the first active superuser)"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            metavar="N",
            help="worker processes rendering the PDFs (default: the machine's cores; 1: render here)",
        )
        parser.add_argument("--for-real", action="store_true", help="issue (default: dry run)")

    def handle(self, *args: Any, **options: Any) -> None:
        customer = None
        if options["customer"]:
            customer = Customer.objects.filter(customer_number=options["customer"]).first()
            if customer is None:
                raise CommandError(f"No customer has the number {options['customer']}.")
        actor = self._actor(options["by"])
        if not options["for_real"]:
            pending = selectors.installations_to_certify(on=timezone.localdate(), customer=customer)
            for installation in pending:
                self.stdout.write(f"  would issue: {installation}")
            self.stdout.write(
                self.style.WARNING(f"Dry run: {len(pending)} certificate(s) owed. Use --for-real.")
            )
            return

        def report(certificate: Certificate | None, error: str) -> None:
            if certificate is not None:
                self.stdout.write(
                    f"{certificate.number}  {code_grouped(certificate.code)}  "
                    f"{certificate.customer_name} · {certificate.product_name}"
                )
            else:
                self.stderr.write(f"  not issued: {error}")

        jobs = max(1, options["jobs"])
        started, own_started, workers_started = time.perf_counter(), *_cpu_seconds()
        result = services.certificates_issue_bulk(
            actor=actor, customer=customer, on_progress=report, jobs=jobs
        )
        own, workers = _cpu_seconds()
        self.stdout.write(
            f"{len(result.issued)} certificate(s) issued, {len(result.failed)} refused "
            f"in {time.perf_counter() - started:.1f} s; CPU {own - own_started:.1f} s here"
            + (f" + {workers - workers_started:.1f} s in {jobs} rendering workers." if jobs > 1 else ".")
        )

    def _actor(self, username: str | None) -> Any:
        users = get_user_model().objects.filter(is_active=True)
        actor = (
            users.filter(username=username).first()
            if username
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("Nobody to issue as: pass --by USERNAME (an active user).")
        return actor


def _cpu_seconds() -> tuple[float, float]:
    """CPU seconds of this process, and of the rendering workers it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime
