"""Thin Celery tasks of the warranty app: take ids, call a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True, acks_late=True)
def run_certificate_batch(batch_id: int) -> int:
    """A bulk issue started from the admin; its progress is counted on the batch row."""
    return services.certificate_batch_run(batch_id=batch_id).done


@shared_task(ignore_result=True)
def sweep_rma_deadlines() -> int:
    """Every minute (beat): warn before an RMA's replacement is due, and on its breach."""
    return len(services.rma_deadline_sweep())
