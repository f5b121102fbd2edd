"""Thin Celery tasks: take ids, call a service, retry in the task."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def sweep_attention_deadlines() -> int:
    """Every minute (beat): fire due warnings and escalations."""
    return services.deadline_sweep().cases


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=10,
    ignore_result=True,
)
def send_notification(self, notification_id: int) -> None:
    services.notification_send(notification_id=notification_id)
