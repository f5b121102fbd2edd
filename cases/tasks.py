"""Thin Celery tasks of the cases app: call a service."""

from __future__ import annotations

from celery import shared_task

from .idempotency import form_submissions_prune


@shared_task(ignore_result=True)
def prune_form_submissions() -> int:
    """Daily (beat): forget the one-time form tokens used more than a week ago."""
    return form_submissions_prune()
