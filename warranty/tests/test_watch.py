"""The RMA watch (beat): a warning at the at-risk share of the delivery time and a breach notice at
the deadline, each exactly once, through escalation's notification outbox, on the case's timeline."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction

from cases.models import ActivityKind
from cases.tests.factories import engineer
from contracts.tests.clock import BOGOTA
from escalation.models import Notification
from escalation.services import notification_send
from warranty import services
from warranty.models import RmaAlert

from .factories import HardwareAssetFactory, warranty_case

pytestmark = pytest.mark.django_db

# Friday 8 January 2027 16:00, before the holiday Monday 11: Standard due Monday 18 at 14:00,
# warned (75 %) Friday 15 at 12:00.
START = datetime(2027, 1, 8, 16, 0, tzinfo=BOGOTA)
WARNING = datetime(2027, 1, 15, 12, 0, tzinfo=BOGOTA)
DUE = datetime(2027, 1, 18, 14, 0, tzinfo=BOGOTA)


@pytest.fixture
def rma():
    case, setup = warranty_case()
    asset = HardwareAssetFactory(customer=setup["customer"])
    actor = engineer(first_name="Camilo", last_name="Suárez", email="camilo@calltechsa.example")
    return services.rma_open(case=case, asset=asset, actor=actor, fault="No enciende.", now=START)


def sweep(at: datetime, capture) -> list[int]:
    with capture(execute=True):
        return services.rma_deadline_sweep(now=at)


def test_warning_then_breach_each_once(rma, django_capture_on_commit_callbacks) -> None:
    assert (rma.warning_at, rma.delivery_due_at, rma.warn_at) == (WARNING, DUE, WARNING)
    assert sweep(WARNING - timedelta(seconds=1), django_capture_on_commit_callbacks) == []
    warned = sweep(WARNING, django_capture_on_commit_callbacks)
    assert len(warned) == 1
    notification = Notification.objects.get(pk=warned[0])
    assert notification.kind == Notification.Kind.RMA_WARNING and notification.case_id == rma.case_id
    assert (
        notification.subject
        == f"{rma.code} (caso {rma.case.number}): la entrega del reemplazo está por vencer"
    )
    assert notification.recipients[0]["name"] == "Camilo Suárez"
    rma.refresh_from_db()
    assert rma.warn_at == DUE
    assert sweep(WARNING + timedelta(minutes=5), django_capture_on_commit_callbacks) == []

    breached = sweep(DUE, django_capture_on_commit_callbacks)
    assert len(breached) == 1
    breach = Notification.objects.get(pk=breached[0])
    assert breach.kind == Notification.Kind.RMA_BREACH
    # The breach also reaches the support lead (N2 of the matrix).
    assert len(breach.recipients) > 1
    rma.refresh_from_db()
    assert rma.warn_at is None
    assert sweep(DUE + timedelta(days=3), django_capture_on_commit_callbacks) == []
    assert list(rma.alerts.order_by("due_at").values_list("stage", flat=True)) == ["warning", "breach"]
    notes = rma.case.activities.filter(kind=ActivityKind.NOTIFICATION, data__rma=rma.pk)
    assert notes.count() == 2
    # Sent through the outbox (the task queued after commit ran eagerly in the tests).
    breach.refresh_from_db()
    assert breach.sent_at is not None
    assert any(m.subject == breach.subject and "camilo@calltechsa.example" in m.to for m in mail.outbox)


def test_a_late_first_sweep_sends_both_once(rma, django_capture_on_commit_callbacks) -> None:
    assert len(sweep(DUE + timedelta(hours=1), django_capture_on_commit_callbacks)) == 2
    assert sweep(DUE + timedelta(hours=2), django_capture_on_commit_callbacks) == []


def test_a_delivery_in_time_stops_the_watch(rma, django_capture_on_commit_callbacks) -> None:
    actor = engineer()
    for step in ("approved", "dispatched", "delivered"):
        rma = services.rma_advance(rma=rma, actor=actor, step=step, now=START + timedelta(hours=1))
    assert rma.warn_at is None
    assert sweep(DUE + timedelta(days=1), django_capture_on_commit_callbacks) == []
    assert not RmaAlert.objects.exists()


def test_a_rejection_stops_the_watch(rma, django_capture_on_commit_callbacks) -> None:
    services.rma_advance(rma=rma, actor=engineer(), step="rejected", exclusion="virus", now=START)
    assert sweep(DUE + timedelta(days=1), django_capture_on_commit_callbacks) == []


def test_the_database_keeps_one_alert_per_stage(rma, django_capture_on_commit_callbacks) -> None:
    sweep(WARNING, django_capture_on_commit_callbacks)
    alert = RmaAlert.objects.get()
    other = Notification.objects.create(
        case=rma.case,
        kind=Notification.Kind.RMA_WARNING,
        subject="x",
        body="x",
        due_at=WARNING,
        created_at=WARNING,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RmaAlert.objects.create(
            rma=rma, stage=alert.stage, notification=other, due_at=WARNING, created_at=WARNING
        )


def test_an_unsent_notification_is_sent_once(rma, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        ids = services.rma_deadline_sweep(now=WARNING)
    mail.outbox.clear()
    notification_send(notification_id=ids[0])
    notification_send(notification_id=ids[0])
    assert len(mail.outbox) == 1


def test_the_beat_runs_the_rma_watch_every_minute() -> None:
    entries = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "warranty.tasks.sweep_rma_deadlines"
    ]
    assert entries == [{"task": "warranty.tasks.sweep_rma_deadlines", "schedule": 60.0}]


def test_the_engineer_finds_the_warning_in_their_inbox(rma, django_capture_on_commit_callbacks) -> None:
    from escalation.models import InboxItem

    [notification_id] = sweep(WARNING, django_capture_on_commit_callbacks)
    item = InboxItem.objects.get(notification_id=notification_id)
    assert item.user.get_full_name() == "Camilo Suárez"
