"""The amendment's papers as PDF: the draft, the comparison table and the synthesis of opinions."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from regulations.pdf import pdf_response, render_version, version_pdf_filename

from .. import pdf, selectors


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
