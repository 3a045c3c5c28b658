"""Bringing in a text: pasted or uploaded, previewed with its warnings, then saved."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from organizations.access import get_organization_for_user
from quyche.forms import add_service_error

from .. import selectors, services
from ..access import can_import_regulation
from ..forms import ImportDetailsForm, ImportForm
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
            document = services.parse_or_refuse(text)
        except ValidationError as error:
            add_service_error(form, error)
            return render(request, "regulations/import.html", context)
        saving = request.POST.get("action") == "save"
        # The preview shows what was read, in fields the person may correct; a refused save keeps
        # what they typed, with the reason beside the field it concerns.
        details = ImportDetailsForm(request.POST if saving else None, initial=ImportDetailsForm.initial_from(document))
        if saving and details.is_valid():
            try:
                result = services.regulation_import(
                    text=text,
                    user=request.user,
                    organization=organization,
                    regulation=regulation,
                    kind=form.cleaned_data["kind"] or None,
                    based_on=form.cleaned_data.get("based_on"),
                    corrections=details.corrections(),
                )
            except ValidationError as error:
                add_service_error(details, error)
            else:
                messages.success(request, f"Đã lưu {result.version}.")
                return redirect("regulations:version", pk=result.version.pk)
        context.update(
            preview=document,
            details=details,
            letterhead_warning=services.letterhead_warning(document, organization),
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
