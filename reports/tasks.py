"""Thin Celery tasks of the reports app."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def refresh_period_snapshots() -> int:
    """Daily just after midnight (beat): the long periods' figures for the dashboard."""
    return len(services.period_snapshots_refresh())
