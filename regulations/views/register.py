"""The register of superior documents (văn bản cấp trên) that regulations cite as legal bases."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from quyche.forms import add_service_error, error_text

from .. import services
from ..access import can_keep_register
from ..forms import DocumentEndForm, SuperiorDocumentForm
from ..models import SuperiorDocument, VersionStatus, normalize_number


@login_required
def register(request):
    """Văn bản cấp trên: what regulations cite as legal bases, and which of them have ended."""
    can_keep = can_keep_register(request.user)
    form = SuperiorDocumentForm(request.POST or None) if can_keep else None
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied("Chỉ văn phòng cấp ủy cấp tỉnh cập nhật danh mục văn bản cấp trên.")
        if form.is_valid():
            try:
                document = services.superior_document_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Đã thêm {document.number} vào danh mục.")
                return redirect("regulations:register")
    documents = SuperiorDocument.objects.select_related("replaced_by").annotate(
        citing=Count("citing_versions", filter=Q(citing_versions__status=VersionStatus.IN_FORCE))
    )
    return render(
        request,
        "regulations/register.html",
        {"documents": documents, "form": form, "end_form": DocumentEndForm() if can_keep else None},
    )


@login_required
@require_POST
def register_end(request, pk):
    document = SuperiorDocument.objects.filter(pk=pk).first()
    if document is None:
        raise Http404("Không có văn bản này trong danh mục.")
    form = DocumentEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("regulations:register")
    replaced_by = None
    number = normalize_number(form.cleaned_data["replaced_by"])
    if number:
        replaced_by = SuperiorDocument.objects.filter(number=number).first()
        if replaced_by is None:
            messages.error(request, f"{number} chưa có trong danh mục; hãy thêm văn bản thay thế trước.")
            return redirect("regulations:register")
    try:
        services.superior_document_end(
            user=request.user, document=document, on=form.cleaned_data["on"], replaced_by=replaced_by
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Đã ghi nhận {document.number} hết hiệu lực; các quy chế lấy làm căn cứ cần rà soát."
        )
    return redirect("regulations:register")
