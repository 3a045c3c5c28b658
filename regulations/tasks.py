"""Thin tasks: load by id, call the service."""

from celery import shared_task
from django.urls import reverse

from notifications.models import NotificationReason
from notifications.services import notify

from . import services
from .models import ImportJob, Version


@shared_task(ignore_result=True)  # the reader learns from the stored file and a notification
def render_version_pdf(version_id: int, user_id: int) -> None:
    """A large text is printed in the background; the person who asked is told when it is ready."""
    version = services.version_pdf_store(version=Version.objects.get(pk=version_id))
    notify(
        recipient_id=user_id,
        reason=NotificationReason.PDF_READY,
        subject=f"version:{version.pk}",
        title=f"Tệp PDF {version} đã sẵn sàng",
        body=version.regulation.title,
        url=reverse("regulations:version_pdf", args=[version.pk]),
    )


@shared_task(ignore_result=True)  # the page polls the job's status
def run_import_job(job_id: int) -> None:
    """A long text is imported in the background while its page shows how far it has got."""
    services.import_job_run(job=ImportJob.objects.get(pk=job_id))
