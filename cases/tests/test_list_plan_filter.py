"""The plan filter of the case list names the plan's id through a subquery (not a join on the
plan's code), so PostgreSQL estimates it from the cases' own plan_id statistics."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import selectors
from contracts.models import SupportPlan

from .factories import CaseFactory, customer_setup, engineer

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("America/Bogota"))
LIST = reverse("cases:list")


@pytest.mark.parametrize("status", ["", "all"])
def test_the_plan_filter_finds_the_plans_cases_by_id(client, monkeypatch, status) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    client.force_login(engineer())
    gold = SupportPlan.objects.get(code="GOLD_8X5")
    platinum = SupportPlan.objects.get(code="PLATINUM_24X7")
    on_gold, on_platinum = customer_setup(plan=gold), customer_setup(plan=platinum)
    made = [
        CaseFactory(setup=on_gold if i % 2 else on_platinum, registered_at=NOW - timedelta(hours=i))
        for i in range(6)
    ]
    client.get(LIST)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"plan": "GOLD_8X5", "status": status})
    assert [c.pk for c in response.context["cases"]] == [
        c.pk
        for c in sorted(
            made, key=lambda c: c.attention_due_at if not status else -c.registered_at.timestamp()
        )
        if c.plan_id == gold.pk
    ]
    assert response.context["total"] == 3
    case_sql = [q["sql"] for q in ctx.captured_queries if 'FROM "cases_case"' in q["sql"]]
    assert case_sql and all('"plan_id" = (SELECT' in sql for sql in case_sql)
    assert len(ctx.captured_queries) <= 10

    # A code no plan has (the form refuses it; the selector alone finds nothing, like the join did).
    filters = selectors.CaseFilters(plan="NO_SUCH_PLAN", status="all")
    assert not selectors.case_queryset(filters=filters, user_id=None, now=NOW).exists()
