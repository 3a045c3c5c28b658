"""Thin tasks: load by id, call the service."""

from celery import shared_task
from django.urls import reverse

from notifications.models import NotificationReason
from notifications.services import notify

from . import services
from .conformance import conformance_store
from .models import ImportJob, Regulation, Version


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


@shared_task(ignore_result=True)
def store_conformance_of_adaptations(model_id: int) -> None:
    """A model's text changed: how far each regulation adapting it keeps to it, computed again and kept."""
    conformance_store(Regulation.objects.filter(based_on_id=model_id))
