"""Sổ đăng ký văn bản: the numbers an organization gave its documents in a year, on screen and in PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from organizations.access import get_organization_for_user

from .. import numbering, pdf
from ..access import can_keep_numbers, can_read_numbers
from ..models import RegisteredNumber


def _year(request) -> int:
    value = request.GET.get("nam", "")
    return int(value) if value.isdigit() and 1945 <= int(value) <= 9999 else timezone.localdate().year


def _register(request, organization_pk) -> dict:
    organization = get_organization_for_user(request.user, organization_pk)
    if not can_read_numbers(request.user, organization):
        raise Http404("Không tìm thấy tổ chức.")
    year = _year(request)
    years = sorted({*numbering.register_years(organization), timezone.localdate().year}, reverse=True)
    return {
        "organization": organization,
        "year": year,
        "years": years,
        "entries": numbering.register_of(organization, year),
        "unregistered": numbering.unregistered_versions(organization, year),
        "can_keep": can_keep_numbers(request.user, organization),
    }


@login_required
def numbers(request, organization_pk):
    return render(request, "regulations/numbers.html", _register(request, organization_pk))


@login_required
def numbers_pdf(request, organization_pk):
    context = _register(request, organization_pk)
    content = pdf.render("pdf/numbers.html", context)
    return pdf.pdf_response(content, f"so-dang-ky-van-ban-{context['organization'].pk}-{context['year']}.pdf")


@login_required
@require_POST
def number_cancel(request, pk):
    entry = RegisteredNumber.objects.select_related("organization").filter(pk=pk).first()
    if entry is None or not can_read_numbers(request.user, entry.organization):
        raise Http404("Không có số này trong sổ đăng ký.")
    try:
        numbering.number_cancel(entry=entry, user=request.user, reason=request.POST.get("reason", "")[:1000])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã hủy số {entry.number}; số này không được cấp lại.")
    return redirect(f"{reverse('regulations:numbers', args=[entry.organization_id])}?nam={entry.year}")
