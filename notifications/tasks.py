"""Thin tasks: load by id, call the service."""

from smtplib import SMTPException

from celery import shared_task
from django.db import transaction

from . import services


@shared_task
def scan_reminders(today=None) -> dict:
    """One reminder scan; the immediate emails go out through their own tasks, after the scan is saved."""
    result = services.reminders_store(today)
    # Queued once the reminders are committed (at once, outside a transaction), so a worker finds them.
    transaction.on_commit(lambda: [send_notification_email.delay(pk) for pk in result["to_email"]])
    return services.scan_counts(result)


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=services.MAX_EMAIL_ATTEMPTS - 1,
)
def send_notification_email(notification_id: int) -> bool:
    return services.send_email(notification_id)


@shared_task
def send_digests() -> int:
    return services.send_digests()
