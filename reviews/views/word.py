"""The amendment in Word: the draft, the consultation copy with its changes tracked, and copies sent back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from quyche.forms import add_service_error
from regulations.parsing.limits import Refused
from regulations.pdf import version_pdf_filename
from regulations.word import docx_filename, docx_response, render_version_docx

from .. import access, selectors, services
from .. import word as consultation_word
from ..forms import ReturnedCopyForm
from .base import draft_url, page

NOT_ASKED = "Dự thảo không ở bước lấy ý kiến, hoặc đồng chí không được hỏi ý kiến."
# What the preview hands to the confirmation: the opinions as read, signed, for this person and dossier.
SIGNING_SALT = "reviews.returned-copy"
CONFIRM_WITHIN = 24 * 3600  # seconds


@login_required
def draft_docx(request, pk) -> HttpResponse:
    """The draft as it stands, in Word; those consulted from below read it here, as the PDF."""
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if not amendment.draft.is_draft:
        return redirect("regulations:version_docx", pk=amendment.draft_id)
    draft = amendment.draft
    return docx_response(render_version_docx(draft), docx_filename(version_pdf_filename(draft)))


@login_required
def consultation_copy(request, pk) -> HttpResponse:
    """Bản lấy ý kiến: the draft with its changes from the text in force tracked, reasons as comments."""
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if not amendment.draft.is_draft:
        return redirect("regulations:version_docx", pk=amendment.draft_id)
    content = consultation_word.consultation_copy(amendment, line_numbers=request.GET.get("danh_so_dong") == "1")
    return docx_response(content, consultation_word.consultation_copy_filename(amendment))


@login_required
def returned_copy(request, pk):
    """Gửi lại bản Word đã góp ý: the copy read and its opinions shown; saved only once confirmed."""
    amendment = selectors.get_amendment_for_user(request.user, pk)
    if not access.can_comment(request.user, amendment):
        raise PermissionDenied(NOT_ASKED)
    open_requests = access.open_requests_for(request.user, amendment)
    form = ReturnedCopyForm(
        request.POST or None, request.FILES or None, requests=open_requests, initial={"request": open_requests[0].pk}
    )
    opinions, payload = None, ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["confirmed"]:
                opinions = _signed_opinions(data["confirmed"], request.user, amendment)
                saved = services.returned_copy_save(
                    amendment=amendment, user=request.user, opinions=opinions, request_id=data["request"]
                )
                messages.success(
                    request,
                    f"Đã lưu {len(saved)} ý kiến từ bản Word. Góp ý xong, đồng chí bấm “Gửi toàn bộ ý kiến”.",
                )
                return redirect(draft_url(amendment))
            opinions = consultation_word.read_returned_copy(data["file"], amendment=amendment)
            opinions = services.returned_copy_check(amendment=amendment, user=request.user, opinions=opinions)
            if not opinions:
                form.add_error("file", "Bản này không có thay đổi hay ghi chú (comment) nào của đồng chí.")
            payload = signing.dumps(
                {"user": request.user.pk, "amendment": amendment.pk, "opinions": [o.as_dict() for o in opinions]},
                salt=SIGNING_SALT, compress=True,
            )  # fmt: skip
        except Refused as error:
            form.add_error("file", str(error))
            opinions = None
        except ValidationError as error:
            add_service_error(form, error)
            opinions = None
    return page(
        request, "reviews/returned_copy.html", amendment, "draft", form=form, opinions=opinions, payload=payload,
        chosen_request=form.cleaned_data.get("request") if form.is_bound and form.is_valid() else None,
    )  # fmt: skip


def _signed_opinions(value: str, user, amendment) -> list:
    try:
        data = signing.loads(value, salt=SIGNING_SALT, max_age=CONFIRM_WITHIN)
    except signing.BadSignature as error:
        raise ValidationError("Phần xác nhận đã hết hạn hoặc không hợp lệ; hãy gửi lại tệp.") from error
    if data.get("user") != user.pk or data.get("amendment") != amendment.pk:
        raise ValidationError("Phần xác nhận không thuộc hồ sơ này; hãy gửi lại tệp.")
    return consultation_word.opinions_from(data.get("opinions", []))
