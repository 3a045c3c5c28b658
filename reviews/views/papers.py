"""The amendment's papers: the draft, the comparison table and the synthesis of opinions as PDF, and the papers
filed with it (tờ trình, báo cáo tổng hợp, biên bản, quyết định): written, issued with a number, downloaded."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect

from quyche.forms import add_service_error
from regulations.pdf import pdf_response, render_version, version_pdf_filename
from regulations.word import DOCX_CONTENT_TYPE

from .. import access, papers, pdf, selectors, services
from ..forms import PaperForm
from ..models import Paper, PaperKind
from .base import page


@login_required
def draft_pdf(request, pk):
    """The draft as it stands, printed afresh, its lines numbered as the page numbers them: the consultation copy,
    which opinions cite by line ("dòng 12–15"). Once issued, the text's kept PDF is the one to read.

    Those consulted from the organizations below read the draft here without any right on the
    regulation itself.
    """
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if not amendment.draft.is_draft:
        return redirect("regulations:version_pdf", pk=amendment.draft_id)
    return pdf_response(render_version(amendment.draft, numbered=True), version_pdf_filename(amendment.draft))


@login_required
def comparison_pdf(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    return pdf_response(
        pdf.render_comparison(
            amendment, changed_only=request.GET.get("tat_ca") != "1", numbered=request.GET.get("so_dong") == "1"
        ),
        pdf.comparison_pdf_filename(amendment),
    )


@login_required
def synthesis_pdf(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    return pdf_response(pdf.render_synthesis(amendment), pdf.synthesis_pdf_filename(amendment))


# The papers filed with the amendment ---------------------------------------------------------------------


@login_required
def paper_list(request, pk):
    """Văn bản kèm hồ sơ: each paper, where it stands, and what the reader may do with it."""
    amendment = selectors.get_amendment_for_user(request.user, pk)
    preparing = access.can_prepare_papers(request.user, amendment)
    saved = {paper.kind: paper for paper in amendment.papers.select_related("number")}
    rows = []
    for kind in PaperKind:
        paper = saved.get(kind.value)
        if not access.can_read_paper(request.user, amendment, paper):
            continue
        rows.append({"kind": kind, "paper": paper, "unavailable": papers.unavailable(amendment, kind.value)})
    return page(request, "reviews/papers.html", amendment, "papers", rows=rows, can_prepare=preparing)


def _paper_of(request, pk, kind):
    if kind not in PaperKind.values:
        raise Http404("Không có loại văn bản này.")
    amendment = selectors.get_amendment_for_user(request.user, pk)
    paper = Paper.objects.select_related("number").filter(amendment=amendment, kind=kind).first()
    if not access.can_read_paper(request.user, amendment, paper):
        raise Http404("Không tìm thấy văn bản.")
    return amendment, paper


@login_required
def paper_edit(request, pk, kind):
    """The paper's wording, prefilled from the data (or as last saved); saved as a draft, or issued."""
    amendment, paper = _paper_of(request, pk, kind)
    if not access.can_prepare_papers(request.user, amendment):
        raise PermissionDenied("Chỉ tổ công tác và văn phòng soạn văn bản kèm hồ sơ.")
    reason = papers.unavailable(amendment, kind)
    if paper is not None and paper.is_final:
        return redirect("reviews:papers", pk=amendment.pk)
    initial = {"revision": 0}
    if paper is not None:
        initial = {**{name: getattr(paper, name) for name in papers.EDITABLE}, "revision": paper.revision}
    elif not reason:
        initial = {**papers.generated(amendment, kind), "revision": 0}
    form = PaperForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        revision = data.pop("revision")
        try:
            # Saved and issued together, or neither: a refusal leaves the form's revision current.
            with transaction.atomic():
                saved = services.paper_save(
                    amendment=amendment, kind=kind, user=request.user, expected_revision=revision, **data
                )
                if "finalize" in request.POST:
                    saved = services.paper_finalize(
                        amendment=amendment, kind=kind, user=request.user, expected_revision=saved.revision
                    )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if saved.is_final:
                messages.success(request, f"Đã ban hành {saved.get_kind_display().lower()} số {saved.number}.")
                return redirect("reviews:papers", pk=amendment.pk)
            messages.success(request, "Đã lưu bản đang soạn.")
            return redirect("reviews:paper", pk=amendment.pk, kind=kind)
    return page(
        request, "reviews/paper_edit.html", amendment, "papers", form=form, kind=PaperKind(kind), paper=paper,
        unavailable=reason, can_issue_paper=access.can_issue_paper(request.user, amendment),
    )  # fmt: skip


@login_required
def paper_file(request, pk, kind, extension):
    """An issued paper's kept file; a draft printed afresh, marked as such, for those who write it."""
    amendment, paper = _paper_of(request, pk, kind)
    try:
        body = papers.content(amendment, kind, extension, paper)
    except ValueError as error:
        raise Http404(str(error)) from error
    number = paper.number.number if paper is not None and paper.is_final else ""
    return FileResponse(
        io.BytesIO(body), as_attachment=True, filename=papers.filename(amendment, kind, number, extension),
        content_type="application/pdf" if extension == "pdf" else DOCX_CONTENT_TYPE,
    )  # fmt: skip
