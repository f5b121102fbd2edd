"""manage.py issue_certificates: a dry run unless --for-real; then one line per certificate with its
number and verification code. Also the bulk timing: 100 certificates."""

from __future__ import annotations

import re
import resource
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contracts.tests.factories import (
    CustomerFactory,
    InstallationFactory,
    ProductFactory,
    SupportContractFactory,
)
from warranty.codes import code_grouped
from warranty.models import Certificate

from .certificate_factories import covered_installation

pytestmark = pytest.mark.django_db
LINE = re.compile(r"^(CS-\d{4}-\d{5})  ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})  .+$")


def test_a_dry_run_lists_what_is_owed_and_issues_nothing(issuer) -> None:
    covered_installation(product="CTLog")
    out = StringIO()
    call_command("issue_certificates", stdout=out)
    assert "would issue: CTLog" in out.getvalue() and "Dry run" in out.getvalue()
    assert not Certificate.objects.exists()


def test_for_real_prints_each_number_and_code_and_filters_by_customer(issuer) -> None:
    mine = CustomerFactory(customer_number="7001")
    covered_installation(customer=mine, product="CTLog")
    covered_installation(customer=mine, product="CTVox")
    covered_installation(product="Denwa")
    out = StringIO()
    call_command("issue_certificates", "--customer", "7001", "--for-real", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if LINE.match(line)]
    assert len(lines) == 2
    for line in lines:
        number, code = LINE.match(line).groups()
        assert code_grouped(Certificate.objects.get(number=number).code) == code
    assert Certificate.objects.filter(customer=mine).count() == 2 and Certificate.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("issue_certificates", "--customer", "9999", stdout=StringIO())


def test_one_hundred_certificates_are_issued_in_bulk_within_30_seconds(issuer) -> None:
    customers = [CustomerFactory() for _ in range(10)]
    products = [ProductFactory(name=f"CT{n}") for n in range(10)]
    for customer in customers:
        installations = [InstallationFactory(customer=customer, product=p) for p in products]
        SupportContractFactory(customer=customer, installations=installations)
    out = StringIO()
    started, cpu_started = time.perf_counter(), _cpu()
    call_command("issue_certificates", "--for-real", "--jobs", "2", stdout=out)
    elapsed, cpu = time.perf_counter() - started, _cpu() - cpu_started
    print(f"100 certificates issued in {elapsed:.1f} s ({cpu:.1f} s of CPU, 2 rendering workers)")
    assert sum(1 for line in out.getvalue().splitlines() if LINE.match(line)) == 100
    assert "100 certificate(s) issued, 0 refused in " in out.getvalue()
    assert Certificate.objects.count() == 100 and not Certificate.objects.filter(pdf="").exists()
    assert len(set(Certificate.objects.values_list("code", flat=True))) == 100
    # The bound is on the CPU time of this process and its rendering workers: the wall time also
    # counts what other processes take from the machine's cores (measured with `time` in the README).
    assert cpu <= 30


def _cpu() -> float:
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
