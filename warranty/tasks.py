"""Thin Celery tasks of the warranty app."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def sweep_rma_deadlines() -> int:
    """Every minute (beat): warn before an RMA's replacement is due, and on its breach."""
    return len(services.rma_deadline_sweep())
