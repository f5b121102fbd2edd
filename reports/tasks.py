"""Thin Celery tasks of the reports app."""

from __future__ import annotations

from celery import shared_task

from escalation.tasks import SENDING

from . import services


@shared_task(ignore_result=True)
def refresh_period_snapshots() -> int:
    """Daily just after midnight (beat): the long periods' figures for the dashboard."""
    return len(services.period_snapshots_refresh())


@shared_task(**SENDING)
def send_breach_report(self, mail_id: int) -> None:
    services.breach_report_mail_send(mail_id=mail_id)


@shared_task(ignore_result=True)
def retry_breach_reports() -> int:
    """Every few minutes (beat): breach reports still unsent are queued again."""
    return len(services.breach_report_mails_retry())


@shared_task(ignore_result=True)
def generate_monthly_reports() -> int:
    """Daily in the morning (beat): from the month's first business day, last month's customer
    SLA reports still missing (idempotent: one per customer and month)."""
    return sum(made for _customer, made in services.monthly_reports_due())
