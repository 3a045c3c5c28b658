"""Bringing in a text: pasted or uploaded, previewed with its warnings, then saved.

A long text is saved by the worker (`IMPORT_BACKGROUND_ARTICLES` articles or more, when there is
one): the person waits on a page that shows how far it has got, then lands on the version as
after any import. Without Redis everything is imported in the request.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect
from kombu.exceptions import OperationalError

from organizations.access import get_organization_for_user
from quyche.forms import add_service_error
from quyche.ids import as_id

from .. import selectors, services, tasks
from ..access import can_import_regulation
from ..forms import ImportDetailsForm, ImportForm
from ..models import ImportJob, ImportJobStatus, ProvisionKind, RegulationKind

logger = logging.getLogger(__name__)


@login_required
def regulation_import(request, organization_pk):
    organization = get_organization_for_user(request.user, organization_pk)
    regulation = None
    if request.GET.get("quy_che") or request.POST.get("regulation"):
        regulation = selectors.get_regulation_for_user(
            request.user, request.GET.get("quy_che") or request.POST["regulation"]
        )
        if regulation.organization_id != organization.pk:
            raise Http404("Không tìm thấy quy chế.")
    if not can_import_regulation(request.user, organization):
        raise PermissionDenied("Chỉ văn phòng cấp ủy mới được nhập văn bản.")
    # A new regulation may say which model it adapts; a new version keeps its regulation's.
    models = selectors.models_for(organization) if regulation is None else None
    form = ImportForm(request.POST or None, request.FILES or None, models=models, initial=_given_back(request))
    context = {"organization": organization, "regulation": regulation, "form": form, "kinds": RegulationKind}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            document = services.parse_or_refuse(text)
        except ValidationError as error:
            add_service_error(form, error)
            return render(request, "regulations/import.html", context)
        saving = request.POST.get("action") == "save"
        # The preview shows what was read, in fields the person may correct; a refused save keeps
        # what they typed, with the reason beside the field it concerns.
        details = ImportDetailsForm(request.POST if saving else None, initial=ImportDetailsForm.initial_from(document))
        if saving and details.is_valid():
            asked = {
                "text": text,
                "user": request.user,
                "organization": organization,
                "regulation": regulation,
                "kind": form.cleaned_data["kind"] or None,
                "based_on": form.cleaned_data.get("based_on"),
                "corrections": details.corrections(),
            }
            long_text = document.counts()["articles"] >= settings.IMPORT_BACKGROUND_ARTICLES
            try:
                if long_text and not settings.CELERY_TASK_ALWAYS_EAGER:
                    return _run_in_background(services.import_job_create(**asked))
                result = services.regulation_import(**asked)
            except ValidationError as error:
                add_service_error(details, error)
            else:
                messages.success(request, f"Đã lưu {result.version}.")
                return redirect("regulations:version", pk=result.version.pk)
        context.update(
            preview=document,
            details=details,
            letterhead_warning=services.letterhead_warning(document, organization),
            preview_rows=flatten(document.provisions),
            summary=services.ImportResult(version=None, document=document).summary(),
            text=text,
        )
    return render(request, "regulations/import.html", context)


def _given_back(request) -> dict:
    """What a failed background import of this person's held ("?viec=12" from its page): the form again."""
    pk = as_id(request.GET.get("viec")) if request.method == "GET" else None
    job = pk and ImportJob.objects.filter(pk=pk, user=request.user, status=ImportJobStatus.FAILED).first()
    if not job:
        return {}
    return {"text": job.text, "kind": job.kind, "based_on": job.based_on_id}


def _run_in_background(job: ImportJob):
    """Queued at once (no transaction is open), to know now if it cannot be: then it is imported here."""
    try:
        tasks.run_import_job.delay(job.pk)
    except OperationalError as error:
        logger.error("Could not queue import job %s, importing it in the request: %s", job.pk, error)
        services.import_job_run(job=job)
    return redirect("regulations:import_job", pk=job.pk)


@login_required
def import_job(request, pk):
    """How far a long text's import has got: the page polls this until it has ended, then shows the version."""
    job = get_object_or_404(ImportJob.objects.select_related("organization", "regulation", "version"), pk=as_id(pk))
    if job.user_id != request.user.pk:
        raise Http404("Không tìm thấy việc nhập văn bản.")
    job = services.import_job_expire(job=job)
    if job.status == ImportJobStatus.DONE and job.version is not None:
        messages.success(request, f"Đã lưu {job.version}.")
        url = reverse("regulations:version", args=[job.version.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    elapsed = (timezone.now() - job.started_at).seconds if job.started_at else 0
    template = "regulations/_import_job_status.html" if request.htmx else "regulations/import_job.html"
    return render(request, template, {"job": job, "elapsed": elapsed, "organization": job.organization})


def flatten(nodes, depth=0) -> list[tuple[int, object, str]]:
    """A parsed tree as (depth, node, kind word) rows in reading order, for the import preview."""
    rows = []
    for node in nodes:
        word = "Gạch" if node.kind == ProvisionKind.BULLET else ProvisionKind(node.kind).label
        rows.append((depth, node, word))
        rows.extend(flatten(node.children, depth + 1))
    return rows
