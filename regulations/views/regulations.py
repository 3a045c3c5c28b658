"""A committee's regulations: the list, one regulation with its versions, the text in force on a day."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from organizations.access import get_organization_for_user
from quyche import counts

from .. import selectors
from ..access import can_import_regulation
from ..filters import RegulationFilter
from ..forms import InForceForm
from ..relationships import bases_of, relationships
from .conformance import model_link_form

# What the rows of a committee's list show: its regulations (and those it is party to) with their texts in force.
LIST_DEPENDS_ON = ("regulations",)


@login_required
@vary_on_headers("HX-Request")  # the same URL answers htmx with a fragment: caches must tell them apart
def regulation_list(request, organization_pk):
    """A committee's regulations. Whoever may read the organization reads all of them (`regulations_of`), so
    the drawn rows are kept for the organization and the filters until a regulation or a version changes."""
    organization = get_organization_for_user(request.user, organization_pk)
    filters = RegulationFilter(request.GET or None, selectors.regulations_of(request.user, organization))

    def draw() -> str:
        regulations = filters.qs if filters.is_valid() else filters.queryset
        context = {"regulations": regulations, "filters": filters.form}
        return render_to_string("regulations/_regulation_rows.html", context)

    # Kept for the filters the page offers, when valid; any other (the API's `organization`) is drawn afresh.
    chosen = filters.form.cleaned_data if filters.is_valid() else ({} if not filters.is_bound else None)
    if chosen is not None and not chosen.get("organization"):
        name, kind, status = f"regulation-list:{organization.pk}", chosen.get("kind", ""), chosen.get("status", "")
        rows = counts.cached_page(request, name, LIST_DEPENDS_ON, draw, paged=False, kind=kind, status=status)
    else:
        rows = draw()
    if request.htmx:
        return HttpResponse(rows)
    context = {
        "organization": organization,
        "rows": rows,
        "filters": filters.form,
        "can_import": can_import_regulation(request.user, organization),
    }
    return render(request, "regulations/regulation_list.html", context)


# What a regulation's page shows of it to every reader: its versions, its dossiers, the documents its bases cite.
DETAIL_DEPENDS_ON = ("regulations", "amendments")


@login_required
def regulation_detail(request, pk):
    """One regulation with its versions, dossiers and lược đồ. What every reader sees of it is kept until a
    regulation, a version, a cited document or a dossier changes; the reader's own controls are drawn each time."""
    regulation = selectors.get_regulation_for_user(request.user, pk)

    def gather() -> tuple[list, list, list]:
        versions = selectors.versions_of(regulation)
        return versions, selectors.amendments_of(regulation), bases_of(regulation, versions)

    versions, amendments, bases = counts.cached(f"regulation:{regulation.pk}", DETAIL_DEPENDS_ON, gather)
    can_import = can_import_regulation(request.user, regulation.organization)
    return render(
        request,
        "regulations/regulation_detail.html",
        {
            "regulation": regulation,
            "versions": versions,
            "has_issued": any(not version.is_draft for version in versions),
            "amendments": amendments,
            "open_amendment": selectors.open_amendment(amendments),
            "in_force_form": InForceForm(),
            "can_import": can_import,
            # Starting an amendment is drafting work, as importing is (reviews.access.can_start_amendment).
            "can_start_amendment": can_import,
            "model_form": model_link_form(request.user, regulation),
            "links": relationships(
                regulation, user=request.user, versions=versions, amendments=amendments, bases=bases
            ),
        },
    )


@login_required
def regulation_in_force(request, pk):
    regulation = selectors.get_regulation_for_user(request.user, pk)
    form = InForceForm(request.GET)
    if not form.is_valid():
        messages.error(request, "Ngày không hợp lệ. Hãy chọn ngày theo dạng ngày/tháng/năm.")
        return redirect("regulations:detail", pk=regulation.pk)
    day = form.cleaned_data["day"]
    version = selectors.version_in_force(regulation, day)
    if version is None:
        messages.warning(request, f"Không có văn bản nào của quy chế này có hiệu lực vào ngày {day:%d/%m/%Y}.")
        return redirect("regulations:detail", pk=regulation.pk)
    return redirect(f"{reverse('regulations:version', args=[version.pk])}?ngay={day:%Y-%m-%d}")
