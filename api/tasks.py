"""Thin Celery tasks of the API: call a service."""

from __future__ import annotations

from celery import shared_task

from .idempotency import api_writes_prune


@shared_task(ignore_result=True)
def prune_api_writes() -> int:
    """Daily (beat): forget the idempotency keys used more than a week ago."""
    return api_writes_prune()
