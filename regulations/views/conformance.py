"""Model regulations: linking a regulation to its model, the conformance report, and the marking of
open content on the model's text."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import conformance, diffing, selectors, services
from ..access import can_link_model, can_view_regulation
from ..forms import ModelLinkForm
from ..models import Provision, ProvisionKind


def model_link_form(user, regulation, data=None) -> ModelLinkForm | None:
    """The office's choice of the model a regulation adapts; None for others, or when there is nothing to choose."""
    if not can_link_model(user, regulation):
        return None
    models = selectors.models_for(regulation.organization).exclude(pk=regulation.pk)
    if data is None and regulation.based_on_id is None and not models.exists():
        return None
    return ModelLinkForm(data, models=models, initial={"model": regulation.based_on_id})


@login_required
@require_POST
def regulation_link_model(request, pk):
    regulation = selectors.get_regulation_for_user(request.user, pk)
    form = model_link_form(request.user, regulation, request.POST)
    if form is None:
        raise PermissionDenied("Chỉ văn phòng cấp ủy mới chọn quy chế mẫu cho quy chế.")
    if not form.is_valid():
        messages.error(request, "Hãy chọn một quy chế mẫu trong danh sách.")
        return redirect("regulations:detail", pk=regulation.pk)
    model = form.cleaned_data["model"]
    try:
        services.regulation_link_model(regulation=regulation, model=model, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Đã ghi: quy chế này dựa trên “{model.title}”." if model else "Đã bỏ liên kết với quy chế mẫu."
        )
    return redirect("regulations:detail", pk=regulation.pk)


@login_required
def regulation_conformance(request, pk):
    """Báo cáo phù hợp với quy chế mẫu: what the regulation kept, filled in, changed, left out and added."""
    regulation = selectors.get_regulation_for_user(request.user, pk)
    context = {"regulation": regulation}
    try:
        report = conformance.conformance_report(regulation)
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
    else:
        context.update(
            report=report,
            can_view_model=can_view_regulation(request.user, report.model),
            changed=[(change, diffing.diff_markup(change.ops)) for change in report.changed],
            filled_in=[(change, diffing.diff_markup(change.ops)) for change in report.filled_in],
        )
    return render(request, "regulations/conformance.html", context)


# Open content is marked where it is read: beside each article and clause of the model's text.
OPEN_CONTENT_KINDS = (ProvisionKind.ARTICLE, ProvisionKind.CLAUSE)


@login_required
def open_content_controls(request, pk):
    """For the office of a model's organization, the buttons that mark open content, put in place by htmx."""
    version = selectors.get_version_for_user(request.user, pk)
    if not conformance.can_mark_open_content(request.user, version):
        return HttpResponse(status=204)
    nodes = Provision.objects.filter(version=version, kind__in=OPEN_CONTENT_KINDS).for_rendering()
    context = {"version": version, "can_mark_open": True, "oob": True}
    return HttpResponse(
        "".join(
            render_to_string("regulations/_open_content.html", {**context, "node": node}, request) for node in nodes
        )
    )


@login_required
@require_POST
def open_content_mark(request, pk, key):
    version = selectors.get_version_for_user(request.user, pk)
    provision = Provision.objects.filter(version=version, key=key).select_related("article").first()
    if provision is None:
        raise Http404("Không tìm thấy điều khoản này.")
    value = request.POST.get("value") == "1"
    try:
        provision = conformance.open_content_set(provision=provision, user=request.user, value=value)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if request.htmx:
            context = {"version": version, "node": provision, "can_mark_open": True}
            return render(request, "regulations/_open_content.html", context)
        reason = conformance.MARK_REASON if value else conformance.UNMARK_REASON
        messages.success(request, f"{reason}: {provision.display_label}.")
    anchor = provision.article.anchor if provision.article else provision.anchor
    return redirect(f"{reverse('regulations:version', args=[version.pk])}#{anchor}")
