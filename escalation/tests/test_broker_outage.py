"""With the broker (Redis) really stopped, registering a case still succeeds; the customer's e-mail
and the escalation notifications wait in the outbox tables and go out once Redis is back, once.

How: nothing in a web request talks to the broker. The registration only writes rows (the case,
its activity flagged for the customer); the beat jobs write the outbox rows (CustomerEmail,
Notification) and queue their sending after commit; a queueing that fails is logged and the rows
stay unsent, and the next beat run queues every row still unsent after two minutes again.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu import pools

from cases.models import Case
from cases.tests.factories import customer_setup, engineer
from escalation import services
from escalation.models import CustomerEmail, EscalationContact, Notification
from sma.celery import app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _real_clock_env() -> dict[str, str]:
    """The broker keeps the machine's real clock, like PostgreSQL: when the suite runs under
    libfaketime (CI moves the clock ahead), redis-server must not inherit it (it hangs there)."""
    return {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")}


class PrivateRedis:
    """A redis-server of this test's own, so stopping it disturbs nobody else."""

    def __init__(self, directory) -> None:
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_real_clock_env(),
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _reset_pools() -> None:
    """Forget the broker connections made so far (the broker URL changed, or Redis restarted)."""
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def broker(tmp_path):
    redis = PrivateRedis(tmp_path)
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=f"redis://127.0.0.1:{redis.port}/0", task_always_eager=False)
    _reset_pools()
    yield redis
    redis.stop()
    app.conf.update(saved)
    _reset_pools()


def _wait_until(predicate, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_registering_succeeds_and_mail_goes_out_once_it_is_back(broker, client) -> None:
    EscalationContact.objects.filter(level__number=2).update(email="lider.soporte@calltechsa.example")
    setup = customer_setup()
    client.force_login(engineer())

    # Redis is down (never started): the engineer registers a P1 case by phone.
    response = client.post(
        reverse("cases:register"),
        {
            "customer": setup["customer"].pk,
            "requester": setup["requester"].pk,
            "installation": setup["installation"].pk,
            "channel": "phone",
            "kind": "incident",
            "scope": "product",
            "priority": "P1",
            "tier": "1",
            "subject": "Sistema caído",
            "description": "No entran llamadas. Error SIP 503.",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.number])

    # The beat jobs run while Redis is still down: rows are written, queueing fails quietly.
    now = timezone.now()
    services.customer_email_collect(now=now)
    services.deadline_sweep(now=case.attention_due_at + timedelta(minutes=1))
    assert CustomerEmail.objects.filter(sent_at__isnull=True).count() == 1
    assert Notification.objects.filter(sent_at__isnull=True).count() >= 2  # 75 % warning and the breach
    assert mail.outbox == []

    # Redis is back, a worker runs; the next beat runs queue what is still unsent.
    broker.start()
    _reset_pools()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        later = case.attention_due_at + timedelta(minutes=5)
        services.customer_email_collect(now=later)
        services.deadline_sweep(now=later)
        assert _wait_until(
            lambda: (
                not CustomerEmail.objects.filter(sent_at__isnull=True).exists()
                and not Notification.objects.filter(sent_at__isnull=True).exists()
            )
        )
        # Another beat run after everything went out queues nothing more.
        services.customer_email_collect(now=later + timedelta(minutes=5))
        services.deadline_sweep(now=later + timedelta(minutes=5))
        time.sleep(1)

    notifications = Notification.objects.count()
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(mail.outbox) == 1 + notifications
    assert len(set(subjects)) == len(subjects)  # each one once
    assert any(s.startswith(f"[{case.number}] Registramos su solicitud") for s in subjects)
