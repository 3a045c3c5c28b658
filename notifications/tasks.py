"""Thin tasks: load by id, call the service."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from . import services

logger = logging.getLogger(__name__)


@shared_task
def scan_reminders(today=None) -> dict:
    """One reminder scan; the immediate emails go out through their own tasks, after the scan is saved."""
    result = services.reminders_store(today)
    queueing = {"not_queued": 0}

    def queue():
        queueing["not_queued"] = queue_emails(result["to_email"])

    # Queued once the reminders are committed, so a worker finds them: at once outside a transaction (a
    # worker's, the command's), so the count of those that could not be queued is known for the report.
    transaction.on_commit(queue)
    return services.scan_counts(result, not_queued=queueing["not_queued"])


# Emails per task: one connection to the mail server, a few queries, one message on the queue for all of them.
EMAIL_BATCH = 100


def queue_emails(notification_ids) -> int:
    """Queue the emails, a task per batch; return how many could not be queued.

    With the broker down the first failure stops the rest (each would wait for it again): they all stay
    pending, and the next scan queues them (services.QUEUE_LOST_AFTER).
    """
    for done in range(0, len(notification_ids), EMAIL_BATCH):
        try:
            send_notification_emails.delay(notification_ids[done : done + EMAIL_BATCH])
        except OperationalError as error:
            left = len(notification_ids) - done
            logger.error("Could not queue %s of %s emails (%s); the next scan queues them.", left, done + left, error)
            return left
    return 0


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=services.MAX_EMAIL_ATTEMPTS - 1,
    ignore_result=True,  # nobody waits for it; and so queueing it does not touch the result store
)
def send_notification_emails(notification_ids: list[int]) -> int:
    return services.send_emails(notification_ids)


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=services.MAX_EMAIL_ATTEMPTS - 1,
    ignore_result=True,
)
def send_notification_email(notification_id: int) -> int:
    """One email, as scans queued them before they queued batches: for the tasks still in a queue at an upgrade."""
    return services.send_emails([notification_id])


@shared_task
def send_digests() -> int:
    return services.send_digests()
