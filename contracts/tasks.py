from smtplib import SMTPException

from celery import Task, shared_task

from . import services


@shared_task
def ensure_public_holidays() -> int:
    """Daily: make sure this year's and next year's public holidays are loaded."""
    return services.holidays_ensure_upcoming()


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=10,
    ignore_result=True,
)
def send_portal_invitation(self: Task, change_id: int) -> None:
    """After an invitation is committed: its e-mail, once (the service skips what went out)."""
    services.portal_invitation_send(change_id=change_id)
