"""Tải bản PDF, tải bản Word: a version in the party's document format."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from kombu.exceptions import OperationalError

from quyche.kept import kept

from .. import pdf, selectors, services, tasks, word
from ..models import Provision, ProvisionKind
from .versions import TEXT_KEPT

logger = logging.getLogger(__name__)


@login_required
def version_pdf(request, pk):
    """A draft is printed afresh; an issued text once, then served from the file kept.

    With its lines numbered (`?so_dong=1`) an issued text is printed in the request once and kept in the cache
    until a correction (the file kept is the plain one). Without Redis (the quick start) everything is printed
    in the request; with a worker, a large text is printed in the background and the reader sees "đang tạo tệp
    PDF" until it is ready; when it cannot be queued (the broker is down) the reader is told to try again, and
    nothing is marked.
    """
    version = selectors.get_version_for_user(request.user, pk)
    numbered = request.GET.get("so_dong") == "1"
    if version.is_draft:
        return pdf.pdf_response(pdf.render_version(version, numbered=numbered), pdf.version_pdf_filename(version))
    if numbered:
        # The same for every reader until a correction, which the key names: printed once, then kept, so that
        # asking for it again does not lay the whole text out twice more in the request.
        content = kept(
            f"version-pdf-numbered:{selectors.issued_stamp(version)}",
            lambda: pdf.render_version(version, numbered=True),
            timeout=TEXT_KEPT,
        )
        return pdf.pdf_response(content, pdf.version_pdf_filename(version))
    if not version.pdf:
        articles = Provision.objects.filter(version=version, kind=ProvisionKind.ARTICLE).count()
        if settings.CELERY_TASK_ALWAYS_EAGER or articles < settings.PDF_BACKGROUND_ARTICLES:
            version = services.version_pdf_store(version=version)
        else:
            if services.version_pdf_requested(version=version):
                # Queued at once (the mark is saved: no transaction is open), to know now if it cannot be.
                try:
                    tasks.render_version_pdf.delay(version.pk, request.user.pk)
                except OperationalError as error:
                    logger.error("Could not queue the PDF of version %s: %s", version.pk, error)
                    services.version_pdf_request_dropped(version=version)
                    return render(request, "regulations/pdf_pending.html", {"version": version}, status=503)
            return render(request, "regulations/pdf_pending.html", {"version": version})
    return FileResponse(version.pdf.open("rb"), as_attachment=True, filename=pdf.version_pdf_filename(version))


@login_required
def version_pdf_status(request, pk):
    version = selectors.get_version_for_user(request.user, pk)
    return render(request, "regulations/_pdf_status.html", {"version": version})


@login_required
def version_docx(request, pk):
    """The version in Word, made afresh (in well under a second, bench/docx.py), with the PDF's access rule."""
    version = selectors.get_version_for_user(request.user, pk)
    return word.docx_response(word.render_version_docx(version), word.docx_filename(pdf.version_pdf_filename(version)))
