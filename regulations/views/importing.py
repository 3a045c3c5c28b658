"""Bringing in a text: pasted or uploaded, previewed with its warnings, then saved."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from organizations.access import get_organization_for_user

from .. import selectors, services
from ..access import can_import_regulation
from ..forms import ImportForm
from ..models import ProvisionKind, RegulationKind


@login_required
def regulation_import(request, organization_pk):
    organization = get_organization_for_user(request.user, organization_pk)
    regulation = None
    if request.GET.get("quy_che") or request.POST.get("regulation"):
        regulation = selectors.get_regulation_for_user(
            request.user, request.GET.get("quy_che") or request.POST["regulation"]
        )
        if regulation.organization_id != organization.pk:
            raise Http404("Không tìm thấy quy chế.")
    if not can_import_regulation(request.user, organization):
        raise PermissionDenied("Chỉ văn phòng cấp ủy mới được nhập văn bản.")
    # A new regulation may say which model it adapts; a new version keeps its regulation's.
    models = selectors.models_for(organization) if regulation is None else None
    form = ImportForm(request.POST or None, request.FILES or None, models=models)
    context = {"organization": organization, "regulation": regulation, "form": form, "kinds": RegulationKind}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            if request.POST.get("action") == "save":
                result = services.regulation_import(
                    text=text,
                    user=request.user,
                    organization=organization,
                    regulation=regulation,
                    kind=form.cleaned_data["kind"] or None,
                    based_on=form.cleaned_data.get("based_on"),
                )
                messages.success(request, f"Đã lưu {result.version}.")
                return redirect("regulations:version", pk=result.version.pk)
            document = services.parse_or_refuse(text)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            context.update(
                preview=document,
                preview_rows=flatten(document.provisions),
                summary=services.ImportResult(version=None, document=document).summary(),
                text=text,
            )
    return render(request, "regulations/import.html", context)


def flatten(nodes, depth=0) -> list[tuple[int, object, str]]:
    """A parsed tree as (depth, node, kind word) rows in reading order, for the import preview."""
    rows = []
    for node in nodes:
        word = "Gạch" if node.kind == ProvisionKind.BULLET else ProvisionKind(node.kind).label
        rows.append((depth, node, word))
        rows.extend(flatten(node.children, depth + 1))
    return rows
