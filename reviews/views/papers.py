"""The amendment's papers as PDF: the comparison table and the synthesis of opinions."""

from django.contrib.auth.decorators import login_required

from regulations.pdf import pdf_response

from .. import pdf, selectors


@login_required
def comparison_pdf(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    return pdf_response(
        pdf.render_comparison(amendment, changed_only=request.GET.get("tat_ca") != "1"),
        pdf.comparison_pdf_filename(amendment),
    )


@login_required
def synthesis_pdf(request, pk):
    amendment = selectors.get_amendment_for_user(request.user, pk)
    return pdf_response(pdf.render_synthesis(amendment), pdf.synthesis_pdf_filename(amendment))
