"""Thin Celery tasks: take ids, call a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True, acks_late=True)
def run_certificate_batch(batch_id: int) -> int:
    """A bulk issue started from the admin; its progress is counted on the batch row."""
    return services.certificate_batch_run(batch_id=batch_id).done
