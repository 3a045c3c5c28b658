"""The oversight dashboard of a superior over the organizations below it, and its exports."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from organizations.access import can_audit, get_organization_for_user
from organizations.models import Organization
from quyche import counts

from . import exports, selectors
from .filters import OversightFilter


def _dashboard_rows(request, organization):
    today = selectors.today()
    filters = OversightFilter(request.GET or None, organization=organization, today=today)
    # A value the form refuses filters nothing: the page shows every row, and the form says why.
    rows = filters.qs if filters.is_valid() else filters.queryset
    return filters.form, rows, today


# What the dashboard's figures are computed from (quyche/counts.py: each bumped by the writes of its app).
OVERSIGHT_DEPENDS_ON = ("regulations", "amendments", "positions", "inspections")


def _key_of(params) -> str:
    """The page's filters and page number, as a short stable key."""
    return hashlib.sha256(params.urlencode().encode()).hexdigest()[:24] if params else "-"


def _without_page(params) -> str:
    """The filters of the page, for the exports (which hold every row, not one page)."""
    params = params.copy()
    params.pop("trang", None)
    return params.urlencode()


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

    def figures():
        summary = selectors.summary(rows, organization, today)
        paginator = Paginator(rows, 50)
        paginator.count = summary.total  # the summary has counted the same rows: no second count
        page = paginator.get_page(request.GET.get("trang"))
        return summary, page.number, list(page.object_list), timezone.now()

    # Computed over the whole subtree, so kept for every auditor until a regulation, an amendment, an
    # organization or a finding changes (and 10 minutes at most): the page says when it was computed.
    summary, number, page_rows, computed_at = counts.cached(
        f"oversight:{organization.pk}:{_key_of(request.GET)}", OVERSIGHT_DEPENDS_ON, figures, shared_ttl=10 * 60
    )
    paginator = Paginator(rows, 50)
    paginator.count = summary.total
    page_obj = paginator.page(number)
    page_obj.object_list = page_rows
    context = {
        "organization": organization,
        "form": form,
        "summary": summary,
        "computed_at": computed_at,
        "page_obj": page_obj,
        "rows": selectors.decorate(page_obj.object_list, today),
        "query": request.GET.copy(),
        "export_query": _without_page(request.GET),
    }
    template = "oversight/_dashboard_rows.html" if request.htmx else "oversight/dashboard.html"
    return render(request, template, context)


@login_required
def dashboard_export(request, organization_pk, fmt):
    """Every row under the page's filters: the CSV sent as it is written, the workbook once written."""
    organization = _auditable(request, organization_pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Không có định dạng tệp này.")
    _, rows, today = _dashboard_rows(request, organization)
    rows = selectors.decorated(organization, rows, today)
    filename = f"giam-sat-{organization.code.lower()}-{today:%Y%m%d}"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(rows, title="Giám sát"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
