"""The bench_cases command keeps working: it generates a small data set and prints its table."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case, CaseSequence, CaseStatus
from cases.numbering import allocate_case_number
from cases.search import search_document

pytestmark = pytest.mark.django_db


def test_bench_generates_cases_and_prints_the_table() -> None:
    out = StringIO()
    call_command(
        "bench_cases",
        "--cases",
        "300",
        "--open",
        "30",
        "--generate",
        "--runs",
        "1",
        "--warmup",
        "0",
        stdout=out,
    )
    output = out.getvalue()

    assert Case.objects.count() == 300
    assert 5 <= Case.objects.exclude(status=CaseStatus.CLOSED).count() <= 80
    assert set(Case.objects.values_list("priority", flat=True)) >= {"P1", "P2", "P3", "P4"}
    # Plan taken from the contract; search text built exactly like the registration service does.
    for case in Case.objects.select_related("customer", "contract")[:50]:
        assert case.plan_id == case.contract.plan_id
        assert case.search_document == search_document(
            number=case.number,
            customer_name=case.customer.name,
            subject=case.subject,
            description=case.description,
        )
    # The year sequences continue after the generated numbers: the next real one is new.
    latest = Case.objects.order_by("-registered_at").first()
    sequence = CaseSequence.objects.get(year=int(latest.number.split("-")[1]))
    assert latest.number.endswith(f"-{sequence.last:06d}")
    assert not Case.objects.filter(number=allocate_case_number(registered_at=latest.registered_at)).exists()

    # The table: a header and one row per filter, with the p50/p95/max and query columns.
    assert "p50 ms" in output and "p95 ms" in output and "queries" in output
    for label in ("default", "assignee=me", "q=word&status=all", "priority=P2&status=all&sort=due"):
        assert f"\n{label} " in output
    assert "=== EXPLAIN default · page query ===" in output
    assert "Index" in output or "Seq Scan" in output


def test_bench_refuses_to_generate_over_existing_cases() -> None:
    call_command("bench_cases", "--cases", "20", "--generate", "--no-bench", stdout=StringIO())
    with pytest.raises(CommandError, match="already has cases"):
        call_command("bench_cases", "--cases", "20", "--generate", "--no-bench", stdout=StringIO())
    call_command("bench_cases", "--cases", "20", "--force-generate", "--no-bench", stdout=StringIO())
    assert Case.objects.count() == 40
    assert Case.objects.values("number").distinct().count() == 40
