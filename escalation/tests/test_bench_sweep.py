"""The sweep benchmark runs and leaves the database as it was."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import Case
from cases.tests.factories import customer_setup, registered_case
from escalation.models import Notification

pytestmark = pytest.mark.django_db


def test_bench_sweep_measures_and_rolls_back() -> None:
    setup = customer_setup()
    for _ in range(5):
        registered_case(setup=setup, priority="P1")
    before = list(Case.objects.order_by("pk").values_list("warn_at", flat=True))
    out = StringIO()
    call_command("bench_sweep", "--due", "2", "--runs", "2", stdout=out)
    text = out.getvalue()
    assert "sweep: 2 due cases handled" in text and "EXPLAIN" in text
    assert list(Case.objects.order_by("pk").values_list("warn_at", flat=True)) == before
    assert not Notification.objects.exists()
