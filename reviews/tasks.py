"""Thin tasks: load by id, call the service."""

from smtplib import SMTPException

from celery import shared_task

from regulations import services as regulation_services
from regulations.models import Version

from . import notifications


@shared_task
def scan_reminders() -> dict:
    return notifications.scan()


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=notifications.MAX_EMAIL_ATTEMPTS - 1,
)
def send_notification_email(notification_id: int) -> bool:
    return notifications.send_email(notification_id)


@shared_task
def send_digests() -> int:
    return notifications.send_digests()


@shared_task
def render_version_pdf(version_id: int, user_id: int) -> None:
    """A large text is printed in the background; the person who asked is told when it is ready."""
    version = regulation_services.version_pdf_store(version=Version.objects.get(pk=version_id))
    notifications.pdf_ready(version=version, user_id=user_id)
