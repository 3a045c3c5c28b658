"""The oversight dashboard of a superior over the organizations below it, and its exports."""

import csv
import io

import openpyxl
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from organizations.access import can_audit, get_organization_for_user
from organizations.models import Organization

from . import selectors
from .filters import OversightFilter


def _dashboard_rows(request, organization):
    today = selectors.today()
    filters = OversightFilter(request.GET or None, organization=organization, today=today)
    # A value the form refuses filters nothing: the page shows every row, and the form says why.
    rows = filters.qs if filters.is_valid() else filters.queryset
    return filters.form, rows, today


def _auditable(request, organization_pk) -> Organization:
    organization = get_organization_for_user(request.user, organization_pk)
    if not can_audit(request.user, organization):
        raise Http404("Không tìm thấy trang.")
    return organization


@login_required
@vary_on_headers("HX-Request")  # the same URL answers htmx with a fragment: caches must tell them apart
def dashboard(request, organization_pk):
    organization = _auditable(request, organization_pk)
    form, rows, today = _dashboard_rows(request, organization)
    paginator = Paginator(rows, 50)
    page_obj = paginator.get_page(request.GET.get("trang"))
    context = {
        "organization": organization,
        "form": form,
        "summary": selectors.summary(rows, today),
        "page_obj": page_obj,
        "rows": selectors.decorate(page_obj.object_list, today),
        "query": request.GET.copy(),
    }
    template = "oversight/_dashboard_rows.html" if request.htmx else "oversight/dashboard.html"
    return render(request, template, context)


EXPORT_COLUMNS = [
    ("Tổ chức", lambda r: r.name),
    ("Loại", lambda r: r.get_kind_display()),
    ("Trực thuộc", lambda r: r.parent.name if r.parent else ""),
    ("Quy chế làm việc hiện hành", lambda r: "Có" if r.current_rules else "Chưa có"),
    ("Số, ký hiệu", lambda r: r.rules_number or ""),
    ("Ngày ban hành", lambda r: r.rules_issued.strftime("%d/%m/%Y") if r.rules_issued else ""),
    (
        "Quy chế làm việc của UBKT",
        lambda r: ("Có" if r.inspection_rules else "Chưa có") if r.has_inspection_body else "",
    ),
    ("Sửa đổi gần nhất", lambda r: r.last_amended.strftime("%d/%m/%Y") if r.last_amended else ""),
    ("Hạn rà soát", lambda r: r.next_review_on.strftime("%d/%m/%Y") if r.next_review_on else ""),
    ("Số ngày quá hạn", lambda r: r.days_overdue or ""),
    ("Đang sửa đổi ở bước", lambda r: r.open_stage or ""),
    ("Ý kiến chưa trả lời", lambda r: r.answers_waiting),
    ("Mức phù hợp quy chế mẫu (%)", lambda r: "" if r.conformance is None else r.conformance),
    ("Kết luận kiểm tra chưa khắc phục", lambda r: r.findings_open),
    ("Cần rà soát do căn cứ thay đổi", lambda r: "Có" if r.review_basis else ""),
]


@login_required
def dashboard_export(request, organization_pk, fmt):
    organization = _auditable(request, organization_pk)
    _, rows, today = _dashboard_rows(request, organization)
    rows = selectors.decorate(rows, today)
    header = [title for title, _ in EXPORT_COLUMNS]
    values = [[value(row) for _, value in EXPORT_COLUMNS] for row in rows]
    filename = f"giam-sat-{organization.code.lower()}-{today:%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        response.write("\ufeff")  # so that Excel reads the Vietnamese letters as UTF-8
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(values)
        return response
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Giám sát"
    sheet.append(header)
    for line in values:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
