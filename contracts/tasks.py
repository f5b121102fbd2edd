from celery import shared_task

from . import services


@shared_task
def ensure_public_holidays() -> int:
    """Daily: make sure this year's and next year's public holidays are loaded."""
    return services.holidays_ensure_upcoming()
