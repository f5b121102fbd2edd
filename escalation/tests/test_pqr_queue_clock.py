"""The PQR queue shows each PQR's case priority, where it stands and the time left to acknowledge."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.tests.factories import manager, registered_case
from escalation import selectors, services
from escalation.models import PqrStep

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("America/Bogota"))


def _pqr(boss, subject: str):
    case = registered_case(priority="P1", subject=subject, now=NOW - timedelta(days=7))
    return services.pqr_raise(
        actor=boss, case=case, contact=case.requester, kind="complaint", description="Sin respuesta.", now=NOW
    )


def test_queue_rows_carry_the_current_steps_deadline_and_the_clock_reads_it() -> None:
    boss = manager()
    waiting, late, done = (_pqr(boss, s) for s in ("espera", "tarde", "atendida"))
    step = PqrStep.objects.get(pqr=late, level=late.level)
    PqrStep.objects.filter(pk=step.pk).update(ack_due_at=NOW - timedelta(minutes=30))
    PqrStep.objects.filter(pqr=done, level=done.level).update(acknowledged_at=NOW)
    rows = {p.pk: p for p in selectors.pqr_queue(status="open")}
    assert rows[waiting.pk].step_ack_due_at == PqrStep.objects.get(pqr=waiting).ack_due_at
    clock = selectors.pqr_clock(rows[waiting.pk], now=NOW)
    assert clock.state == "pending" and clock.remaining > timedelta(0)
    clock = selectors.pqr_clock(rows[late.pk], now=NOW)
    assert clock.state == "breached" and clock.remaining == timedelta(minutes=-30)
    assert selectors.pqr_clock(rows[done.pk], now=NOW).state == "met"


def test_queue_page_shows_priority_status_and_countdown(client) -> None:
    boss = manager()
    late = _pqr(boss, "tarde")
    PqrStep.objects.filter(pqr=late).update(ack_due_at=NOW - timedelta(hours=2))
    client.force_login(boss)
    body = client.get(reverse("escalation:pqr_queue")).content.decode()
    assert 'class="badge sma-priority sma-priority-P1"' in body
    assert f"N{late.level.number} · {late.level.name}" in body
    assert "acuse de recibo vencido hace" in body and 'class="sma-row-breached"' in body
