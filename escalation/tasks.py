"""Thin Celery tasks: take ids, call a service, retry in the task."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from . import services

# Sending mail: acknowledged after the work (a worker killed mid-send leaves the message queued),
# retried with backoff on SMTP and network errors. The services skip what already went out.
SENDING = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "max_retries": 10,
    "ignore_result": True,
}


@shared_task(ignore_result=True)
def sweep_attention_deadlines() -> int:
    """Every minute (beat): fire due warnings and escalations."""
    return services.deadline_sweep().cases


@shared_task(ignore_result=True)
def climb_unacknowledged_pqrs() -> int:
    """Every minute (beat): a PQR its level did not acknowledge in time climbs one level."""
    return len(services.pqr_sweep())


@shared_task(**SENDING)
def send_notification(self, notification_id: int) -> None:
    services.notification_send(notification_id=notification_id)


@shared_task(ignore_result=True)
def collect_customer_email() -> int:
    """Every few seconds (beat): write the e-mails customers are owed and queue their sending."""
    return len(services.customer_email_collect())


@shared_task(**SENDING)
def send_customer_email(self, email_id: int) -> None:
    services.customer_email_send(email_id=email_id)


@shared_task(ignore_result=True)
def collect_survey_invitations() -> int:
    """Every 30 seconds (beat): queue the satisfaction-survey e-mails owed by closures."""
    from .services.survey_mail import survey_invitations_collect

    return len(survey_invitations_collect())


@shared_task(**SENDING)
def send_survey_invitation(self, survey_id: int) -> None:
    from .services.survey_mail import survey_invitation_send

    survey_invitation_send(survey_id=survey_id)


@shared_task(ignore_result=True)
def collect_news_deliveries() -> int:
    """Every minute (beat): queue again the product-news e-mails that failed or were never queued."""
    from .services.news import news_deliveries_collect

    return len(news_deliveries_collect())


@shared_task(**SENDING)
def send_news_delivery(self, delivery_id: int) -> None:
    from .services.news import news_delivery_send

    news_delivery_send(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def fetch_support_mailbox() -> int:
    """Every SMA_IMAP_INTERVAL seconds (beat): read the support mailbox over IMAP (off while
    SMA_IMAP_HOST is empty), then process any message stored but left unprocessed (a pipe or a
    worker that died right after storing). Returns the messages stored from the mailbox."""
    from .mailbox import mailbox_fetch
    from .services.inbound import inbound_process_pending

    stored = mailbox_fetch().stored
    inbound_process_pending()
    return stored
