"""The oversight dashboard of a superior over the organizations below it, and its exports."""

import hashlib
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from organizations.access import can_audit, get_organization_for_user
from organizations.models import Organization
from quyche import counts

from . import exports, selectors
from .filters import OversightFilter

# What the dashboard's figures are computed from (quyche/counts.py: each bumped by the writes of its app).
OVERSIGHT_DEPENDS_ON = ("regulations", "amendments", "positions", "inspections")
# Computed over the whole subtree, so kept for every auditor until one of those changes, 10 minutes at most.
KEPT_FOR = 10 * 60
ROWS_PER_PAGE = 50


class DashboardFilters:
    """The filters of a request as the FilterSet reads them, and the rows they choose."""

    def __init__(self, request, organization: Organization):
        self.today = selectors.today()
        self._filters = filters = OversightFilter(request.GET or None, organization=organization, today=self.today)
        self.form = filters.form
        # A value the form refuses filters nothing: the page shows every row, and the form says why.
        self.valid = filters.is_valid()
        chosen = filters.form.cleaned_data if self.valid else {}
        self.branch = chosen.get("within")
        self.query = urlencode(
            sorted((name, getattr(value, "pk", value)) for name, value in chosen.items() if value not in (None, ""))
        )

    @property
    def rows(self):
        """Built when read: a page or a file kept in the cache needs the filters' form only."""
        return self._filters.qs if self.valid else self._filters.queryset

    def key(self, *more) -> str:
        """What the rows depend on in the request (the filters as read, not as written), as a short stable key."""
        return hashlib.sha256("&".join([self.query, *map(str, more)]).encode()).hexdigest()[:24]


def _auditable(request, organization_pk) -> Organization:
    organization = get_organization_for_user(request.user, organization_pk)
    if not can_audit(request.user, organization):
        raise Http404("Không tìm thấy trang.")
    return organization


@login_required
@vary_on_headers("HX-Request")  # the same URL answers htmx with a fragment: caches must tell them apart
def dashboard(request, organization_pk):
    organization = _auditable(request, organization_pk)
    filters = DashboardFilters(request, organization)
    today = filters.today

    def figures():
        rows = filters.rows
        summary = selectors.summary(rows, organization, today)
        paginator = Paginator(rows, ROWS_PER_PAGE)
        paginator.count = summary.total  # the summary has counted the same rows: no second count
        page = paginator.get_page(request.GET.get("trang"))
        page_rows = selectors.decorate(page.object_list, today)
        # The rows drawn once, for every reader of them (nothing in them depends on who reads).
        table = render_to_string("oversight/_dashboard_table.html", {"rows": page_rows, "organization": organization})
        return summary, page.number, table, timezone.now()

    # The page says when its figures were computed.
    summary, number, table, computed_at = counts.cached(
        f"oversight:{organization.pk}:{filters.key(request.GET.get('trang', ''))}",
        OVERSIGHT_DEPENDS_ON,
        figures,
        shared_ttl=KEPT_FOR,
    )
    page_obj = Paginator(range(summary.total), ROWS_PER_PAGE).page(number)  # the links to the other pages
    context = {
        "organization": organization,
        "form": filters.form,
        "branch": filters.branch,
        "summary": summary,
        "computed_at": computed_at,
        "page_obj": page_obj,
        "table": table,
        "query": request.GET.copy(),
        "export_query": filters.query,
    }
    template = "oversight/_dashboard_rows.html" if request.htmx else "oversight/dashboard.html"
    return render(request, template, context)


@login_required
def dashboard_export(request, organization_pk, fmt):
    """Every row under the page's filters: the CSV sent as it is written, the workbook once written; both
    kept for every auditor as the page's figures are, so that a second download reads them."""
    organization = _auditable(request, organization_pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Không có định dạng tệp này.")
    filters = DashboardFilters(request, organization)
    name = f"oversight-{fmt}:{organization.pk}:{filters.key()}"

    def rows():
        return selectors.decorated(organization, filters.rows, filters.today)

    if fmt == "csv":
        chunks = counts.cached_chunks(
            name, OVERSIGHT_DEPENDS_ON, lambda: exports.csv_chunks(rows()), shared_ttl=KEPT_FOR
        )
        response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            counts.cached(
                name, OVERSIGHT_DEPENDS_ON, lambda: exports.to_xlsx(rows(), title="Giám sát"), shared_ttl=KEPT_FOR
            ),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    filename = f"giam-sat-{organization.code.lower()}-{filters.today:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
