"""Customer escalations (PQR): raised when the scheme allows it, climbing the matrix one level at a
time, each level notified once and asked to acknowledge, the customer told at every step."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection

from cases import services as case_services
from cases.models import ActivityKind, CaseActivity, SolutionKind
from cases.tests.factories import engineer, manager, registered_case
from escalation import services
from escalation.models import CustomerEmail, EscalationContact, Notification, Pqr, PqrStep

BOGOTA = ZoneInfo("America/Bogota")


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


@pytest.fixture
def handler():
    user = manager(first_name="Laura", last_name="Gómez")
    assert user.has_perm("escalation.handle_pqr")
    return user


@pytest.fixture
def breached_case():
    # Gold P1 registered Tuesday 1 Dec 2026 09:00: due 11:00 the same day, no answer.
    return registered_case(priority="P1", now=bog(2026, 12, 1, 9, 0))


def raise_pqr(case, now, **kwargs):
    values = {
        "actor": None,
        "case": case,
        "contact": case.requester,
        "kind": Pqr.Kind.COMPLAINT,
        "description": "Nadie nos ha llamado y el sistema sigue caído.",
        "now": now,
    }
    values.update(kwargs)
    return services.pqr_raise(**values)


@pytest.mark.django_db
def test_a_pqr_within_the_attention_time_is_refused_with_the_reason(breached_case) -> None:
    with pytest.raises(services.PqrError) as refused:
        raise_pqr(breached_case, bog(2026, 12, 1, 10, 0))
    assert "within its attention time" in refused.value.messages[0] or "dentro" in refused.value.messages[0]
    assert not Pqr.objects.exists()


@pytest.mark.django_db
def test_raising_notifies_n1_records_it_and_tells_the_customer(
    breached_case, django_capture_on_commit_callbacks
) -> None:
    EscalationContact.objects.filter(level__number=1).update(email="soporte@calltechsa.example")
    with django_capture_on_commit_callbacks(execute=True):
        pqr = raise_pqr(breached_case, bog(2026, 12, 1, 11, 30))
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_email_collect(now=bog(2026, 12, 1, 11, 31))
    step = PqrStep.objects.get()
    assert pqr.level.number == 1 and step.reason == PqrStep.Reason.RAISED
    # Acknowledge within 4 business hours (office 8x5): 15:30 the same day.
    assert step.ack_due_at == bog(2026, 12, 1, 15, 30)
    notification = Notification.objects.get(kind=Notification.Kind.PQR)
    assert notification.pqr_step == step and notification.level.number == 1
    assert [r["extension"] for r in notification.recipients] == ["911"]
    activity = CaseActivity.objects.get(case=breached_case, kind=ActivityKind.PQR)
    assert activity.is_public and pqr.code in activity.body
    pqr_mail = CustomerEmail.objects.get(event=CustomerEmail.Event.PQR)
    assert pqr_mail.to_email == breached_case.requester.email
    assert "Recibimos su PQR (queja)" in pqr_mail.body_text and "nivel N1" in pqr_mail.body_text
    assert "extensión 911" in pqr_mail.body_text
    sent_to = sorted(tuple(m.to) for m in mail.outbox)
    assert ("soporte@calltechsa.example",) in sent_to


@pytest.mark.django_db
def test_only_one_open_pqr_per_case(breached_case) -> None:
    raise_pqr(breached_case, bog(2026, 12, 1, 11, 30))
    with pytest.raises(services.PqrError):
        raise_pqr(breached_case, bog(2026, 12, 1, 11, 40))
    assert Pqr.objects.count() == 1


@pytest.mark.django_db
def test_customer_not_accepting_the_answer_may_raise_a_pqr() -> None:
    follower = engineer()
    case = registered_case(priority="P3", assigned_to=follower, now=bog(2026, 12, 1, 9, 0))
    case_services.case_propose_solution(
        case=case,
        actor=follower,
        solution_kind=SolutionKind.WORKAROUND,
        solution="Reinicie",
        now=bog(2026, 12, 1, 9, 30),
    )
    pqr = raise_pqr(case, bog(2026, 12, 1, 10, 0), kind=Pqr.Kind.CLAIM)
    assert pqr.status == Pqr.Status.OPEN


@pytest.mark.django_db
def test_acknowledge_escalate_and_resolve(breached_case, handler, django_capture_on_commit_callbacks) -> None:
    pqr = raise_pqr(breached_case, bog(2026, 12, 1, 11, 30))
    with pytest.raises(services.PqrError):  # an engineer cannot acknowledge for a level
        services.pqr_acknowledge(actor=engineer(), pqr=pqr, now=bog(2026, 12, 1, 11, 45))
    services.pqr_acknowledge(actor=handler, pqr=pqr, note="La llamo ya.", now=bog(2026, 12, 1, 11, 45))
    with pytest.raises(services.PqrError):
        services.pqr_acknowledge(actor=handler, pqr=pqr, now=bog(2026, 12, 1, 11, 46))
    services.pqr_escalate(
        actor=None, pqr=pqr, reason=PqrStep.Reason.CUSTOMER, note="Sigue caído", now=bog(2026, 12, 1, 14, 0)
    )
    pqr.refresh_from_db()
    assert pqr.level.number == 2
    services.pqr_resolve(
        actor=handler, pqr=pqr, resolution="Enviamos un ingeniero en sitio.", now=bog(2026, 12, 1, 15, 0)
    )
    pqr.refresh_from_db()
    assert pqr.status == Pqr.Status.RESOLVED and pqr.resolved_by == handler
    with pytest.raises(services.PqrError):
        services.pqr_escalate(
            actor=None, pqr=pqr, reason=PqrStep.Reason.CUSTOMER, now=bog(2026, 12, 1, 16, 0)
        )
    keys = sorted(CustomerEmail.objects.values_list("key", flat=True))
    steps = list(PqrStep.objects.order_by("reached_at").values_list("pk", flat=True))
    assert keys == sorted(
        [f"pqr-step:{steps[0]}", f"pqr-ack:{steps[0]}", f"pqr-step:{steps[1]}", f"pqr-resolved:{pqr.pk}"]
    )
    resolved = CustomerEmail.objects.get(key=f"pqr-resolved:{pqr.pk}")
    assert "Enviamos un ingeniero en sitio." in resolved.body_text and "quedó resuelta" in resolved.body_text
    # Once resolved, a new PQR may be raised.
    assert raise_pqr(breached_case, bog(2026, 12, 2, 9, 0)).level.number == 1


@pytest.mark.django_db
def test_an_unacknowledged_level_lets_the_pqr_climb_once_per_overdue_step(breached_case) -> None:
    pqr = raise_pqr(breached_case, bog(2026, 12, 1, 11, 30))  # ack due 15:30
    assert services.pqr_sweep(now=bog(2026, 12, 1, 15, 29)) == []
    climbed = services.pqr_sweep(now=bog(2026, 12, 1, 15, 30))
    assert len(climbed) == 1
    assert services.pqr_sweep(now=bog(2026, 12, 1, 15, 31)) == []  # not twice
    pqr.refresh_from_db()
    assert pqr.level.number == 2
    n2 = PqrStep.objects.get(pqr=pqr, level__number=2)
    assert n2.reason == PqrStep.Reason.UNACKNOWLEDGED
    # N2 reached 15:30 Tuesday: 2 h 30 that day, 1 h 30 Wednesday → 09:30 (office opens 08:00).
    assert n2.ack_due_at == bog(2026, 12, 2, 9, 30)
    assert Notification.objects.filter(kind=Notification.Kind.PQR).count() == 2


@pytest.mark.django_db
def test_the_top_level_has_no_acknowledgement_deadline_and_cannot_be_passed(breached_case) -> None:
    pqr = raise_pqr(breached_case, bog(2026, 12, 1, 11, 30))
    for hour in range(12, 17):
        services.pqr_escalate(
            actor=None, pqr=pqr, reason=PqrStep.Reason.CUSTOMER, now=bog(2026, 12, 1, hour, 0)
        )
    pqr.refresh_from_db()
    assert pqr.level.number == 6
    assert PqrStep.objects.get(pqr=pqr, level__number=6).ack_due_at is None
    with pytest.raises(services.PqrError):
        services.pqr_escalate(
            actor=None, pqr=pqr, reason=PqrStep.Reason.CUSTOMER, now=bog(2026, 12, 1, 17, 0)
        )


@pytest.mark.django_db(transaction=True)
def test_overlapping_sweeps_climb_once(breached_case) -> None:
    raise_pqr(breached_case, bog(2026, 12, 1, 11, 30))
    barrier = threading.Barrier(2)
    results: list[list[int]] = []

    def sweep() -> None:
        barrier.wait()
        try:
            results.append(services.pqr_sweep(now=bog(2026, 12, 1, 16, 0)))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(r) for r in results) == [0, 1]
    assert PqrStep.objects.count() == 2


@pytest.mark.django_db
def test_the_handle_permission_belongs_to_managers_not_engineers() -> None:
    assert not engineer().has_perm("escalation.handle_pqr")
    assert Permission.objects.filter(codename="handle_pqr").exists()


@pytest.mark.django_db
def test_a_sweep_racing_a_manager_does_not_climb_twice(breached_case, handler) -> None:
    pqr = raise_pqr(breached_case, bog(2026, 12, 1, 11, 30))  # N1, ack due 15:30
    n1 = PqrStep.objects.get(pqr=pqr)
    # The manager hands it up at 15:31, just after the sweep read N1 as overdue…
    services.pqr_escalate(actor=handler, pqr=pqr, reason=PqrStep.Reason.STAFF, now=bog(2026, 12, 1, 15, 31))
    # …then the sweep's climb for the N1 step runs: N1 is no longer the current step.
    with pytest.raises(services.PqrError):
        services.pqr_escalate(
            actor=None,
            pqr=pqr,
            reason=PqrStep.Reason.UNACKNOWLEDGED,
            overdue_step=n1,
            now=bog(2026, 12, 1, 15, 31),
        )
    pqr.refresh_from_db()
    assert pqr.level.number == 2 and PqrStep.objects.filter(pqr=pqr).count() == 2
    assert services.pqr_sweep(now=bog(2026, 12, 1, 15, 32)) == []
