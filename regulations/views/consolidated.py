"""Văn bản hợp nhất: a regulation's text in force on a day with where each change came from, on screen and as PDF."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from quyche.kept import kept

from .. import consolidation, pdf, selectors, word
from ..forms import InForceForm
from .versions import TEXT_KEPT

BAD_DAY = "Ngày không hợp lệ. Hãy chọn ngày theo dạng ngày/tháng/năm."


def _day(request) -> datetime.date | None:
    """`?ngay=` (a day of the date picker), today without it; None if it is no day."""
    if not request.GET.get("ngay"):
        return timezone.localdate()
    form = InForceForm({"day": request.GET["ngay"]})
    return form.cleaned_data["day"] if form.is_valid() else None


def _asked(request, pk):
    """The regulation (the reader's, or 404) and the day asked for; None for a day that is no day, said in a message."""
    regulation = selectors.get_regulation_for_user(request.user, pk)
    day = _day(request)
    if day is None:
        messages.error(request, BAD_DAY)
    return regulation, day


@login_required
def regulation_consolidated(request, pk):
    regulation, day = _asked(request, pk)
    if day is None:
        return redirect("regulations:consolidated", pk=regulation.pk)
    chain = consolidation.chain_on(regulation, day)
    html = None
    if chain is not None:

        def draw() -> str:
            text = consolidation.consolidated(chain)
            return render_to_string("regulations/_consolidated_text.html", {"text": text, "version": chain[-1]})

        # Safe: drawn by the template engine, which escaped it. Issued texts change only by a correction,
        # which the key names (`consolidation.kept_key`), so the drawing is kept for every reader.
        html = mark_safe(kept(consolidation.kept_key(chain), draw, timeout=TEXT_KEPT))  # noqa: S308
    return render(
        request,
        "regulations/consolidated.html",
        {"regulation": regulation, "day": day, "chain": chain, "version": chain[-1] if chain else None, "text": html},
    )


@login_required
def regulation_consolidated_pdf(request, pk):
    """Printed afresh each time: it is a reading of several issued texts, not a document anyone files."""
    return _consolidated_file(request, pk, "pdf")


@login_required
def regulation_consolidated_docx(request, pk):
    """In Word, written afresh each time, as the PDF is printed."""
    return _consolidated_file(request, pk, "docx")


def _consolidated_file(request, pk, format: str):
    regulation, day = _asked(request, pk)
    if day is None:
        return redirect("regulations:consolidated", pk=regulation.pk)
    chain = consolidation.chain_on(regulation, day)
    if chain is None:
        messages.warning(request, f"Không có văn bản nào của quy chế này có hiệu lực vào ngày {day:%d/%m/%Y}.")
        return redirect(f"{reverse('regulations:consolidated', args=[regulation.pk])}?ngay={day:%Y-%m-%d}")
    text = consolidation.consolidated(chain)
    filename = pdf.consolidated_pdf_filename(text, day=day)
    if format == "docx":
        return word.docx_response(word.render_consolidated_docx(text, day=day), word.docx_filename(filename))
    return pdf.pdf_response(pdf.render_consolidated(text, day=day), filename)
