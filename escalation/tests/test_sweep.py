"""The deadline watch with a frozen clock: warnings and escalations at the right business instants,
each exactly once, recorded on the case; the outbox survives a broker that is down."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection

from cases import services as case_services
from cases.models import Case
from cases.tests.factories import customer_setup, engineer, registered_case
from escalation import services
from escalation.models import EscalationContact, Notification

BOGOTA = ZoneInfo("America/Bogota")


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def shares(case: Case) -> list[int]:
    return list(
        Notification.objects.filter(case=case)
        .order_by("rule__share_percent")
        .values_list("rule__share_percent", flat=True)
    )


@pytest.fixture
def emails_for_levels():
    EscalationContact.objects.filter(level__number=2).update(email="lider.soporte@calltechsa.example")
    EscalationContact.objects.filter(level__number=3).update(email="postventa@calltechsa.example")


@pytest.mark.django_db
def test_gold_p2_friday_afternoon_before_a_holiday_monday(
    emails_for_levels, django_capture_on_commit_callbacks
) -> None:
    follower = engineer(email="camilo@calltechsa.example")
    # Friday 13 Nov 2026 16:00; Monday 16 Nov is a holiday (Independencia de Cartagena).
    case = registered_case(priority="P2", assigned_to=follower, now=bog(2026, 11, 13, 16, 0))
    assert case.attention_due_at == bog(2026, 11, 17, 12, 0)
    assert case.warn_at == bog(2026, 11, 13, 16, 0)  # the watch looks at new cases at once

    services.deadline_sweep(now=bog(2026, 11, 13, 16, 1))
    case.refresh_from_db()
    assert shares(case) == [] and case.warn_at == bog(2026, 11, 17, 10, 30)  # 75 %: 1 h 30 Fri + 3 h Tue

    assert (
        services.deadline_sweep(now=bog(2026, 11, 17, 10, 29)).cases == 0
    )  # nothing due: not even looked at
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_sweep(now=bog(2026, 11, 17, 10, 30))
    case.refresh_from_db()
    assert shares(case) == [75] and case.warn_at == bog(2026, 11, 17, 12, 0)
    assert mail.outbox[-1].to == ["camilo@calltechsa.example"]

    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_sweep(now=bog(2026, 11, 17, 12, 0))
    case.refresh_from_db()
    assert shares(case) == [75, 100] and case.warn_at == bog(2026, 11, 17, 15, 0)  # 150 %
    assert mail.outbox[-1].to == ["lider.soporte@calltechsa.example"]
    assert "vencido" in mail.outbox[-1].subject.lower() or "venci" in mail.outbox[-1].subject.lower()

    # Later sweeps fire what is due once, however often they run.
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_sweep(now=bog(2026, 11, 18, 9, 0))
        services.deadline_sweep(now=bog(2026, 11, 18, 9, 1))
    case.refresh_from_db()
    assert shares(case) == [75, 100, 150, 200] and case.warn_at is None
    assert case.activities.filter(kind="notification").count() == 4
    # N4 has neither an e-mail nor a staff account here: its notice reached nobody and is never
    # marked sent; every other one went out.
    unsent = Notification.objects.filter(case=case, sent_at__isnull=True).select_related("rule")
    assert [(n.rule.share_percent, n.reached_nobody) for n in unsent] == [(200, True)]
    assert not Notification.objects.filter(case=case, sent_at__isnull=False, reached_nobody=True).exists()


@pytest.mark.django_db
def test_an_unassigned_case_warns_the_support_area(django_capture_on_commit_callbacks) -> None:
    case = registered_case(priority="P1", now=bog(2026, 11, 24, 8, 0))
    services.deadline_sweep(now=bog(2026, 11, 24, 9, 30))
    notification = Notification.objects.get(case=case)
    assert notification.kind == "warning"
    assert notification.recipients[0]["extension"] == "911"


@pytest.mark.django_db
def test_attention_given_stops_the_watch() -> None:
    follower = engineer()
    case = registered_case(priority="P1", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    case_services.case_log_activity(
        case=case, actor=follower, kind="phone_call", body="Llamé", now=bog(2026, 11, 24, 8, 30)
    )
    case.refresh_from_db()
    assert case.warn_at is None
    assert services.deadline_sweep(now=bog(2026, 11, 24, 12, 0)).created == []


@pytest.mark.django_db
def test_a_priority_change_moves_the_next_warning() -> None:
    follower = engineer()
    case = registered_case(priority="P4", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
    services.deadline_sweep(now=bog(2026, 11, 24, 8, 1))
    case.refresh_from_db()
    far = case.warn_at
    case_services.case_change_priority(case=case, actor=follower, priority="P1", now=bog(2026, 11, 24, 9, 0))
    services.deadline_sweep(now=bog(2026, 11, 24, 9, 0, 30))
    case.refresh_from_db()
    assert case.warn_at == bog(2026, 11, 24, 9, 30) < far  # 75 % of 2 h from 08:00


@pytest.mark.django_db
def test_a_broker_that_is_down_only_delays_sending(monkeypatch, django_capture_on_commit_callbacks) -> None:
    from escalation import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.send_notification, "delay", broker_down)
    case = registered_case(
        priority="P1", assigned_to=engineer(email="x@calltechsa.example"), now=bog(2026, 11, 24, 8, 0)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_sweep(now=bog(2026, 11, 24, 9, 30))  # registering and sweeping still work
    notification = Notification.objects.get(case=case)
    assert notification.sent_at is None and not mail.outbox
    monkeypatch.undo()  # the broker is back
    with django_capture_on_commit_callbacks(execute=True):
        result = services.deadline_sweep(now=bog(2026, 11, 24, 9, 33))
    assert result.requeued == [notification.pk]
    notification.refresh_from_db()
    assert notification.sent_at is not None and len(mail.outbox) == 1
    services.notification_send(notification_id=notification.pk)  # a late duplicate task
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_worker_killed_before_sending_sends_once_on_retry(monkeypatch) -> None:
    case = registered_case(
        priority="P1", assigned_to=engineer(email="y@calltechsa.example"), now=bog(2026, 11, 24, 8, 0)
    )
    services.deadline_sweep(now=bog(2026, 11, 24, 9, 30))
    notification = Notification.objects.get(case=case)

    def killed(*args, **kwargs):
        raise OSError("worker lost mid-send")

    monkeypatch.setattr(services.watch, "send_mail", killed)
    with pytest.raises(OSError):
        services.notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert (
        notification.sent_at is None
        and notification.attempts == 1
        and "worker lost" in notification.last_error
    )
    monkeypatch.undo()
    services.notification_send(notification_id=notification.pk)
    services.notification_send(notification_id=notification.pk)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_overlapping_sweeps_notify_once() -> None:
    setup = customer_setup()
    follower = engineer(email="z@calltechsa.example")
    cases = [
        registered_case(setup=setup, priority="P1", assigned_to=follower, now=bog(2026, 11, 24, 8, 0))
        for _ in range(30)
    ]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait()
            services.deadline_sweep(now=bog(2026, 11, 24, 10, 30), batch=5)
            services.deadline_sweep(now=bog(2026, 11, 24, 10, 30))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    # 75 % and 100 % have passed for each case: two notifications each, never more.
    assert Notification.objects.count() == 60
    for case in cases:
        assert shares(case) == [75, 100]
        assert case.activities.filter(kind="notification").count() == 2


@pytest.mark.django_db
def test_an_sla_edit_moves_open_deadlines_once_and_audits_them() -> None:
    from decimal import Decimal

    from contracts.models import AttentionPolicy, Holiday, ServiceCalendar

    follower = engineer()
    open_case = registered_case(priority="P2", assigned_to=follower, now=bog(2026, 11, 24, 16, 0))
    closed_case = registered_case(priority="P2", now=bog(2026, 11, 24, 16, 0))
    case_services.case_close(case=closed_case, actor=None, reason="inactivity", now=bog(2026, 11, 24, 16, 5))
    services.deadline_sweep(now=bog(2026, 11, 24, 16, 1))  # the current tables are the baseline
    assert open_case.attention_due_at == bog(2026, 11, 25, 12, 0)

    office = ServiceCalendar.objects.get(code="oficina-8x5")
    Holiday.objects.create(calendar=office, date=datetime(2026, 11, 25).date(), name="Día cívico")
    result = services.deadline_sweep(now=bog(2026, 11, 24, 16, 30))
    assert result.recomputed == 1
    open_case.refresh_from_db()
    closed_case.refresh_from_db()
    assert open_case.attention_due_at == bog(2026, 11, 26, 12, 0)
    assert closed_case.attention_due_at == bog(2026, 11, 25, 12, 0)  # closed cases keep theirs
    assert open_case.activities.filter(kind="deadline_recomputed").count() == 1
    assert services.deadline_sweep(now=bog(2026, 11, 24, 16, 31)).recomputed == 0  # applied once

    policy = AttentionPolicy.objects.get(plan__code="GOLD_8X5", priority="P2")
    policy.hours = Decimal("2")
    policy.save()
    services.deadline_sweep(now=bog(2026, 11, 24, 16, 40))
    open_case.refresh_from_db()
    assert open_case.attention_due_at == bog(2026, 11, 26, 8, 0)  # 16:00 +1 h 30 Tue, then 30 min Thu


@pytest.mark.django_db
def test_a_customer_message_tells_the_assigned_engineer_once(django_capture_on_commit_callbacks) -> None:
    from cases.models import ActivityKind

    follower = engineer(email="camilo@calltechsa.example")
    case = registered_case(priority="P3", assigned_to=follower)
    message = case_services.case_add_customer_message(
        case=case, requester=case.requester, body="Ya envié los logs que pidieron."
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify_customer_message(activity=message)
    assert services.notify_customer_message(activity=message) is None  # once per message
    assert first.kind == Notification.Kind.CUSTOMER_MESSAGE and first.recipients[0]["email"] == follower.email
    assert "Ya envié los logs que pidieron." in first.body
    assert (
        case.activities.filter(kind=ActivityKind.NOTIFICATION, data__customer_message=message.pk).count() == 1
    )
    assert [m.to for m in mail.outbox] == [["camilo@calltechsa.example"]]


@pytest.mark.django_db
def test_the_sweep_makes_as_many_queries_for_50_due_cases_as_for_5() -> None:
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    setup = customer_setup()
    follower = engineer(email="w@calltechsa.example")
    cases = [
        registered_case(
            setup=setup, priority="P1", assigned_to=follower if i % 2 else None, now=bog(2026, 11, 24, 8, 0)
        )
        for i in range(50)
    ]
    services.deadline_sweep(now=bog(2026, 11, 24, 8, 1))  # the SLA revision is recorded; nothing due

    def sweep(due: int) -> tuple[int, int]:
        with transaction.atomic():
            sid = transaction.savepoint()
            Case.objects.filter(pk__in=[c.pk for c in cases[due:]]).update(warn_at=None)
            Case.objects.filter(pk__in=[c.pk for c in cases[:due]]).update(warn_at=bog(2026, 11, 24, 9, 30))
            with CaptureQueriesContext(connection) as queries:
                result = services.deadline_sweep(now=bog(2026, 11, 24, 10, 30))
            transaction.savepoint_rollback(sid)
        return len(queries), len(result.created)

    few, many = sweep(5), sweep(50)
    assert few[1] == 10 and many[1] == 100  # 75 % and 100 % for each due case
    assert few[0] == many[0] <= 20  # claim, fired, one INSERT each, one UPDATE, savepoints
